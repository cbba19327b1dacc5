"""Who may do what: API keys and the rate limit by query cost."""
