"""Worker heartbeats: a small document per run that proves the worker reaches MongoDB."""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime
from typing import Any

from service.platform.resources import Resources

COLLECTION = "worker_heartbeats"


async def record_heartbeat(resources: Resources, note: str) -> dict[str, Any]:
    document = {
        "note": note,
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "at": datetime.now(UTC),
    }
    await resources.db[COLLECTION].insert_one(document)
    return document

