"""Getting data in: one importer per format (O*NET, salary files) and the curated seed."""
