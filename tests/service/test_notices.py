"""The in-process notice hub on a real Redis."""

from __future__ import annotations

import asyncio
import dataclasses
import json

from service.platform.config import Settings
from service.platform.resources import open_resources
from service.store.summary_cache import CHANNEL
from service.summaries.notices import QUEUE_SIZE, NoticeHub


async def test_a_quiet_channel_stays_subscribed_past_the_socket_timeout(settings: Settings) -> None:
    async with open_resources(dataclasses.replace(settings, redis_timeout_s=0.2)) as resources:
        hub = NoticeHub(resources.redis)
        assert await hub.wait_listening()
        samples = []
        for _ in range(24):  # 1.2 s: six socket timeouts' worth of silence
            await asyncio.sleep(0.05)
            samples.append(hub.listening)
        await hub.close()
    assert all(samples)


def notice(n: int) -> str:
    return json.dumps({"version": f"v{n}", "scope": "all", "roles": [], "computed_at": "2026-12-01T00:00:00+00:00",
                       "n": n})


async def test_every_subscriber_gets_each_notice_and_a_slow_one_keeps_the_newest(settings: Settings) -> None:
    async with open_resources(settings) as resources:
        hub = NoticeHub(resources.redis)
        assert await hub.wait_listening()
        fast, slow = hub.subscribe(), hub.subscribe()
        first = asyncio.ensure_future(anext(fast))
        slow_first = asyncio.ensure_future(anext(slow))
        await asyncio.sleep(0.05)
        assert hub.subscribers == 2
        for n in range(QUEUE_SIZE + 10):
            await resources.redis.publish(CHANNEL, notice(n))
        assert (await first)["n"] == 0 and (await slow_first)["n"] == 0
        await asyncio.sleep(0.3)  # every notice delivered to the queues
        seen = [(await anext(slow))["n"] for _ in range(QUEUE_SIZE)]
        assert seen == list(range(10, QUEUE_SIZE + 10))  # 1-9 were dropped, the newest kept
        assert (await anext(fast))["n"] == 10
        await fast.aclose()
        await slow.aclose()
        assert hub.subscribers == 0
        await hub.close()


async def test_a_malformed_notice_is_dropped_and_live_updates_go_on(settings: Settings) -> None:
    async with open_resources(settings) as resources:
        hub = NoticeHub(resources.redis)
        assert await hub.wait_listening()
        updates = hub.subscribe()
        pending = asyncio.ensure_future(anext(updates))
        await asyncio.sleep(0.05)
        for bad in ("not json", "[1, 2]", json.dumps({"version": 1}), json.dumps({"version": "v", "scope": "all",
                    "roles": [3], "computed_at": "2026-12-01T00:00:00+00:00"}),
                    json.dumps({"version": "v", "scope": "all", "roles": [], "computed_at": "yesterday"})):
            await resources.redis.publish(CHANNEL, bad)
        await resources.redis.publish(CHANNEL, notice(1))
        assert (await asyncio.wait_for(pending, 5))["n"] == 1  # the first well-formed one
        assert hub.listening and hub.subscribers == 1
        await hub.close()


async def test_close_ends_a_listener_that_took_the_first_cancellation_for_a_timeout(settings: Settings) -> None:
    async with open_resources(settings) as resources:
        hub = NoticeHub(resources.redis)
        swallowed = []

        async def listen_and_swallow_one_cancel() -> None:
            while True:
                try:
                    await asyncio.sleep(0.05)
                except asyncio.CancelledError:
                    if swallowed:
                        raise
                    swallowed.append(True)  # what a read timeout firing with the cancel looks like

        hub.channel._listen_once = listen_and_swallow_one_cancel  # type: ignore[method-assign]
        assert not await hub.wait_listening(0.1)
        closing = asyncio.ensure_future(hub.close())
        done, _ = await asyncio.wait({closing}, timeout=10)  # liveness, not speed: a hang fails here
        if not done and hub.channel._task is not None:
            hub.channel._task.cancel()
        assert done, "close() waited on a listener that had swallowed its cancellation"
        assert swallowed and hub.channel._task is not None and hub.channel._task.done()
        assert not await hub.wait_listening(0.1), "a closed hub must not start listening again"


async def test_close_returns_while_subscribers_are_still_waiting(settings: Settings) -> None:
    async with open_resources(settings) as resources:
        hub = NoticeHub(resources.redis)
        assert await hub.wait_listening()
        waiting = asyncio.ensure_future(anext(hub.subscribe()))
        await asyncio.sleep(0.05)
        await asyncio.wait_for(hub.close(), 5)
        assert not hub.listening
        waiting.cancel()
