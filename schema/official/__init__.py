"""Published and official figures in GraphQL: salary benchmarks and growth outlooks."""
