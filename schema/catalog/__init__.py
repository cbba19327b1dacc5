"""The catalogue in GraphQL: roles, skills, learning paths, search and the skill gap, and the
editors' upserts."""
