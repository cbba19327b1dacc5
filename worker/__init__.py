"""The arq adapter: WorkerSettings and tasks of a few lines that call the service layer."""
