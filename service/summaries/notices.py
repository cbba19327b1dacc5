"""Summary-update notices, fanned out inside one process.

The worker publishes a notice on a Redis channel when a version goes live. An API process keeps
one Redis pub/sub connection, whatever the number of subscribers, and copies each notice into
every subscriber's bounded queue (a subscriber too slow to drain it loses the oldest notices, not
the connection). When Redis drops the connection the hub reconnects with backoff; notices sent
meanwhile are missed, which is harmless: each one only says "read again".
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from service.platform.logs import ThrottledWarning
from service.store.summary_cache import CHANNEL

log = logging.getLogger("careergraph.notices")
_warn_malformed = ThrottledWarning(log)
QUEUE_SIZE = 64
POLL_S = 1.0
# Closing waits this long per attempt for the listener to stop, and sends the cancellation again
# if it did not: a cancellation that lands as a read's own timeout fires can be taken for that
# timeout by the client, and the listener would go on polling.
CLOSE_WAIT_S = 0.5
CLOSE_ATTEMPTS = 6


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
        self._redis = redis
        self._queues: set[asyncio.Queue[dict[str, Any]]] = set()
        self._task: asyncio.Task[None] | None = None
        self._listening = asyncio.Event()
        self._closed = False

    @property
    def subscribers(self) -> int:
        return len(self._queues)

    @property
    def listening(self) -> bool:
        return self._listening.is_set()

    async def _listen_once(self) -> None:
        pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        try:
            await pubsub.subscribe(CHANNEL)
            self._listening.set()
            while not self._closed:
                # A read with its own timeout: a quiet channel is not a dead one (the pool's
                # socket timeout would end the subscription after a few idle seconds). The
                # client's health checks PING the connection while it is idle.
                message = await pubsub.get_message(timeout=POLL_S)
                if message is not None and message.get("type") == "message":
                    notice = parse_notice(message["data"])
                    if notice is None:
                        _warn_malformed("ignored a malformed notice on %s", CHANNEL)
                    else:
                        self._deliver(notice)
        finally:
            self._listening.clear()
            with contextlib.suppress(RedisError, OSError, TimeoutError):
                await asyncio.wait_for(pubsub.aclose(), CLOSE_WAIT_S)

    async def _run(self) -> None:
        delay = 0.1
        while not self._closed:
            try:
                await self._listen_once()
                delay = 0.1
            except (RedisError, OSError) as exc:
                log.warning("notice channel lost (%s); reconnecting in %.1f s", type(exc).__name__, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    def _deliver(self, notice: dict[str, Any]) -> None:
        for queue in list(self._queues):
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(notice)

    def _ensure_running(self) -> None:
        if not self._closed and (self._task is None or self._task.done()):
            self._task = asyncio.get_running_loop().create_task(self._run(), name="careergraph-notices")

    async def wait_listening(self, timeout_s: float = 5.0) -> bool:
        self._ensure_running()
        try:
            await asyncio.wait_for(self._listening.wait(), timeout_s)
            return True
        except TimeoutError:
            return False

    async def subscribe(self) -> AsyncIterator[dict[str, Any]]:
        """Every notice from now on, until the caller stops iterating."""
        self._ensure_running()
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(QUEUE_SIZE)
        self._queues.add(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            self._queues.discard(queue)

    async def close(self) -> None:
        """Stop listening; bounded, so that a shutdown never waits on the channel."""
        self._closed = True
        task = self._task
        if task is None:
            return
        for _ in range(CLOSE_ATTEMPTS):
            task.cancel()
            done, _ = await asyncio.wait({task}, timeout=CLOSE_WAIT_S)
            if done:
                if not task.cancelled() and task.exception() is not None:
                    log.warning("notice listener ended with %s", type(task.exception()).__name__)
                return
        log.warning("notice listener did not stop within %.1f s; left behind", CLOSE_WAIT_S * CLOSE_ATTEMPTS)
