"""Bulk export: records with provenance, a manifest that matches the bytes, access rules, and the
summaries' round trip (export, load into an emptied database, the same figures served)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import UTC, datetime
from pathlib import Path

from service.ingest.summaries import import_summaries
from service.ops.export import Written, chunks
from service.platform.resources import Resources
from service.store import database as c
from service.summaries.recompute import recompute
from tests.factories.api import Api

ALL_LEVELS = """query($role: String!, $level: SummaryLevel!) { salarySummaries(role: $role, level: $level) {
  role level country experienceBand currency regionCode year count sampleSize mean min max p10 p25 median p75 p90
  stddev sufficient withheld withheldReason version computedAt status stale } }"""
LEVELS = ("CELL", "COUNTRY", "BAND", "ROLE", "REGION", "YEAR", "COUNTRY_YEAR")


async def observe(resources: Resources) -> None:
    now = datetime.now(UTC)
    rows = []
    for i in range(12):  # DE, two bands, two years; a small GB cell that must be withheld
        rows.append({"content_hash": f"ex-de-{i}", "role": "backend-developer", "amount": 50_000.0 + 1_000 * i,
                     "currency": "EUR", "country": "DE", "experience_band": "mid" if i % 2 else "senior",
                     "year": 2023 + i % 2, "source": "test", "company": f"Firm {i}", "created_at": now})
    rows += [{"content_hash": f"ex-gb-{i}", "role": "backend-developer", "amount": 60_000.0 + i, "currency": "GBP",
              "country": "GB", "experience_band": "mid", "year": 2024, "source": "test", "created_at": now}
             for i in range(2)]
    rows += [{"content_hash": f"ex-us-{i}", "role": "devops-engineer", "amount": 120_000.0 + 500 * i,
              "currency": "USD", "country": "US", "region_code": "US-TX", "experience_band": "early",
              "year": 2024, "source": "test", "created_at": now} for i in range(6)]
    await resources.db[c.SALARY_OBSERVATIONS].insert_many(rows)


async def served(api: Api) -> dict[str, list[dict[str, object]]]:
    return {f"{role}/{level}": (await api.data(ALL_LEVELS, {"role": role, "level": level}))["salarySummaries"]
            for role in ("backend-developer", "devops-engineer") for level in LEVELS}


async def test_summaries_exported_and_loaded_into_an_emptied_database_serve_the_same_figures(
        api: Api, resources: Resources, tmp_path: Path) -> None:
    await observe(resources)
    await recompute(resources, "all", trigger="test")
    before = await served(api)
    assert any(row["withheld"] for rows in before.values() for row in rows)  # GB's two people

    key = {"authorization": f"Bearer {api.keys['reader']}"}
    response = await api.client.get("/export/summaries.jsonl", headers=key)
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/x-ndjson")
    lines = response.content.decode().splitlines()
    stored = [cell async for doc in resources.db[c.SALARY_SUMMARIES].find() for cell in doc["cells"]]
    assert len(lines) == len(stored)
    first = json.loads(lines[0])
    assert {"version", "computed_at", "sample_size", "source"} <= set(first)
    assert first["sample_size"] == first["count"]
    described = (await api.client.get("/export/summaries.manifest.json", headers=key)).json()
    jsonl = next(f for f in described["files"] if f["format"] == "jsonl")
    assert jsonl["sha256"] == hashlib.sha256(response.content).hexdigest()
    assert jsonl["records"] == len(lines) and jsonl["bytes"] == len(response.content)
    assert any("CC BY 4.0" in line for line in described["attribution"])

    export = tmp_path / "summaries.jsonl"
    export.write_bytes(response.content)
    for name in (c.SALARY_SUMMARIES, c.SALARY_OBSERVATIONS):
        await resources.db[name].delete_many({})
    await resources.redis.flushdb()
    report = await import_summaries(resources, export)
    assert (report.rows, report.roles, report.rejected) == (len(lines), 2, [])
    after = await served(api)
    for key in before:
        for x, y in zip(before[key], after[key], strict=True):
            assert x == y, (key, {k: (x[k], y[k]) for k in x if x[k] != y[k]})


async def test_a_bad_line_is_reported_by_number_and_the_rest_loads(resources: Resources, tmp_path: Path) -> None:
    await observe(resources)
    await recompute(resources, "all", trigger="test")
    written = Written("summaries", "jsonl")
    good = b"".join([chunk async for chunk in chunks(resources.db, "summaries", "jsonl", written)]).splitlines()
    broken = tmp_path / "broken.jsonl"
    broken.write_bytes(b"\n".join([good[0], b"{not json", b'{"role": "x"}', *good[1:]]) + b"\n")
    report = await import_summaries(resources, broken)
    assert [n for n, _ in report.rejected] == [2, 3] and "no version" in report.rejected[1][1]
    assert report.rows == len(good)


async def test_observations_follow_the_one_policy_and_csv_has_every_row(resources: Resources) -> None:
    """A reader's view: the rows of public files, every field their source publishes; an admin's: every
    row and field (docs/privacy.md). The store's own fields never leave it."""
    await observe(resources)
    now = datetime.now(UTC)
    await resources.db[c.SALARY_OBSERVATIONS].insert_many([
        {"content_hash": f"ex-pub-{i}", "role": "backend-developer", "amount": 99_000.0 + i, "currency": "USD",
         "country": "US", "experience_band": "mid", "year": 2024, "source": "levels-fyi-export",
         "company": "Globex", "created_at": now} for i in range(2)])
    await resources.db[c.SALARY_OBSERVATIONS].update_one({"content_hash": "ex-de-0"}, {"$set": {
        "receipt_sha256": "0" * 64, "release_hold": "new"}})
    total = await resources.db[c.SALARY_OBSERVATIONS].count_documents({})
    plain = Written("observations", "jsonl")
    records = [json.loads(line) for chunk in [c_ async for c_ in chunks(resources.db, "observations", "jsonl", plain)]
               for line in chunk.decode().splitlines()]
    assert len(records) == plain.records == 2 and {r["company"] for r in records} == {"Globex"}
    assert all(r["source"] == "levels-fyi-export" for r in records)
    named = Written("observations", "csv")
    text = b"".join([c_ async for c_ in chunks(resources.db, "observations", "csv", named, "admin")])
    rows = list(csv.DictReader(io.StringIO(text.decode())))
    assert len(rows) == total and sorted({r["company"] for r in rows if r["company"]}) == sorted(
        [f"Firm {i}" for i in range(12)] + ["Globex"])
    assert not any(name in text.decode() for name in ("receipt_sha256", "release_hold", "content_hash"))


async def test_the_route_needs_a_key_and_gives_observations_in_its_view(api: Api, resources: Resources) -> None:
    assert (await api.client.get("/export/summaries.jsonl")).status_code == 401
    assert (await api.client.get("/export/observations.jsonl")).status_code == 401
    await observe(resources)  # submitted rows only (source "test")
    reader = {"authorization": f"Bearer {api.keys['reader']}"}
    seen = await api.client.get("/export/observations.jsonl", headers=reader)
    assert seen.status_code == 200 and seen.text == ""  # none of them is a reader's to see
    admin = {"authorization": f"Bearer {api.keys['admin']}"}
    assert len((await api.client.get("/export/observations.jsonl", headers=admin)).text.splitlines()) == 20
    assert (await api.client.get("/export/observations.csv", headers=admin)).status_code == 200
    assert (await api.client.get("/export/people.jsonl", headers=admin)).status_code == 404
    roles = await api.client.get("/export/roles.jsonl", headers=reader)
    assert all("slug" in json.loads(line) for line in roles.text.splitlines())
