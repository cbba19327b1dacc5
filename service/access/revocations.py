"""Revoking an API key, and every API process hearing of it at once.

`revoke_api_key` publishes the key's id on `CHANNEL` once MongoDB holds the revocation. Each API
process listens (`Revocations`, one pub/sub connection) and, on a notice for its database, drops
its kept copy of the key (`api_keys.KeptKeys`), so its next request with the key is refused, and
wakes whatever waits on that key: the watchdog of each open WebSocket holding it, which checks the
key again at once and closes the socket (4403). A notice only says "check again": the check reads
MongoDB, so whoever can publish on Redis can make a process look, never make it refuse a valid
key. Notices sent while Redis is away are lost: the watchdogs' periodic recheck
(`CAREERGRAPH_WS_KEY_RECHECK`) still ends such a socket, later.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Iterator

from redis.asyncio import Redis
from redis.exceptions import RedisError

from service.access import api_keys
from service.platform.channel import ChannelListener
from service.platform.resources import Resources

log = logging.getLogger("careergraph.revocations")
CHANNEL = "careergraph:api-keys:revoked"


async def revoke_api_key(resources: Resources, key_id: str) -> bool:
    """Revoke a key in MongoDB, then announce it; False when there is no such key."""
    result = await resources.db[api_keys.COLLECTION].update_one({"key_id": key_id}, {"$set": {"revoked": True}})
    resources.attachment(api_keys.KEPT_KEYS).forget(key_id)
    if result.matched_count != 1:
        return False
    await announce(resources.redis, resources.db.name, key_id)
    return True


async def announce(redis: Redis, database: str, key_id: str) -> bool:
    """Tell every API process; False when Redis could not be told (their rechecks still find it)."""
    try:
        await redis.publish(CHANNEL, json.dumps({"database": database, "key_id": key_id}))
    except (RedisError, OSError) as exc:
        log.warning("could not announce a revoked key (%s); open sockets find out at their next recheck",
                    type(exc).__name__)
        return False
    return True


class Revocations:
    """One API process's ear for revoked keys of its database."""

    def __init__(self, resources: Resources) -> None:
        self.database = resources.db.name
        self._kept = resources.attachment(api_keys.KEPT_KEYS)
        self.channel = ChannelListener(resources.redis, CHANNEL, self._heard)
        self._waiting: dict[str, set[asyncio.Event]] = {}

    def _heard(self, data: bytes) -> None:
        try:
            notice = json.loads(data)
            database, key_id = notice["database"], notice["key_id"]
        except (ValueError, TypeError, KeyError, RecursionError):
            return
        if database != self.database or not isinstance(key_id, str):
            return
        self._kept.forget(key_id)
        for event in self._waiting.get(key_id, ()):
            event.set()

    @contextlib.contextmanager
    def watch(self, key_id: str) -> Iterator[asyncio.Event]:
        """An event set whenever `key_id` is announced revoked, for as long as the block runs."""
        self.channel.ensure_running()
        event = asyncio.Event()
        self._waiting.setdefault(key_id, set()).add(event)
        try:
            yield event
        finally:
            events = self._waiting.get(key_id)
            if events is not None:
                events.discard(event)
                if not events:
                    del self._waiting[key_id]

    @property
    def watched(self) -> int:
        """Watches open now (one per WebSocket holding a key)."""
        return sum(len(events) for events in self._waiting.values())

    async def close(self) -> None:
        await self.channel.close()
