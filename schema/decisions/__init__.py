"""Career decisions in GraphQL: `nextMoves` (on Role and at the root) and `payPosition`."""
