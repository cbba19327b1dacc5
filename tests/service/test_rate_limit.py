"""The token bucket on a real Redis: capacity, refill, concurrency, and failing open."""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis

from service.access import rate_limit
from service.platform.resources import Resources


async def test_a_bucket_gives_its_capacity_then_refuses_with_a_wait(resources: Resources) -> None:
    taken = [await rate_limit.take(resources.redis, "addr:a", 30, 100, 10) for _ in range(4)]
    assert [d.allowed for d in taken if d] == [True, True, True, False]
    refused = taken[-1]
    assert refused is not None and refused.remaining == 10 and refused.cost == 30
    assert 1.5 <= refused.retry_after_s <= 2.1  # 20 points short at 10 a second
    other = await rate_limit.take(resources.redis, "addr:b", 30, 100, 10)
    assert other is not None and other.allowed and other.remaining == 70  # buckets are per client


async def test_a_bucket_refills_at_its_rate(resources: Resources) -> None:
    assert (await rate_limit.take(resources.redis, "key:x", 10, 10, 20)).allowed  # type: ignore[union-attr]
    assert not (await rate_limit.take(resources.redis, "key:x", 5, 10, 20)).allowed  # type: ignore[union-attr]
    await asyncio.sleep(0.3)  # 6 points back
    again = await rate_limit.take(resources.redis, "key:x", 5, 10, 20)
    assert again is not None and again.allowed


async def test_concurrent_requests_never_overdraw(resources: Resources) -> None:
    results = await asyncio.gather(*(rate_limit.take(resources.redis, "addr:c", 1, 50, 0.001)
                                     for _ in range(200)))
    assert sum(1 for d in results if d and d.allowed) == 50


async def test_off_and_redis_down_let_requests_through(resources: Resources) -> None:
    assert await rate_limit.take(resources.redis, "addr:d", 1, 0, 50) is None
    dead = Redis.from_url("redis://127.0.0.1:1", socket_connect_timeout=0.2)
    try:
        assert await rate_limit.take(dead, "addr:d", 1, 10, 50) is None
    finally:
        await dead.aclose()


async def test_an_operation_over_the_capacity_costs_the_capacity(resources: Resources) -> None:
    decision = await rate_limit.take(resources.redis, "addr:e", 5000, 1000, 50)
    assert decision is not None and decision.allowed and decision.cost == 1000
