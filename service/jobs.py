"""The job contract shared by the API and the worker: job names and `enqueue_*` helpers.

The worker registers a function under each name; the API and the CLI enqueue by name only, so
neither adapter imports the other. Jobs with a `_job_id` are de-duplicated by arq: while one with
the same id is queued or running, enqueueing it again is a no-op.
"""

from __future__ import annotations

from arq.connections import ArqRedis
from arq.jobs import Job

QUEUE_NAME = "careergraph:queue"

RECORD_HEARTBEAT = "record_heartbeat"


async def enqueue_heartbeat(redis: ArqRedis, note: str) -> Job | None:
    """Ask the worker to write one heartbeat document (the wiring check used by tests)."""
    return await redis.enqueue_job(RECORD_HEARTBEAT, note, _queue_name=QUEUE_NAME)
