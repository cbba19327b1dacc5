"""Next-move candidates follow the catalogue: a change announced through the job contract (the seed,
an edit) queues a full recompute, whose task stores every role's candidates again before the run
publishes its version; a catalogue that has not changed is not read twice."""

from __future__ import annotations

from typing import Any

import pytest
from arq.worker import Worker

from service.catalog.edits import upsert_role
from service.catalog.model import Role, RoleSkill
from service.decisions import candidates
from service.decisions.candidates import MOVE_CANDIDATES, refresh_candidates
from service.ingest.seed import seed
from service.jobs import jobs_waiting, recompute_job_id
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


async def test_the_seed_and_an_edit_queue_the_run_that_refreshes_them(resources: Resources) -> None:
    await seed(resources)
    queued = await resources.redis.zrange(WorkerSettings.queue_name, 0, -1)
    assert recompute_job_id("all").encode() in queued
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


async def test_an_unchanged_catalogue_is_not_searched_again(resources: Resources) -> None:
    await seed(resources)
    roles = await resources.db[c.ROLES].count_documents({})
    assert await refresh_candidates(resources.db) == roles
    assert await refresh_candidates(resources.db) == 0
    await resources.db[c.ROLES].update_one({"slug": "devops-engineer"}, {"$push": {"related": {
        "role": "backend-developer", "tier": "career step", "index": None}}})
    assert await refresh_candidates(resources.db) == roles


async def test_a_refresh_that_the_catalogue_changed_under_runs_again(resources: Resources,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """An edit that lands while candidates are found (after the catalogue was read) is not lost."""
    await seed(resources)
    store = candidates.store_candidates
    calls = []

    async def store_then_edit(db: Any, roles: list[str] | None = None) -> int:
        stored = await store(db, roles)
        calls.append(stored)
        if len(calls) == 1:
            devops = await db[c.ROLES].find_one({"slug": "devops-engineer"}, {"_id": 0})
            await db[c.ROLES].insert_one({**devops, "slug": "site-reliability-engineer", "title": "SRE", "related": []})
        return stored

    monkeypatch.setattr(candidates, "store_candidates", store_then_edit)
    assert await refresh_candidates(resources.db) == await resources.db[c.ROLES].count_documents({})
    assert len(calls) == 2 and "site-reliability-engineer" in await stored_for(resources, "devops-engineer")
