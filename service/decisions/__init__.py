"""Career decisions: where a role can move next, and where an amount of pay stands."""
