"""Worker heartbeats, in MongoDB.

- `record_heartbeat`: a document per request, written by a worker job: the wiring check that a
  queued job reaches a worker and the worker reaches MongoDB (tests, operators).
- `beat_forever`: each worker process keeps one document of its own (`worker_beats`, `_id`
  host:pid) with its host, process group and pid, and every `CAREERGRAPH_WORKER_BEAT` seconds
  (5) sets `beat_at` from MongoDB's clock once it has reached Redis and MongoDB. A worker that stops cleanly says so
  (`state: stopped`); one that dies just stops beating. Documents silent for a week expire.
- `own_worker_health`: what `careergraph worker --check` answers: the worker of the checking
  process's own process group on this host (the one a supervisor or a container entrypoint
  started beside it), else any worker on this host; healthy when it beat within `MISSED_BEATS`
  beats by MongoDB's clock. With several workers on one host, each is judged by its own document, so one
  whose worker died fails its check while another worker runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from datetime import UTC, datetime
from typing import Any

from pymongo import ASCENDING

from service.platform.resources import Resources

COLLECTION = "worker_heartbeats"
WORKERS = "worker_beats"
MISSED_BEATS = 3  # a worker silent for three beats is gone
EXPIRE_S = 7 * 24 * 3600

log = logging.getLogger("careergraph.heartbeats")


async def record_heartbeat(resources: Resources, note: str) -> dict[str, Any]:
    document = {
        "note": note,
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "at": datetime.now(UTC),
    }
    await resources.db[COLLECTION].insert_one(document)
    return document


def _identity() -> dict[str, Any]:
    return {"host": socket.gethostname(), "pgid": os.getpgrp(), "pid": os.getpid()}


async def beat_once(resources: Resources, state: str = "running") -> None:
    """One beat: Redis answers, then this worker's document records it on MongoDB's clock."""
    me = _identity()
    if state == "running":
        await resources.redis.ping()
    await resources.db[WORKERS].update_one(
        {"_id": f"{me['host']}:{me['pid']}"},
        {"$set": {**me, "state": state}, "$currentDate": {"beat_at": True},
         "$setOnInsert": {"started_at": datetime.now(UTC)}},
        upsert=True)


async def beat_forever(resources: Resources) -> None:
    """Beat every `worker_beat_s` while the worker runs (a store outage skips beats, and the worker
    reads as gone until they resume); cancelled at the worker's shutdown, which calls `stopped`."""
    with contextlib.suppress(Exception):
        await resources.db[WORKERS].create_index([("beat_at", ASCENDING)], expireAfterSeconds=EXPIRE_S)
    while True:
        try:
            await beat_once(resources)
        except Exception as exc:  # a store outage: the next beat tries again
            log.debug("missed a worker heartbeat: %s", type(exc).__name__)
        await asyncio.sleep(resources.settings.worker_beat_s)


async def stopped(resources: Resources) -> None:
    """A clean stop: the check in this worker's process group says so instead of "gone"."""
    with contextlib.suppress(Exception):
        await asyncio.wait_for(beat_once(resources, "stopped"), 1.0)


async def own_worker_health(resources: Resources) -> tuple[bool, str]:
    """(healthy, one line saying which worker and why) for the worker of this process group or host."""
    me = _identity()
    found = await resources.db[WORKERS].find({"host": me["host"]}).to_list(None)
    now = (await resources.db.command("hello"))["localTime"]  # MongoDB's clock, as the beats
    now = now if now.tzinfo else now.replace(tzinfo=UTC)
    mine = [d for d in found if d.get("pgid") == me["pgid"]]
    if mine:  # the worker of this process group: the one started last
        candidates, where = [max(mine, key=lambda d: d["started_at"])], f"process group {me['pgid']}"
    else:
        candidates, where = found, f"host {me['host']}"
    if not candidates:
        return False, f"no worker has reported on host {me['host']}"
    running = [d for d in candidates if d.get("state") == "running"]
    if running:
        doc = max(running, key=lambda d: d["beat_at"])
        age = (now - doc["beat_at"]).total_seconds()
        if age <= MISSED_BEATS * resources.settings.worker_beat_s:
            return True, f"worker {doc['pid']} ({where}) beat {max(age, 0):.1f} s ago"
    latest = max(candidates, key=lambda d: d["beat_at"])
    age = (now - latest["beat_at"]).total_seconds()
    what = "stopped" if latest.get("state") == "stopped" else "gone"
    return False, f"worker {latest['pid']} ({where}) is {what}: last beat {age:.0f} s ago"
