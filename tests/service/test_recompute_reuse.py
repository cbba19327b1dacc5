"""A full recompute reuses the rows of roles whose inputs did not change, and publishes exactly what a
run from scratch would; anything that changes a role's inputs makes it computed again: writes that
bypass careergraph (inserts and deletes by hand), a change mark, new exchange rates, another
minimum cell size, and stored amounts that went missing."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import orjson
import pytest

from service.ingest.fx import import_fx
from service.ingest.seed import load_seed
from service.platform.resources import Resources
from service.store import change_marks, summary_cache
from service.store import database as c
from service.summaries import reuse, rollups
from service.summaries.recompute import recompute
from tests.factories.documents import add
from tests.factories.official_files import write_ecb_csv

RATES = {"USD": {2023: [1.08, 1.10], 2024: [1.09, 1.07]}, "GBP": {2023: [0.87, 0.86], 2024: [0.84, 0.85]}}
ROLES = ("backend-developer", "frontend-developer", "data-scientist")


@pytest.fixture
async def stocked(resources: Resources, tmp_path: Path) -> Resources:
    await load_seed(resources.db)
    await import_fx(resources, write_ecb_csv(tmp_path / "rates.csv", RATES))
    for i, role in enumerate(ROLES):
        await add(resources.db, role, [90_000.0 + 1_000 * k + i for k in range(12)], "US", year=2024)
        await add(resources.db, role, [60_000.0 + 700 * k for k in range(8)], "DE", currency="EUR", year=2023)
        await add(resources.db, role, [55_000.0 + 900 * k for k in range(6)], "GB", "senior", currency="GBP",
                  year=2024)
    return resources


async def published(resources: Resources) -> dict[str, Any]:
    """What readers get: each role's rows in MongoDB and in the current Redis version, and the
    skills' pay premium."""
    db = resources.db
    rows = {d["role"]: d["cells"] async for d in db[c.SALARY_SUMMARIES].find({}, {"role": 1, "cells": 1})}
    for role, cells in rows.items():
        cached = await summary_cache.read(resources.redis, summary_cache.salary_field(role))
        assert cached.payload is not None
        assert orjson.loads(cached.payload)["cells"] == cells, role
    premiums = {d["subject"]: d.get("pay") async for d in db[c.DEMAND_SUMMARIES].find({"kind": "skill"})}
    return {"rows": rows, "premiums": premiums}


async def test_an_unchanged_full_run_reuses_every_role_and_publishes_the_same(stocked: Resources) -> None:
    first = await recompute(stocked, "all", trigger="cli")
    assert first.roles_reused == 0 and first.documents_read == 3 * 26
    before = await published(stocked)
    assert set(before["rows"]) == set(ROLES) and any(before["premiums"].values())
    second = await recompute(stocked, "all", trigger="cli")
    assert second.roles_reused == len(ROLES) and second.documents_read == 0
    assert second.version != first.version
    assert await published(stocked) == before
    docs = [d async for d in stocked.db[c.SALARY_SUMMARIES].find({}, {"version": 1})]
    assert {d["version"] for d in docs} == {second.version}  # reused rows carry the new version
    await reuse.forget(stocked.db)
    scratch = await recompute(stocked, "all", trigger="cli")
    assert scratch.roles_reused == 0 and scratch.documents_read == 3 * 26
    assert await published(stocked) == before


async def test_writes_that_bypass_careergraph_are_seen(stocked: Resources) -> None:
    await recompute(stocked, "all", trigger="cli")
    await add(stocked.db, "frontend-developer", [250_000.0], "US", year=2024)  # no change mark
    gone = await stocked.db[c.SALARY_OBSERVATIONS].find_one({"role": "data-scientist", "country": "GB"})
    await stocked.db[c.SALARY_OBSERVATIONS].delete_one({"_id": gone["_id"]})
    run = await recompute(stocked, "all", trigger="cli")
    # each role reads its one change from the change stream: the insert, and the deletion (from its pre-image)
    assert run.roles_reused == 1 and run.documents_read == 1 + 1 and run.read_whole == {}
    incremental = await published(stocked)
    await reuse.forget(stocked.db)
    await recompute(stocked, "all", trigger="cli")
    assert await published(stocked) == incremental
    role_rows = [r for r in incremental["rows"]["frontend-developer"] if r["level"] == "ROLE"]
    assert sum(r["count"] for r in role_rows if not r.get("normalized_to")) == 27


def usd_total(rows: list[dict[str, Any]]) -> dict[str, Any]:
    (total,) = [r for r in rows if r["level"] == "ROLE" and r["currency"] == "USD" and not r.get("normalized_to")]
    return total


async def test_a_marked_role_is_computed_again(stocked: Resources) -> None:
    await recompute(stocked, "all", trigger="cli")
    mean = usd_total((await published(stocked))["rows"]["backend-developer"])["mean"]
    await stocked.db[c.SALARY_OBSERVATIONS].update_one({"role": "backend-developer", "country": "US"},
                                                       {"$set": {"amount": 1_000_000.0}})
    # as careergraph's own edits in place do: forget the role's roll-up (a count cannot see an edit), mark it
    await rollups.forget(stocked.db, ["backend-developer"])
    await change_marks.mark_inputs_changed(stocked.redis, ["backend-developer"])
    run = await recompute(stocked, "all", trigger="cli")
    assert run.roles_reused == 2
    rows = (await published(stocked))["rows"]["backend-developer"]
    # one of 12 amounts near 95,000 is now 1,000,000 (on the grid too): the mean moved by about 75,000
    assert usd_total(rows)["mean"] - mean > 70_000


async def test_new_rates_or_another_cell_size_recompute_every_role(stocked: Resources, tmp_path: Path) -> None:
    await recompute(stocked, "all", trigger="cli")
    before = await published(stocked)
    await import_fx(stocked, write_ecb_csv(tmp_path / "newer.csv", {**RATES, "GBP": {2023: [0.9], 2024: [0.8]}}))
    run = await recompute(stocked, "all", trigger="cli")
    assert run.roles_reused == 0
    assert (await published(stocked))["rows"] != before["rows"]
    assert (await recompute(stocked, "all", trigger="cli")).roles_reused == len(ROLES)
    stricter = dataclasses.replace(stocked, settings=dataclasses.replace(stocked.settings, min_cell_size=7))
    assert (await recompute(stricter, "all", trigger="cli")).roles_reused == 0


async def test_missing_stored_amounts_make_a_role_computed_again(stocked: Resources) -> None:
    await recompute(stocked, "all", trigger="cli")
    before = await published(stocked)
    await stocked.db[c.SALARY_AMOUNTS].delete_many({"role": "data-scientist"})
    run = await recompute(stocked, "all", trigger="cli")
    assert run.roles_reused == 2 and run.documents_read == 0  # computed from its roll-up: nothing to read
    assert await published(stocked) == before
    await stocked.db[c.SALARY_AMOUNTS].delete_many({"role": "data-scientist"})
    await rollups.forget(stocked.db, ["data-scientist"])
    run = await recompute(stocked, "all", trigger="cli")
    assert run.roles_reused == 2 and run.documents_read == 26  # and without one, read whole
    assert await published(stocked) == before


async def test_stored_amounts_span_chunks(stocked: Resources, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reuse, "CHUNK_VALUES", 7)
    await recompute(stocked, "all", trigger="cli")
    chunks = await stocked.db[c.SALARY_AMOUNTS].count_documents({"role": "backend-developer"})
    assert chunks == 4  # 26 amounts in chunks of 7
    before = await published(stocked)
    run = await recompute(stocked, "all", trigger="cli")
    assert run.roles_reused == len(ROLES) and await published(stocked) == before
