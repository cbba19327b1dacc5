"""Salary and demand summaries: statistics, recompute runs and their record, notices, the read path."""
