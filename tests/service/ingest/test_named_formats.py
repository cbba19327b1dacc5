"""The ai-jobs.net and Stack Overflow survey formats on files written here: every record
accounted for, every rejection recoverable, people never merged, levels, local currencies and
published conversions kept, titles in their roles, and served summaries equal to numpy over the
records written (not over what was stored)."""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from service.ingest import salary_parsing
from service.ingest.salaries import import_salaries, load_format, undo_import
from service.ingest.seed import load_seed
from service.platform.resources import Resources
from service.store import database as c
from service.summaries.model import SalaryScope
from service.summaries.reads import read_salary_summaries
from service.summaries.recompute import recompute
from tests.factories.salary_files import Expected, ai_jobs_file, so_survey_file

WRITERS = {"ai-jobs": ai_jobs_file, "so-survey": so_survey_file}


def shape(row: dict[str, Any]) -> tuple[Any, ...]:
    return (row["role"], row["country"], row["currency"], row["amount"], row["band"], row["employment_type"],
            float(row["published"]))


@pytest.mark.parametrize("in_a_process", [False, True], ids=["parsed-here", "parsed-in-a-process"])
@pytest.mark.parametrize("name", sorted(WRITERS))
async def test_every_record_is_imported_or_rejected_with_its_line(resources: Resources, tmp_path: Path,
                                                                  name: str, in_a_process: bool,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    await load_seed(resources.db)
    path = tmp_path / f"{name}.csv"
    expected: Expected = WRITERS[name](path)
    rejects = io.StringIO()
    monkeypatch.setattr(salary_parsing, "BATCH_SIZE", 16)  # several batches, rejects spread among them
    report = await import_salaries(resources, path, load_format(name, None), rejects=rejects,
                                   parse_in_process=in_a_process)
    assert (report.records_read, report.imported, report.duplicates, report.rejected_count) == (
        expected.records, len(expected.good), 0, len(expected.bad_lines))
    assert report.accounted
    written = list(csv.DictReader(io.StringIO(rejects.getvalue())))
    assert {int(r["line"]) for r in written} == set(expected.bad_lines)
    assert all(expected.bad_lines[int(r["line"])] in r["reason"] for r in written), written
    assert all(r["record"] for r in written if "broken quoting" not in r["reason"])  # recoverable
    stored = [doc async for doc in resources.db[c.SALARY_OBSERVATIONS].find({"import_batch": report.run_id})]
    found = Counter((d["role"], d["country"], d["currency"], d["amount"], d["experience_band"],
                     d.get("employment_type"), d["published_amount"]) for d in stored)
    assert found == Counter(shape(row) for row in expected.good)  # twins and repeats: each a person
    assert all(d["published_currency"] == "USD" for d in stored)
    again = await import_salaries(resources, path, load_format(name, None), parse_in_process=not in_a_process)
    assert (again.imported, again.duplicates) == (0, len(expected.good))  # both ways, the same identities


async def test_levels_and_titles_route_where_they_belong(resources: Resources, tmp_path: Path) -> None:
    await load_seed(resources.db)
    expected = ai_jobs_file(tmp_path / "ai.csv")
    report = await import_salaries(resources, tmp_path / "ai.csv", load_format("ai-jobs", None))
    assert set(report.by_role) == {r["role"] for r in expected.good} and "other-roles" not in report.by_role
    levels = {d["experience_level"]: d["experience_band"]
              async for d in resources.db[c.SALARY_OBSERVATIONS].find({}, {"experience_level": 1,
                                                                            "experience_band": 1})}
    assert levels == {"EN": "entry", "MI": "mid", "SE": "senior", "EX": "senior"}


async def test_served_summaries_equal_numpy_over_the_records_written(resources: Resources, tmp_path: Path) -> None:
    await load_seed(resources.db)
    expected = ai_jobs_file(tmp_path / "ai.csv", good=300).good + so_survey_file(tmp_path / "so.csv", good=200).good
    for name, file in (("ai-jobs", "ai.csv"), ("so-survey", "so.csv")):
        await import_salaries(resources, tmp_path / file, load_format(name, None))
    await recompute(resources, "all")
    groups: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    for row in expected:
        if row["employment_type"] == "full-time":  # summaries are of full-time pay
            groups[(row["role"], row["country"], row["currency"])].append(row["amount"])
    served = {}
    for role in {key[0] for key in groups}:
        for s in await read_salary_summaries(resources, SalaryScope(role, level="COUNTRY")):
            served[(role, s.country, s.currency)] = s
    assert set(served) == set(groups)
    checked = 0
    for key, amounts in groups.items():
        values, summary = np.asarray(amounts), served[key]
        assert summary.count == values.size
        if summary.withheld:
            assert summary.mean is None
            continue
        checked += 1  # rows of public files: published as they are, to whole units (docs/privacy.md)
        assert summary.mean == round(values.mean())
        for name, q in (("p10", 10), ("median", 50), ("p90", 90)):
            tails = name != "median" and values.size < resources.settings.tail_min
            assert getattr(summary, name) == (None if tails else round(np.percentile(values, q)))
    assert checked >= 5


async def test_an_import_can_be_undone(resources: Resources, tmp_path: Path) -> None:
    await load_seed(resources.db)
    expected = ai_jobs_file(tmp_path / "ai.csv")
    before = await resources.db[c.SALARY_OBSERVATIONS].count_documents({})
    report = await import_salaries(resources, tmp_path / "ai.csv", load_format("ai-jobs", None))
    assert report.run_id and report.imported == len(expected.good)
    for role in {r["role"] for r in expected.good}:
        await recompute(resources, role)  # each leaves a roll-up, which a deletion makes wrong
    removed, roles = await undo_import(resources, report.run_id)
    assert await resources.db[c.SALARY_ROLLUPS].count_documents({"role": {"$in": roles}}) == 0
    assert removed == len(expected.good) and set(roles) == {r["role"] for r in expected.good}
    assert await resources.db[c.SALARY_OBSERVATIONS].count_documents({}) == before
    run = await resources.db[c.IMPORT_RUNS].find_one({"run_id": report.run_id})
    assert run is not None and run["undone_observations"] == removed
