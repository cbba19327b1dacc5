"""The front door: every request to the API, over HTTP or WebSocket, from its bytes to its answer
(the guard, the GraphQL view, persisted queries, the response cache, conditional GET, the exports,
the dashboard's files, the probes, and the server that runs it all under uvicorn)."""
