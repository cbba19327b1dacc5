"""The command line, the supervisor of `careergraph up` and the bench. Nothing imports this package
but the `careergraph` entry point."""
