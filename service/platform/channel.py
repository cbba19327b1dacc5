"""One Redis pub/sub channel, listened to by one task per process, whatever the number of readers.

Each message is handed to `deliver` as it comes (bytes, as Redis gave them); `deliver` must not
block. A read has its own timeout (`POLL_S`): a quiet channel is not a dead one, and the pool's
socket timeout would otherwise end the subscription after a few idle seconds (the client's health
checks PING the connection while it is idle). When Redis drops the connection the listener
reconnects with backoff; messages sent meanwhile are missed, so a channel carries only what a
reader can do without (a hint to read again, a reason to check again now).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger("careergraph.channel")
POLL_S = 1.0
# Closing waits this long per attempt for the listener to stop, and sends the cancellation again
# if it did not: a cancellation that lands as a read's own timeout fires can be taken for that
# timeout by the client, and the listener would go on polling.
CLOSE_WAIT_S = 0.5
CLOSE_ATTEMPTS = 6


class ChannelListener:
    def __init__(self, redis: Redis, channel: str, deliver: Callable[[bytes], None]) -> None:
        self.channel = channel
        self._redis = redis
        self._deliver = deliver
        self._task: asyncio.Task[None] | None = None
        self._listening = asyncio.Event()
        self._closed = False

    @property
    def listening(self) -> bool:
        return self._listening.is_set()

    async def _listen_once(self) -> None:
        pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        try:
            await pubsub.subscribe(self.channel)
            self._listening.set()
            while not self._closed:
                message = await pubsub.get_message(timeout=POLL_S)
                if message is not None and message.get("type") == "message":
                    self._deliver(message["data"])
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
                log.warning("channel %s lost (%s); reconnecting in %.1f s", self.channel, type(exc).__name__, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    def ensure_running(self) -> None:
        """Start listening, unless listening already or closed."""
        if not self._closed and (self._task is None or self._task.done()):
            self._task = asyncio.get_running_loop().create_task(self._run(), name=f"careergraph-{self.channel}")

    async def wait_listening(self, timeout_s: float = 5.0) -> bool:
        """Start listening and wait until subscribed; False after `timeout_s`."""
        self.ensure_running()
        try:
            await asyncio.wait_for(self._listening.wait(), timeout_s)
            return True
        except TimeoutError:
            return False

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
                    log.warning("listener of %s ended with %s", self.channel, type(task.exception()).__name__)
                return
        log.warning("listener of %s did not stop within %.1f s; left behind", self.channel,
                    CLOSE_WAIT_S * CLOSE_ATTEMPTS)
