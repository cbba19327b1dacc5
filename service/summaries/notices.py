"""Summary-update notices, fanned out inside one process.

The worker publishes a notice on a Redis channel when a version goes live. An API process listens
with one pub/sub connection (`service.platform.channel`), whatever the number of subscribers, and
copies each notice into every subscriber's bounded queue (a subscriber too slow to drain it loses
the oldest notices, not the connection). Notices sent while Redis is away are missed, which is
harmless: each one only says "read again".
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from redis.asyncio import Redis

from service.platform.channel import ChannelListener
from service.platform.logs import ThrottledWarning
from service.store.summary_cache import CHANNEL

log = logging.getLogger("careergraph.notices")
_warn_malformed = ThrottledWarning(log)
QUEUE_SIZE = 64


def parse_notice(data: Any) -> dict[str, Any] | None:
    """A notice as the worker publishes it ({version, scope, roles, computed_at}), or None: one bad
    message is dropped on its own and never stops the hub or reaches a subscriber."""
    try:
        notice = json.loads(data)
        datetime.fromisoformat(notice["computed_at"])
    except (ValueError, TypeError, KeyError, RecursionError):
        return None
    roles = notice.get("roles")
    well_formed = (isinstance(notice.get("version"), str) and isinstance(notice.get("scope"), str)
                   and isinstance(roles, list) and all(isinstance(r, str) for r in roles))
    return notice if well_formed else None


class NoticeHub:
    def __init__(self, redis: Redis) -> None:
        self._queues: set[asyncio.Queue[dict[str, Any]]] = set()
        self.channel = ChannelListener(redis, CHANNEL, self._heard)

    @property
    def subscribers(self) -> int:
        return len(self._queues)

    @property
    def listening(self) -> bool:
        return self.channel.listening

    def _heard(self, data: bytes) -> None:
        notice = parse_notice(data)
        if notice is None:
            _warn_malformed("ignored a malformed notice on %s", CHANNEL)
            return
        for queue in list(self._queues):
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(notice)

    async def wait_listening(self, timeout_s: float = 5.0) -> bool:
        return await self.channel.wait_listening(timeout_s)

    async def subscribe(self) -> AsyncIterator[dict[str, Any]]:
        """Every notice from now on, until the caller stops iterating."""
        self.channel.ensure_running()
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(QUEUE_SIZE)
        self._queues.add(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            self._queues.discard(queue)

    async def close(self) -> None:
        """Stop listening; bounded, so that a shutdown never waits on the channel."""
        await self.channel.close()
