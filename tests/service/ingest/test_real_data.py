"""Reconcile imports of the real public files in ../shared/data with the files themselves."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from service.ingest.onet import import_onet
from service.ingest.salaries import LEVELS_FYI, import_salaries
from service.ingest.seed import load_seed
from service.platform.resources import Resources
from service.store import database as c
from service.text import search_key

pytestmark = pytest.mark.shared_data


async def test_onet_reconciles_with_its_files(resources: Resources, shared_data: Path) -> None:
    onet = shared_data / "onet"
    await load_seed(resources.db)
    report = await import_onet(resources, onet)
    assert report.rejected_count == 0 and report.accounted
    db = resources.db
    assert await db[c.ROLES].count_documents({"origin": "onet"}) == 1016
    roles = {d["onet_codes"][0]: {s["skill"] for s in d["skills"]}
             async for d in db[c.ROLES].find({"origin": "onet"}, {"onet_codes": 1, "skills": 1})}
    keys = {}
    async for skill in db[c.SKILLS].find({}, {"slug": 1, "search_keys": 1}):
        for key in skill["search_keys"]:
            keys.setdefault(key, set()).add(skill["slug"])
    rows = 0
    with open(onet / "Technology Skills.txt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            rows += 1
            linked = roles[row["O*NET-SOC Code"]]
            assert keys[search_key(row["Example"])] & linked, row
    assert rows == 32_627
    web = await db[c.ROLES].find_one({"onet_codes": "15-1254.00", "origin": "onet"})
    assert web is not None and "Back End Developer" in web["aliases"]
    software = await db[c.ROLES].find_one({"onet_codes": "15-1252.00", "origin": "onet"})
    assert software is not None
    hot = {s["skill"] for s in software["skills"] if s["hot"]}
    assert {"python", "mongodb"} <= hot
    again = await import_onet(resources, onet)
    notes = "\n".join(again.notes)
    assert "roles: 0 added, 0 updated" in notes and "skills: 0 added" in notes and "O*NET 29.2" in notes


async def test_levels_fyi_rows_are_all_accounted_for(resources: Resources, shared_data: Path) -> None:
    path = shared_data / "levels_fyi" / "levels_fyi_salaries.csv"
    report = await import_salaries(resources, path, LEVELS_FYI)
    assert report.records_read == 29_880
    assert report.imported + report.duplicates + report.rejected_count == 29_880
    stored = await resources.db[c.SALARY_OBSERVATIONS].count_documents({})
    assert stored == report.imported
    with open(path, encoding="utf-8", newline="") as handle:
        records = [tuple(r) for r in list(csv.reader(handle, delimiter=";"))[1:] if r]
    whole = Counter(records)
    mapped = Counter(r[:7] for r in records)  # the columns the format reads (not gender, education)
    # only exact repeats are duplicates; people who differ in any column, read or not, are kept
    assert report.duplicates == sum(n - 1 for n in whole.values()) == 224
    assert report.imported + report.rejected_count == len(whole)
    assert sum(n - 1 for n in mapped.values()) - report.duplicates == 135  # kept: they differ elsewhere
    backend = await resources.db[c.SALARY_OBSERVATIONS].count_documents({"role": "backend-developer"})
    assert backend > 5000
    again = await import_salaries(resources, path, LEVELS_FYI)
    assert again.imported == 0 and again.duplicates + again.rejected_count == 29_880
