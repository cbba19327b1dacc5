"""Summaries in GraphQL: salary summaries, demand, recompute runs and the update subscription."""
