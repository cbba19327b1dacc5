"""A role's run after writes reads only the changes committed after the role's roll-up (inserts,
whatever their `_id`, and deletions), and publishes exactly what a run that reads the role whole
publishes; a torn or foreign roll-up, or a position the change stream refuses, makes the run read
the role whole once, and its record says why."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from bson import ObjectId
from pymongo import WriteConcern

from service.ingest.fx import import_fx
from service.ingest.seed import load_seed
from service.platform.resources import Resources
from service.store import database as c
from service.summaries import cell_reads, rollups
from service.summaries.recompute import recompute
from tests.factories.documents import add, observation
from tests.factories.official_files import write_ecb_csv

RATES = {"USD": {2023: [1.08, 1.10], 2024: [1.09, 1.07]}, "GBP": {2023: [0.87, 0.86], 2024: [0.84, 0.85]}}
ROLE = "backend-developer"
OTHERS = ("frontend-developer", "data-scientist")


@pytest.fixture
async def stocked(resources: Resources, tmp_path: Path) -> Resources:
    await load_seed(resources.db)
    await import_fx(resources, write_ecb_csv(tmp_path / "rates.csv", RATES))
    for i, role in enumerate((ROLE, *OTHERS)):
        await add(resources.db, role, [90_000.0 + 1_000 * k + i for k in range(12)], "US", year=2024)
        await add(resources.db, role, [60_000.0 + 700 * k for k in range(8)], "DE", currency="EUR", year=2023)
        await add(resources.db, role, [55_000.0 + 900 * k for k in range(6)], "GB", "senior", currency="GBP",
                  year=2024)
    return resources


async def published(resources: Resources, role: str = ROLE) -> dict[str, Any]:
    """The role's rows, inputs and demand document as stored (what readers are given)."""
    salary = await resources.db[c.SALARY_SUMMARIES].find_one({"role": role})
    role_demand = await resources.db[c.DEMAND_SUMMARIES].find_one({"subject": f"role:{role}"})
    assert salary is not None and role_demand is not None
    return {"cells": salary["cells"], "inputs": salary["inputs"], "sample_size": salary["sample_size"],
            "by_year": role_demand["observations_by_year"], "demand_sample": role_demand["sample_size"]}


async def read_whole(resources: Resources, role: str = ROLE) -> dict[str, Any]:
    """What a run that reads the role's observations whole publishes."""
    run = await recompute(resources, role, from_scratch=True)
    assert run.documents_read == await resources.db[c.SALARY_OBSERVATIONS].count_documents({"role": role})
    return await published(resources, role)


async def test_a_run_after_writes_reads_only_them_and_publishes_what_a_whole_read_would(
        stocked: Resources) -> None:
    first = await recompute(stocked, ROLE)
    assert first.documents_read == 26  # no roll-up yet: read whole, and one is stored
    assert (await rollups.load(stocked.db, ROLE)) is not None
    await add(stocked.db, ROLE, [123_456.0], "US", year=2024)  # an existing cell
    await add(stocked.db, ROLE, [70_000.0, 71_000.0], "FR", "entry", currency="EUR", year=2025)  # a new one
    await add(stocked.db, ROLE, [40_000.0], "US", year=2022, employment_type="part-time")  # counted, not summarised
    run = await recompute(stocked, ROLE)
    assert run.documents_read == 4 and run.outcome == "ok"
    incremental = await published(stocked)
    assert incremental["sample_size"] == 29 and incremental["demand_sample"] == 30
    assert {"year": 2022, "count": 1} in incremental["by_year"]
    assert incremental == await read_whole(stocked)


async def test_a_full_run_takes_a_role_written_since_from_its_roll_up(stocked: Resources) -> None:
    await recompute(stocked, "all", trigger="cli")
    await add(stocked.db, ROLE, [99_999.0], "US", year=2024)
    assert (await recompute(stocked, ROLE)).documents_read == 1
    after_role_run = await published(stocked)
    full = await recompute(stocked, "all", trigger="cli")
    assert full.roles_reused == 2 and full.documents_read == 0  # nothing came after the role run
    assert await published(stocked) == after_role_run
    assert (await recompute(stocked, "all", trigger="cli")).roles_reused == 3  # its amounts are stored now


async def test_an_insert_given_an_older_id_is_read_as_a_change(stocked: Resources) -> None:
    await recompute(stocked, ROLE)
    late = observation(ROLE, 333_000.0, "US", year=2024).to_document()
    late["_id"] = ObjectId.from_datetime(datetime.now(UTC) - timedelta(days=1))  # older than any in the roll-up
    await stocked.db[c.SALARY_OBSERVATIONS].insert_one(late)
    run = await recompute(stocked, ROLE)
    assert run.documents_read == 1 and run.read_whole == {}  # committed after the roll-up: read, whatever its id
    rows = await published(stocked)
    assert rows["sample_size"] == 27
    assert rows == await read_whole(stocked)


async def test_a_deletion_is_taken_out_of_the_roll_up(stocked: Resources) -> None:
    await recompute(stocked, ROLE)
    gone = await stocked.db[c.SALARY_OBSERVATIONS].find_one({"role": ROLE, "country": "GB"})
    await stocked.db[c.SALARY_OBSERVATIONS].delete_one({"_id": gone["_id"]})
    run = await recompute(stocked, ROLE)
    assert run.documents_read == 1 and run.read_whole == {}
    rows = await published(stocked)
    assert rows["sample_size"] == 25
    assert rows == await read_whole(stocked)


async def test_a_deletion_without_its_pre_image_makes_the_role_read_whole_once(stocked: Resources) -> None:
    await recompute(stocked, ROLE)
    await stocked.db.command("collMod", c.SALARY_OBSERVATIONS, changeStreamPreAndPostImages={"enabled": False})
    gone = await stocked.db[c.SALARY_OBSERVATIONS].find_one({"role": ROLE, "country": "GB"})
    await stocked.db[c.SALARY_OBSERVATIONS].delete_one({"_id": gone["_id"]})
    run = await recompute(stocked, ROLE)
    assert run.documents_read == 25 and list(run.read_whole.values()) == [[ROLE]]
    assert "pre-image" in next(iter(run.read_whole))
    assert (await published(stocked))["sample_size"] == 25
    await add(stocked.db, ROLE, [91_000.0], "US", year=2024)
    again = await recompute(stocked, ROLE)  # once: the new roll-up is past the deletion
    assert again.documents_read == 1 and again.read_whole == {}


async def test_a_position_the_stream_refuses_makes_the_role_read_whole_once(stocked: Resources) -> None:
    await recompute(stocked, ROLE)
    rollups._memory.clear()  # a worker that has no copy of its own (another worker, or a restart)
    await stocked.db[c.SALARY_ROLLUPS].update_one({"role": ROLE, "part": 0},
                                                  {"$set": {"position": {"_data": "8200000001000000012B"}}})
    await add(stocked.db, ROLE, [77_000.0], "US", year=2024)
    run = await recompute(stocked, ROLE)
    assert run.documents_read == 27 and list(run.read_whole.values()) == [[ROLE]]
    assert "position" in next(iter(run.read_whole))
    assert (await published(stocked)) == await read_whole(stocked)
    await add(stocked.db, ROLE, [78_000.0], "US", year=2024)
    assert (await recompute(stocked, ROLE)).documents_read == 1


async def test_writes_during_a_whole_read_are_counted_once(
        stocked: Resources, monkeypatch: pytest.MonkeyPatch) -> None:
    """A whole read in chunks of 5, with inserts (new ids and older ones) and a deletion landing
    between its chunks: the roll-up it leaves is exactly the role, and the next run reads only what
    came after."""
    monkeypatch.setattr(cell_reads, "CHUNK", 5)
    real = cell_reads._read_chunk
    chunks_read = 0

    async def with_writes_between(*args: Any, **kwargs: Any) -> Any:
        nonlocal chunks_read
        chunks_read += 1
        if chunks_read in (2, 4):
            late = observation(ROLE, 300_000.0 + chunks_read, "US", year=2024).to_document()
            late["_id"] = ObjectId.from_datetime(datetime.now(UTC) - timedelta(days=2, seconds=chunks_read))  # oldest chunk
            await stocked.db[c.SALARY_OBSERVATIONS].insert_one(late)
            await add(stocked.db, ROLE, [200_000.0 + chunks_read], "US", year=2024)  # in the newest chunk
        if chunks_read == 3:
            gone = await stocked.db[c.SALARY_OBSERVATIONS].find_one({"role": ROLE, "country": "DE"})
            await stocked.db[c.SALARY_OBSERVATIONS].delete_one({"_id": gone["_id"]})
        return await real(*args, **kwargs)

    monkeypatch.setattr(cell_reads, "_read_chunk", with_writes_between)
    first = await recompute(stocked, ROLE)
    assert chunks_read >= 6 and first.read_whole == {"no roll-up yet": [ROLE]}
    monkeypatch.setattr(cell_reads, "_read_chunk", real)
    stored = await rollups.load(stocked.db, ROLE)
    assert stored is not None and stored.observations == 26 + 4 - 1
    amounts = sorted(v for cell in stored.cells.values() for v in cell.tolist())
    assert amounts == sorted([d["amount"] async for d in stocked.db[c.SALARY_OBSERVATIONS].find({"role": ROLE})])
    await add(stocked.db, ROLE, [99_000.0], "US", year=2024)
    run = await recompute(stocked, ROLE)
    assert run.documents_read == 1 and run.read_whole == {}
    assert (await published(stocked)) == await read_whole(stocked)


async def test_a_write_not_yet_majority_committed_when_a_chunk_is_read_is_not_lost(
        stocked: Resources, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under concurrent writers, a chunk's snapshot (the majority-committed one) may lack writes the
    server has already applied, and acknowledges a moment later. Here, before each chunk, an insert
    the primary has applied but not yet made majority-committed (w: 1, unjournaled: what every write
    of a busy API is in the instant before its acknowledgement): the changes after the whole read must
    still bring each one in, so the role's next run publishes every observation."""
    monkeypatch.setattr(cell_reads, "CHUNK", 5)
    real = cell_reads._read_chunk
    unacknowledged = stocked.db[c.SALARY_OBSERVATIONS].with_options(write_concern=WriteConcern(w=1, j=False))
    chunks_read = 0

    async def applied_but_not_committed(*args: Any, **kwargs: Any) -> Any:
        nonlocal chunks_read
        chunks_read += 1
        await unacknowledged.insert_one(observation(ROLE, 400_000.0 + chunks_read, "US", year=2024).to_document())
        return await real(*args, **kwargs)

    monkeypatch.setattr(cell_reads, "_read_chunk", applied_but_not_committed)
    await recompute(stocked, ROLE)
    monkeypatch.setattr(cell_reads, "_read_chunk", real)
    await add(stocked.db, ROLE, [99_000.0], "US", year=2024)  # majority-acknowledged: so is every write before it
    await recompute(stocked, ROLE)
    stored = await stocked.db[c.SALARY_OBSERVATIONS].count_documents({"role": ROLE})
    assert chunks_read >= 6 and stored == 26 + chunks_read + 1
    assert (await published(stocked))["sample_size"] == stored
    assert (await published(stocked)) == await read_whole(stocked)


async def test_a_roll_up_in_parts_round_trips_and_a_torn_or_foreign_one_is_not_used(
        stocked: Resources, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rollups, "PART_VALUES", 7)
    await recompute(stocked, ROLE)
    parts = stocked.db[c.SALARY_ROLLUPS]
    assert await parts.count_documents({"role": ROLE}) == 4  # 26 amounts in parts of 7
    loaded = await rollups.load(stocked.db, ROLE)
    assert loaded is not None and loaded.observations == 26
    assert sorted(v for cell in loaded.cells.values() for v in cell.tolist()) == sorted(
        [d["amount"] async for d in stocked.db[c.SALARY_OBSERVATIONS].find({"role": ROLE})])
    await add(stocked.db, ROLE, [88_000.0], "US", year=2024)
    assert (await recompute(stocked, ROLE)).documents_read == 1
    await parts.update_one({"role": ROLE, "part": 2}, {"$set": {"generation": "another-write"}})
    assert await rollups.load(stocked.db, ROLE) is None
    await parts.update_one({"role": ROLE, "part": 0}, {"$set": {"generation": "a-third-write"}})
    torn = await recompute(stocked, ROLE)
    assert torn.documents_read == 27 and list(torn.read_whole) == ["roll-up torn or without a position"]
    await parts.update_many({"role": ROLE}, {"$set": {"layout": "older-code"}})
    assert await rollups.load(stocked.db, ROLE) is None


async def test_a_roll_up_is_rewritten_only_when_enough_came_after_it(
        stocked: Resources, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rollups, "REWRITE_MIN", 3)
    await recompute(stocked, ROLE)
    stored = await rollups.load(stocked.db, ROLE)
    assert stored is not None
    await add(stocked.db, ROLE, [80_000.0, 81_000.0], "US", year=2024)
    assert (await recompute(stocked, ROLE)).documents_read == 2
    kept = await rollups.load(stocked.db, ROLE)
    assert kept is not None and kept.position == stored.position  # two after it: not rewritten
    await add(stocked.db, ROLE, [82_000.0], "US", year=2024)
    assert (await recompute(stocked, ROLE)).documents_read == 1  # from the worker's copy, which had the two
    moved = await rollups.load(stocked.db, ROLE)
    assert moved is not None and moved.observations == 29 and moved.position != stored.position
    assert (await published(stocked)) == await read_whole(stocked)


async def test_whole_reads_may_go_to_a_secondary(stocked: Resources) -> None:
    """With CAREERGRAPH_WORKER_READS=secondaryPreferred the chunks are read at a snapshot from a
    secondary when there is one (here the set has one member, so the primary answers), and the
    changes from the primary: the rows are the same."""
    on_primary = await read_whole(stocked)
    settings = dataclasses.replace(stocked.settings, worker_reads="secondaryPreferred")
    run = await recompute(dataclasses.replace(stocked, settings=settings), ROLE, from_scratch=True)
    assert run.documents_read == 26 and run.read_whole == {"from scratch": [ROLE]}
    assert await published(stocked) == on_primary


async def test_chunks_end_where_they_should_whatever_the_ids(
        stocked: Resources, monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of 4 over ids of several types (ObjectIds, strings, numbers, and documents, which
    the reader cannot order itself and asks the index for) read every observation once."""
    docs = [observation(ROLE, 70_000.0 + k, "US", year=2024).to_document() for k in range(9)]
    for k, doc in enumerate(docs):
        doc["_id"] = (f"id-{k}", k * 1.5, {"restored": k})[k % 3]
    await stocked.db[c.SALARY_OBSERVATIONS].insert_many(docs)
    whole = await read_whole(stocked)
    monkeypatch.setattr(cell_reads, "CHUNK", 4)
    assert await read_whole(stocked) == whole and whole["sample_size"] == 35
