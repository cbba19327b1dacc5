"""For operators: status, cluster figures for /metrics, worker heartbeats."""
