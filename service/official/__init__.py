"""Published and official figures: salary benchmarks and growth outlooks with their sources."""
