"""Files of other releases and files without dates: a survey in its older layout imports without the
columns it lacks (and says so), pay per month or week becomes annual, and records that state no year
keep it unknown unless the operator states the file's period (`--observed-in`)."""

from __future__ import annotations

import io
from collections import Counter
from contextlib import redirect_stderr
from datetime import date
from pathlib import Path

import pytest

from service.ingest.fx import import_fx
from service.ingest.salaries import MapFileError, import_salaries, load_format, observed_in_format
from service.ingest.seed import load_seed
from service.platform.config import Settings
from service.platform.resources import Resources
from service.store import database as c
from service.summaries.model import SalaryScope
from service.summaries.reads import read_salary_summaries
from service.summaries.recompute import recompute
from service.tools.cli import main
from tests.factories.official_files import write_ecb_csv
from tests.factories.paths import LEVELS_FYI_SAMPLE
from tests.factories.salary_files import so_survey_old_file

SAMPLE_GOOD = 4  # the sample's good records (its own test counts them)


async def test_an_older_survey_layout_imports_without_the_columns_it_lacks(resources: Resources,
                                                                          tmp_path: Path) -> None:
    await load_seed(resources.db)
    path = tmp_path / "survey_results_public.csv"
    expected = so_survey_old_file(path)
    report = await import_salaries(resources, path, load_format("so-survey", None))
    assert (report.records_read, report.imported, report.rejected_count) == (
        expected.records, len(expected.good), len(expected.bad_lines))
    assert {r.line: r.reason for r in report.rejections}.keys() == expected.bad_lines.keys()
    assert all("pay period" in r.reason for r in report.rejections)
    said = "\n".join(report.lines())
    assert "no Employment, RemoteWork column" in said and "employment type, remote ratio" in said
    stored = [d async for d in resources.db[c.SALARY_OBSERVATIONS].find({})]
    assert Counter((d["role"], d["country"], d["currency"], d["amount"], d["experience_band"], d["published_amount"])
                   for d in stored) == Counter((r["role"], r["country"], r["currency"], r["amount"], r["band"],
                                                r["published"]) for r in expected.good)
    assert all("employment_type" not in d and "remote_ratio" not in d for d in stored)
    run = await resources.db[c.IMPORT_RUNS].find_one({"run_id": report.run_id})
    assert run is not None and run["without_columns"] == ["Employment", "RemoteWork"]


async def test_a_column_the_format_needs_is_still_required(resources: Resources, tmp_path: Path) -> None:
    path = tmp_path / "survey.csv"
    so_survey_old_file(path)
    text = path.read_text().replace("CompTotal", "Salary", 1)
    path.write_text(text)
    with pytest.raises(MapFileError, match=r"header lacks column.*CompTotal"):
        await import_salaries(resources, path, load_format("so-survey", None))


async def test_records_without_a_year_keep_it_unknown_and_say_which_rates_convert_them(
        resources: Resources, tmp_path: Path) -> None:
    await load_seed(resources.db)
    await import_fx(resources, write_ecb_csv(tmp_path / "ecb.csv", {"USD": {2022: [1.05], 2023: [1.08, 1.10]},
                                                                      "GBP": {2022: [0.85], 2023: [0.87]}}))
    report = await import_salaries(resources, LEVELS_FYI_SAMPLE, load_format("levels-fyi", None))
    assert any("year stays unknown" in line for line in report.lines())
    years = await resources.db[c.SALARY_OBSERVATIONS].distinct("year")
    assert years == [None]  # not the year of the import
    await recompute(resources, "all")
    by_year = await read_salary_summaries(resources, SalaryScope("backend-developer", level="YEAR",
                                                                 normalize_to="EUR"))
    assert [row.year for row in by_year] == [None]  # in no year's roll-up
    (pooled,) = await read_salary_summaries(resources, SalaryScope("backend-developer", level="ROLE",
                                                                   normalize_to="EUR"))
    assert pooled.conversion is not None
    assert pooled.conversion.unknown_year_count == pooled.count and pooled.conversion.unknown_year_rates == (2023,)


async def test_an_operator_states_the_period_of_a_file(resources: Resources) -> None:
    report = await import_salaries(resources, LEVELS_FYI_SAMPLE, load_format("levels-fyi", None), observed_in=2021)
    assert report.imported == SAMPLE_GOOD
    assert await resources.db[c.SALARY_OBSERVATIONS].distinct("year") == [2021]
    assert any("observed in 2021" in line for line in report.lines())
    run = await resources.db[c.IMPORT_RUNS].find_one({"run_id": report.run_id})
    assert run is not None and run["observed_in"] == 2021


def test_a_stated_period_keeps_the_years_records_state(tmp_path: Path) -> None:
    fmt = observed_in_format(load_format("ai-jobs", None), 2021)
    assert fmt.defaults["year"] == "2021" and fmt.columns["year"] == "work_year"  # a record's own year wins
    with pytest.raises(MapFileError, match="--observed-in must be a year"):
        observed_in_format(fmt, date.today().year + 1)


def test_the_command_refuses_a_period_no_observation_may_have(settings: Settings) -> None:
    err = io.StringIO()
    with redirect_stderr(err):
        code = main(["import", "salaries", str(LEVELS_FYI_SAMPLE), "--observed-in", "1850"])
    assert code == 2 and "--observed-in must be a year from 1990" in err.getvalue()
