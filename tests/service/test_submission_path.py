"""The submission path's shortcuts keep their promises: a key lookup kept for a moment, a known
role remembered, and arq's enqueue skipped only where it would have been a no-op."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest

from service import jobs
from service.access import api_keys, revocations
from service.catalog.model import Role
from service.errors import Unauthenticated
from service.platform.resources import Resources
from service.salaries.submissions import SalarySubmission, submit_salary, validate
from service.store import change_marks
from service.store import database as c


async def test_a_revoked_key_is_refused_at_once_here_and_within_the_cache_time_elsewhere(
        resources: Resources, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api_keys, "KEY_CACHE_S", 0.3)
    db = resources.db
    for revoke_here in (True, False):
        key = await api_keys.create_api_key(db, "reader", "t")
        header = f"Bearer {key}"
        assert (await api_keys.authenticate(resources, header)).role == "reader"  # looked up, now kept
        wrong = header[:-1] + ("A" if header[-1] != "A" else "B")
        with pytest.raises(Unauthenticated):  # a kept document still checks the secret
            await api_keys.authenticate(resources, wrong)
        key_id = key.split("_")[1]
        if revoke_here:
            await revocations.revoke_api_key(resources, key_id)
        else:  # as a revocation nobody announced (Redis away): the kept copy serves until it is too old
            await db[api_keys.COLLECTION].update_one({"key_id": key_id}, {"$set": {"revoked": True}})
            assert (await api_keys.authenticate(resources, header)).role == "reader"
            await asyncio.sleep(0.35)
        with pytest.raises(Unauthenticated):
            await api_keys.authenticate(resources, header)


async def test_unknown_roles_are_looked_up_every_time(resources: Resources) -> None:
    await c.ensure_collections(resources.db)
    sub = SalarySubmission(role="made-up-role", amount=90_000, currency="USD", country="US",
                           experience_years=3, idempotency_key="unknown-role-1")
    assert [e.code for e in (await submit_salary(resources, sub, None)).errors] == ["NOT_FOUND"]
    await resources.db[c.ROLES].insert_one(Role("made-up-role", "Made-up role", "engineering").to_document())
    stored = await submit_salary(resources, sub, None)
    assert stored.created and not stored.errors
    assert await resources.db[c.SALARY_OBSERVATIONS].count_documents({"role": "made-up-role"}) == 1


async def test_a_write_queues_a_recompute_only_where_none_is_queued_or_running(resources: Resources) -> None:
    redis = resources.redis
    assert await jobs.observations_written(redis, ["backend-developer"]) == ["backend-developer"]
    first = await redis.hget(change_marks.INPUTS_CHANGED, "backend-developer")
    await asyncio.sleep(0.002)
    # queued already: marked again, nothing sent to arq; another role in the same write is queued
    assert await jobs.observations_written(redis, ["backend-developer", "devops-engineer"]) == ["devops-engineer"]
    assert int(await redis.hget(change_marks.INPUTS_CHANGED, "backend-developer")) > int(first)
    assert await redis.exists(jobs.queued_job_key("devops-engineer")) == 1
    await redis.delete(jobs.queued_job_key("backend-developer"))  # the job ran and its id is free
    assert await jobs.observations_written(redis, ["backend-developer"]) == ["backend-developer"]


def test_errors_name_the_submissions_own_fields_not_the_schemas() -> None:
    """The service speaks snake_case; the GraphQL adapter gives each field its client-facing name."""
    bad = SalarySubmission(role="r", amount=-1, currency="XXX", country="ZZ", experience_years=-1,
                           idempotency_key="short", title="t" * 200, base_amount=5, year=1900)
    fields = [error.field for error in validate(bad)]
    assert {"idempotency_key", "experience_years", "title"} <= set(fields)
    assert set(fields) <= {field.name for field in dataclasses.fields(SalarySubmission)}
