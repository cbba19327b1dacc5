"""Salary observations: the one model and its checks, submissions, and reads."""
