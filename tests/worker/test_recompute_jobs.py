"""The recompute job in a real arq worker (in this process) on real MongoDB and Redis."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest
from arq.worker import Worker
from pymongo.errors import AutoReconnect

from service.jobs import enqueue_recompute, in_progress_key, jobs_waiting, observations_written
from service.platform.config import Settings
from service.platform.resources import Resources
from service.store import change_marks
from service.store import database as c
from service.summaries import recompute as recompute_module
from service.summaries.model import SalaryScope
from service.summaries.reads import read_salary_summaries
from service.summaries.runs import recent_runs
from tests.factories.api import Api, open_api
from tests.factories.documents import add, role_total
from worker import tasks
from worker.main import WorkerSettings

SUBMIT = """mutation ($input: SubmitSalaryInput!) { submitSalary(input: $input) {
  created userErrors { code } } }"""


def make_worker(resources: Resources, burst: bool) -> Worker:
    return Worker(functions=WorkerSettings.functions, queue_name=WorkerSettings.queue_name,
                  redis_pool=resources.redis, ctx={"resources": resources}, burst=burst, poll_delay=0.05,
                  after_job_end=tasks.after_job_end, handle_signals=False, max_jobs=4)


async def run_until_empty(resources: Resources) -> None:
    """Burst runs until the queue is empty, as `careergraph worker --burst` does: one burst can stop
    between a run's end and the follow-up it queues."""
    while True:
        await make_worker(resources, burst=True).main()
        if await jobs_waiting(resources.redis) == 0:
            return


@contextlib.asynccontextmanager
async def running_worker(resources: Resources) -> AsyncIterator[Worker]:
    worker = make_worker(resources, burst=False)
    task = asyncio.create_task(worker.async_run())
    try:
        yield worker
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def settled(resources: Resources, timeout_s: float = 30.0) -> None:
    """Until nothing is queued, running or marked dirty."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    while asyncio.get_running_loop().time() < deadline:
        queued = await resources.redis.zcard(WorkerSettings.queue_name)
        running = [k async for k in resources.redis.scan_iter(match=in_progress_key("*"))]
        dirty = await resources.redis.hlen(change_marks.INPUTS_CHANGED)
        if not queued and not running and not dirty:
            return
        await asyncio.sleep(0.1)
    raise AssertionError("the worker did not settle")


@pytest.fixture
async def api(settings: Settings, resources: Resources) -> AsyncIterator[Api]:
    async for opened in open_api(settings, resources):
        yield opened


async def test_a_queued_recompute_runs_once_and_publishes(api: Api, resources: Resources) -> None:
    await add(resources.db, "backend-developer", [100_000.0, 120_000.0])
    assert await enqueue_recompute(resources.redis, ["backend-developer"], defer_s=0) == ["backend-developer"]
    assert await enqueue_recompute(resources.redis, ["backend-developer"], defer_s=0) == []  # de-duplicated
    await make_worker(resources, burst=True).main()
    runs = await recent_runs(resources, 10)
    assert [(r.scope, r.outcome) for r in runs] == [("backend-developer", "ok")]
    # keep_result=0: the job id is free as soon as the run ends
    assert await enqueue_recompute(resources.redis, ["backend-developer"], defer_s=0) == ["backend-developer"]


async def test_a_transient_failure_is_retried_with_backoff(
        api: Api, resources: Resources, monkeypatch: pytest.MonkeyPatch) -> None:
    await add(resources.db, "backend-developer", [100_000.0])
    real = recompute_module.recompute
    calls: list[int] = []

    async def flaky(res: Resources, scope: str, trigger: str = "worker") -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise AutoReconnect("primary stepped down")
        return await real(res, scope, trigger)

    monkeypatch.setattr(recompute_module, "recompute", flaky)
    monkeypatch.setattr(tasks, "backoff_s", lambda job_try: 0.2)
    await enqueue_recompute(resources.redis, ["backend-developer"], defer_s=0)
    worker = make_worker(resources, burst=True)
    await worker.main()
    assert len(calls) == 2 and worker.jobs_retried == 1 and worker.jobs_complete == 1
    summary = role_total(await read_salary_summaries(resources, SalaryScope("backend-developer")))
    assert summary.count == 1


async def test_a_thousand_concurrent_submissions_cause_few_recomputes_and_all_count(
        api: Api, resources: Resources) -> None:
    async with running_worker(resources):
        semaphore = asyncio.Semaphore(100)

        async def submit(i: int) -> dict[str, Any]:
            salary = {"role": "backend-developer", "amount": 50_000 + i, "currency": "USD", "country": "US",
                      "experienceYears": 3, "idempotencyKey": f"burst-{i:05d}"}
            async with semaphore:
                return await api.data(SUBMIT, {"input": salary}, key="reader")

        replies = await asyncio.gather(*[submit(i) for i in range(1000)])
        assert [r for r in replies if not r["submitSalary"]["created"]][:3] == []
        await asyncio.sleep(1.5)  # the debounce window of the last write
        await settled(resources)
    stored = await resources.db[c.SALARY_OBSERVATIONS].count_documents({"role": "backend-developer"})
    summary = role_total(await read_salary_summaries(resources, SalaryScope("backend-developer")))
    runs = await recent_runs(resources, 100)
    assert stored == 1000 and summary.count == 1000 and not summary.stale
    assert all(r.outcome == "ok" for r in runs)
    assert 1 <= len(runs) <= 40, f"{len(runs)} recomputes for 1,000 submissions"


async def test_a_write_during_a_run_gets_a_follow_up_run(
        api: Api, resources: Resources, monkeypatch: pytest.MonkeyPatch) -> None:
    await add(resources.db, "backend-developer", [100_000.0])
    real = recompute_module.recompute
    scopes: list[str] = []

    async def with_a_concurrent_write(res: Resources, scope: str, trigger: str = "worker") -> Any:
        run = await real(res, scope, trigger)
        if not scopes:  # a submission lands after the first run has read the data
            await add(res.db, "backend-developer", [200_000.0])
            assert await observations_written(res.redis, ["backend-developer"]) == []  # id still taken
        scopes.append(scope)
        return run

    monkeypatch.setattr(recompute_module, "recompute", with_a_concurrent_write)
    await enqueue_recompute(resources.redis, ["backend-developer"], defer_s=0)
    await run_until_empty(resources)
    assert scopes == ["backend-developer", "backend-developer"]
    summary = role_total(await read_salary_summaries(resources, SalaryScope("backend-developer")))
    assert (summary.count, summary.stale) == (2, False)


async def test_a_write_as_a_run_ends_gets_a_follow_up_run(
        api: Api, resources: Resources, monkeypatch: pytest.MonkeyPatch) -> None:
    """A write marked after the run's function returned but before arq freed its job id cannot
    queue a run itself (the id is taken): the run's end must still queue its follow-up."""
    await add(resources.db, "backend-developer", [100_000.0])
    real_finish, real_recompute = Worker.finish_job, recompute_module.recompute
    scopes: list[str] = []

    async def counted(res: Resources, scope: str, trigger: str = "worker") -> Any:
        scopes.append(scope)
        return await real_recompute(res, scope, trigger)

    async def with_a_write_first(worker: Worker, job_id: str, *args: Any) -> None:
        if len(scopes) == 1 and job_id.startswith("recompute:"):
            await add(resources.db, "backend-developer", [200_000.0])
            assert await observations_written(resources.redis, ["backend-developer"]) == []  # id still taken
        await real_finish(worker, job_id, *args)

    monkeypatch.setattr(recompute_module, "recompute", counted)
    monkeypatch.setattr(Worker, "finish_job", with_a_write_first)
    await enqueue_recompute(resources.redis, ["backend-developer"], defer_s=0)
    await run_until_empty(resources)
    assert scopes == ["backend-developer", "backend-developer"]
    summary = role_total(await read_salary_summaries(resources, SalaryScope("backend-developer")))
    assert (summary.count, summary.stale) == (2, False)


async def test_a_run_whose_worker_died_is_reaped_and_its_job_runs_again(
        settings: Settings, resources: Resources) -> None:
    """A worker SIGKILLed mid-run leaves a "running" record and arq's in-progress key; the reaper
    marks the run abandoned and frees the key, and the job (still queued) runs to the end."""
    import dataclasses
    from datetime import UTC, datetime, timedelta

    from service.jobs import in_progress_key, recompute_job_id
    from service.summaries.runs import reap_abandoned_runs

    fast = dataclasses.replace(settings, run_stale_after_s=3.0)  # room for a slow machine between the lines below
    resources = dataclasses.replace(resources, settings=fast)
    await add(resources.db, "backend-developer", [90_000.0 + i for i in range(6)])
    assert await enqueue_recompute(resources.redis, ["backend-developer"], defer_s=0) == ["backend-developer"]
    await resources.redis.set(in_progress_key("backend-developer"), b"1", px=600_000)  # the dead worker's mark
    old = datetime.now(UTC) - timedelta(seconds=30)
    await resources.db[c.RECOMPUTE_RUNS].insert_one({
        "run_id": "dead-run", "scope": "backend-developer", "trigger": "worker", "started_at": old,
        "heartbeat_at": old, "outcome": "running", "host": "gone:1"})
    fresh = datetime.now(UTC)
    await resources.db[c.RECOMPUTE_RUNS].insert_one({
        "run_id": "live-run", "scope": "data-engineer", "trigger": "worker", "started_at": fresh,
        "heartbeat_at": fresh, "outcome": "running", "host": "alive:1"})

    reaped = await reap_abandoned_runs(resources)
    assert [r.run_id for r in reaped] == ["dead-run"] and reaped[0].outcome == "abandoned"
    assert await reap_abandoned_runs(resources) == []  # claimed once
    assert not await resources.redis.exists(in_progress_key("backend-developer"))
    assert await resources.redis.zscore(WorkerSettings.queue_name, recompute_job_id("backend-developer"))
    live = await resources.db[c.RECOMPUTE_RUNS].find_one({"run_id": "live-run"})
    assert live is not None and live["outcome"] == "running"  # its heartbeat is recent

    async with running_worker(resources):
        await settled(resources)
    runs = {r.run_id: r for r in await recent_runs(resources, 10)}
    assert runs["dead-run"].outcome == "abandoned" and "gone:1" in (runs["dead-run"].error or "")
    done = [r for r in runs.values() if r.scope == "backend-developer" and r.outcome == "ok"]
    assert len(done) == 1 and done[0].documents_read == 6


async def test_a_running_run_keeps_its_heartbeat_fresh(settings: Settings, resources: Resources) -> None:
    import dataclasses

    slow = dataclasses.replace(settings, failpoints=(("recompute.after_store", 2.5),))
    resources = dataclasses.replace(resources, settings=slow)
    await add(resources.db, "backend-developer", [90_000.0 + i for i in range(6)])
    run = asyncio.create_task(recompute_module.recompute(resources, "backend-developer"))
    await asyncio.sleep(2.3)
    doc = await resources.db[c.RECOMPUTE_RUNS].find_one({"scope": "backend-developer"})
    assert doc is not None and doc["outcome"] == "running" and doc["heartbeat_at"] > doc["started_at"]
    assert (await run).outcome == "ok"


async def test_the_burst_command_runs_again_while_a_follow_up_is_queued(settings: Settings) -> None:
    """`careergraph worker --burst`: a burst that ended with a job still queued (the follow-up a
    run's end queues) is followed by another, and the command returns once the queue is empty."""
    import redis as sync_redis

    from service.tools.worker_command import burst_until_empty

    client = sync_redis.Redis.from_url(settings.redis_url or "")
    bursts: list[int] = []

    async def one_burst() -> None:
        bursts.append(client.zcard(WorkerSettings.queue_name))
        if len(bursts) == 1:  # the first burst's run queues a follow-up as it ends
            client.zadd(WorkerSettings.queue_name, {"recompute:backend-developer": 0})
        else:  # the next burst runs it
            client.zrem(WorkerSettings.queue_name, "recompute:backend-developer")

    with client:
        await burst_until_empty(one_burst, settings)
        assert bursts == [0, 1] and client.zcard(WorkerSettings.queue_name) == 0
