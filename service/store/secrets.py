"""Server secrets shared by every API process: made once, kept in MongoDB.

A cursor signed by one API process must verify on another, so the signing key cannot be a
per-process random value. Operators may set one (`CAREERGRAPH_CURSOR_SECRET`); otherwise the
first process to start creates a random one in `service_secrets`, and every later process reads
that one. The document is never served: only API processes read it.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

COLLECTION = "service_secrets"
CURSOR = "cursor"


async def shared_secret(db: AsyncDatabase[dict[str, Any]], name: str, configured: str | None) -> bytes:
    """The secret `name`: derived from `configured` when set, else the one stored (made on first use)."""
    if configured:
        return hashlib.sha256(f"careergraph:{name}:{configured}".encode()).digest()
    found = await db[COLLECTION].find_one({"_id": name})
    if found is None:
        try:
            await db[COLLECTION].insert_one({"_id": name, "value": secrets.token_bytes(32)})
        except DuplicateKeyError:  # another process made it first: use theirs
            pass
        found = await db[COLLECTION].find_one({"_id": name})
    assert found is not None
    return bytes(found["value"])
