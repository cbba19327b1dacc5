"""What an operation may do and what it costs, decided for the front door and the schema: cost,
limits and the rate-limit charge, the key gate, parse and validation caches, the execution's time
limits, and the shaping of every error with its code."""
