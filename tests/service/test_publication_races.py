"""Races between recomputes and writes (findings 8 and 12b): the newest inputs win in MongoDB and
in Redis, and a run that fails, loses or dies leaves its roles to be recomputed; after Redis
restarts empty, MongoDB says which roles are not covered."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest

from service.ingest.seed import load_seed
from service.platform.resources import Resources
from service.store import change_marks, summary_cache
from service.store import database as c
from service.summaries import cell_reads, publication, reconcile, salary_stats
from service.summaries.model import SalaryScope
from service.summaries.reads import read_salary_summaries
from service.summaries.recompute import recompute
from service.summaries.runs import recent_runs
from tests.factories.documents import add, role_total

ROLE = "backend-developer"


@pytest.fixture
async def stocked(resources: Resources) -> Resources:
    await c.ensure_collections(resources.db)
    await load_seed(resources.db)
    await add(resources.db, ROLE, [100_000.0, 110_000.0, 120_000.0, 130_000.0, 140_000.0])
    await recompute(resources, ROLE)
    return resources


async def served_count(resources: Resources) -> int:
    return int(role_total(await read_salary_summaries(resources, SalaryScope(ROLE))).count)


async def test_an_older_run_that_stalled_before_its_flip_cannot_overwrite_a_newer_one(stocked: Resources) -> None:
    stalling = dataclasses.replace(stocked, settings=dataclasses.replace(
        stocked.settings, failpoints=(("recompute.after_store", 1.5),)))
    await add(stocked.db, ROLE, [150_000.0])
    older = asyncio.create_task(recompute(stalling, ROLE))  # reads 6, then stalls before Redis
    await asyncio.sleep(0.5)
    await add(stocked.db, ROLE, [160_000.0])
    await change_marks.mark_inputs_changed(stocked.redis, [ROLE])
    newer = await recompute(stocked, ROLE)  # reads 7 and publishes
    assert await served_count(stocked) == 7
    late = await older
    assert await served_count(stocked) == 7  # not back to 6
    doc = await stocked.db[c.SALARY_SUMMARIES].find_one({"role": ROLE})
    assert doc is not None and doc["version"] == newer.version and salary_stats.sample_size(doc["cells"]) == 7
    assert late.outcome == "superseded" and newer.outcome == "ok"
    served = await read_salary_summaries(stocked, SalaryScope(ROLE))
    assert not role_total(served).stale and await change_marks.awaiting(stocked.redis) == []


async def test_a_failed_run_leaves_its_roles_marked_and_the_reconciler_queues_them(
        stocked: Resources, monkeypatch: pytest.MonkeyPatch) -> None:
    await add(stocked.db, ROLE, [150_000.0])
    await change_marks.mark_inputs_changed(stocked.redis, [ROLE])

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the aggregation failed")

    monkeypatch.setattr(cell_reads, "read_whole", broken)  # a run that reads the role whole
    monkeypatch.setattr(publication, "publish_role", broken)  # a run from the role's roll-up
    with pytest.raises(RuntimeError):
        await recompute(stocked, ROLE)
    assert (await recent_runs(stocked, 1))[0].outcome == "failed"
    assert await change_marks.awaiting(stocked.redis) == [ROLE]  # the failure took nothing away
    assert role_total(await read_salary_summaries(stocked, SalaryScope(ROLE))).stale
    assert await reconcile.queue_awaiting(stocked) == [ROLE]
    monkeypatch.undo()
    await recompute(stocked, ROLE)
    assert await change_marks.awaiting(stocked.redis) == [] and await served_count(stocked) == 6


async def test_after_redis_restarts_empty_mongodb_says_which_roles_to_recompute(stocked: Resources) -> None:
    await stocked.redis.set(change_marks.RECONCILED, "1")  # a worker had reconciled before
    await add(stocked.db, ROLE, [150_000.0])  # stored while Redis was down: no mark was made
    await stocked.redis.flushdb()  # Redis comes back empty
    served = role_total(await read_salary_summaries(stocked, SalaryScope(ROLE)))
    assert served.source == "DATABASE" and served.stale and served.count == 5  # honest meanwhile
    assert await reconcile.reconcile_after_redis_restart(stocked) == [ROLE]
    assert await reconcile.reconcile_after_redis_restart(stocked) == []  # once a restart
    await recompute(stocked, ROLE)
    fresh = role_total(await read_salary_summaries(stocked, SalaryScope(ROLE)))
    assert fresh.count == 6 and not fresh.stale and fresh.source == "CACHE"


async def test_a_read_from_mongodb_after_a_redis_restart_says_stale_from_then_on(stocked: Resources) -> None:
    await add(stocked.db, ROLE, [150_000.0])
    await stocked.redis.flushdb()
    first = role_total(await read_salary_summaries(stocked, SalaryScope(ROLE)))
    second = role_total(await read_salary_summaries(stocked, SalaryScope(ROLE)))  # from the refilled cache
    assert (first.source, first.stale) == ("DATABASE", True)
    assert (second.source, second.stale) == ("CACHE", True)  # the read marked the role again
    assert await stocked.redis.zcard("careergraph:queue") == 1


async def test_flip_keeps_the_newest_version_of_each_field(stocked: Resources) -> None:
    field = summary_cache.salary_field(ROLE)
    current = (await stocked.redis.hget(summary_cache.CURRENT, field)).decode()
    older = summary_cache.new_version(summary_cache.version_watermark_ms(current) - 1000)
    assert await summary_cache.flip(stocked.redis, older, [field], [], 60) == []
    assert (await stocked.redis.hget(summary_cache.CURRENT, field)).decode() == current
    newer = summary_cache.new_version(summary_cache.version_watermark_ms(current) + 1000)
    assert await summary_cache.flip(stocked.redis, newer, [field], [], 60) == [field]
