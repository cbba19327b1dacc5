"""The catalogue: roles, skills and learning paths (model, reads, edits), search and the skill gap."""
