"""Next-move candidates follow the catalogue: a change announced through the job contract (the seed,
an edit) queues the worker's refresh, which stores every role's candidates again."""

from __future__ import annotations

from arq.worker import Worker

from service.catalog.edits import upsert_role
from service.catalog.model import Role, RoleSkill
from service.decisions import candidates
from service.decisions.candidates import MOVE_CANDIDATES, refresh_candidates
from service.ingest.seed import seed
from service.jobs import MOVE_CANDIDATES_JOB_ID, REFRESH_MOVE_CANDIDATES, jobs_waiting
from service.platform.resources import Resources
from service.store import database as c
from worker import tasks
from worker.main import WorkerSettings


async def run_queue(resources: Resources) -> None:
    while True:
        await Worker(functions=WorkerSettings.functions, queue_name=WorkerSettings.queue_name,
                     redis_pool=resources.redis, ctx={"resources": resources}, burst=True, poll_delay=0.05,
                     after_job_end=tasks.after_job_end, handle_signals=False, max_jobs=4).main()
        if await jobs_waiting(resources.redis) == 0:
            return


async def stored_for(resources: Resources, role: str) -> set[str]:
    doc = await resources.db[MOVE_CANDIDATES].find_one({"role": role})
    return {x["role"] for x in (doc or {}).get("candidates", [])}


async def test_the_seed_and_an_edit_queue_the_refresh_and_the_worker_runs_it(resources: Resources) -> None:
    await seed(resources)
    queued = await resources.redis.zrange(WorkerSettings.queue_name, 0, -1)
    assert MOVE_CANDIDATES_JOB_ID.encode() in queued
    await run_queue(resources)
    assert await resources.db[MOVE_CANDIDATES].count_documents({}) == await resources.db[c.ROLES].count_documents({})
    assert "platform-engineer" not in await stored_for(resources, "backend-developer")
    role = Role(slug="platform-engineer", title="Platform Engineer", family="operations",
                skills=(RoleSkill("python", "core"), RoleSkill("sql", "core"), RoleSkill("docker", "core")))
    stored, errors = await upsert_role(resources, role)
    assert stored is not None and not errors
    assert "platform-engineer" not in await stored_for(resources, "backend-developer")  # until the worker runs
    await run_queue(resources)
    assert "platform-engineer" in await stored_for(resources, "backend-developer")
    assert await stored_for(resources, "platform-engineer")


async def test_a_refresh_that_the_catalogue_changed_under_runs_again(resources: Resources, monkeypatch) -> None:
    """An edit that lands while candidates are found (after the catalogue was read) is not lost."""
    await seed(resources)
    store = candidates.store_candidates
    calls = []

    async def store_then_edit(db, roles=None):  # type: ignore[no-untyped-def]
        stored = await store(db, roles)
        calls.append(stored)
        if len(calls) == 1:
            await db[c.ROLES].insert_one({**await db[c.ROLES].find_one({"slug": "devops-engineer"}, {"_id": 0}),
                                          "slug": "site-reliability-engineer", "title": "SRE", "related": []})
        return stored

    monkeypatch.setattr(candidates, "store_candidates", store_then_edit)
    assert await refresh_candidates(resources.db) == await resources.db[c.ROLES].count_documents({})
    assert len(calls) == 2 and "site-reliability-engineer" in await stored_for(resources, "devops-engineer")
    assert REFRESH_MOVE_CANDIDATES in {f.name for f in WorkerSettings.functions}
