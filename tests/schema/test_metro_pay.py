"""Metro areas through the API: crowd rows a levels.fyi file places in the Austin metro area by
their city make its METRO row (figures checked against the file's own amounts), a metro area with
too few rows shows its count only, cities no area's title names are in no METRO row, and
`payComparison(area:)` of the Austin area answers with the crowd beside OEWS's figures there. A
row of a file that is not public, placed in the area, joins no figure until its atom holds enough."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from service.ingest.fx import import_fx
from service.ingest.oews import import_oews
from service.ingest.salaries import import_salaries, load_format
from service.platform.config import Settings
from service.platform.resources import Resources
from service.summaries.recompute import recompute
from tests.factories.api import Api, codes, open_api
from tests.factories.documents import add
from tests.factories.official_files import AREAS, FlatCell, full_texts, write_ecb_csv, write_flat_files

AUSTIN, DALLAS = "0012420", "0019100"
CELLS = [FlatCell("0000000", "N", "000000", "151252", full_texts(1_687_890, 135_980)),
         FlatCell(AUSTIN, "M", "000000", "151252", full_texts(31_960, 134_120))]
PLACES = {"Austin, TX": [150_000.0, 162_000.0, 171_000.0, 185_000.0, 199_000.0, 240_000.0],
          "Round Rock, TX": [158_000.0],  # a principal city of the same area
          "Dallas, TX": [140_000.0, 145_000.0],  # under the minimum of 5
          "Redmond, WA": [210_000.0, 220_000.0, 230_000.0]}  # in no area's title: no METRO row
ROWS = """query ($metro: String, $level: SummaryLevel) { salarySummaries(role: "backend-developer", metro: $metro,
  level: $level, normalizeTo: "USD") { level country metroCode count median mean withheld } }"""
COMPARISON = """query ($area: String!) { payComparison(role: "backend-developer", area: $area) {
  area crowdMedian crowdCount crowdWithheld official { occupation annualMedian employment ratio } } }"""


def levels_file(path: Path) -> Path:
    rows = ["company;title;totalyearlycompensation;location;yearsofexperience;yearsatcompany;tag;gender;Education"]
    for place, amounts in PLACES.items():
        rows += [f"Co{place[:3]}{i};Software Engineer;{amount:.0f};{place};4;1;Distributed Systems (Back-End);;PhD"
                 for i, amount in enumerate(amounts)]
    path.write_text("\n".join(rows) + "\n")
    return path


@pytest.fixture
async def api(settings: Settings, resources: Resources, tmp_path: Path) -> Api:  # type: ignore[misc]
    async for opened in open_api(settings, resources):
        await import_oews(resources, write_flat_files(tmp_path / "oe", CELLS, areas=[
            *AREAS, ("48", DALLAS, "M", "Dallas-Fort Worth-Arlington, TX")]))
        await import_fx(resources, write_ecb_csv(tmp_path / "rates.csv", {"USD": {2025: [1.08]}}))
        report = await import_salaries(resources, levels_file(tmp_path / "levels.csv"),
                                       load_format("levels-fyi", None), observed_in=2025)
        assert report.imported == sum(map(len, PLACES.values())), report.lines()
        await recompute(resources, "all", trigger="cli")
        yield opened


async def test_rows_placed_in_a_metro_area_make_its_row(api: Api) -> None:
    austin = np.asarray(PLACES["Austin, TX"] + PLACES["Round Rock, TX"])
    (row,) = (await api.data(ROWS, {"metro": AUSTIN}))["salarySummaries"]
    assert (row["level"], row["country"], row["metroCode"], row["count"]) == ("METRO", "US", AUSTIN, austin.size)
    assert not row["withheld"] and row["median"] == pytest.approx(np.median(austin), rel=1e-12)
    assert row["mean"] == pytest.approx(austin.mean(), abs=0.5)  # the mean is published to the whole dollar
    every = {r["metroCode"]: r for r in (await api.data(ROWS, {"level": "METRO"}))["salarySummaries"]}
    assert set(every) == {AUSTIN, DALLAS}  # Redmond, WA is in none
    dallas = every[DALLAS]  # too few: the count only
    assert dallas["count"] == len(PLACES["Dallas, TX"]) and dallas["withheld"] and dallas["median"] is None
    assert codes(await api.gql(ROWS, {"metro": "Austin"})) == ["BAD_USER_INPUT"]


async def test_pay_comparison_of_a_metro_area_has_both_sides(api: Api) -> None:
    austin = np.asarray(PLACES["Austin, TX"] + PLACES["Round Rock, TX"])
    found = (await api.data(COMPARISON, {"area": AUSTIN}))["payComparison"]
    assert (found["area"], found["crowdCount"], found["crowdWithheld"]) == (AUSTIN, austin.size, False)
    assert found["crowdMedian"] == pytest.approx(np.median(austin), rel=1e-12)
    (official,) = found["official"]
    assert (official["occupation"], official["annualMedian"], official["employment"]) == ("15-1252", 134_120,
                                                                                            31_960)
    assert official["ratio"] == pytest.approx(np.median(austin) / 134_120, rel=1e-12)


VIEWS = """query { metro: salarySummaries(role: "backend-developer", metro: "0012420", normalizeTo: "USD") { count mean }
  texas: salarySummaries(role: "backend-developer", region: "US-TX", normalizeTo: "USD") { count mean }
  us: salarySummaries(role: "backend-developer", country: "US", level: COUNTRY, normalizeTo: "USD") { count mean } }"""


async def test_a_protected_row_in_a_metro_area_joins_no_figure_alone(api: Api, resources: Resources) -> None:
    """The attacker reads the area's, the state's and the nation's rows before and after a row of a
    private file lands in Austin: no row changes, so no difference of two of them gives it back; five
    such rows are released together, as any atom's."""
    before = await api.data(VIEWS)
    private = {"year": 2025, "region_code": "US-TX", "city": "Austin", "metro_code": AUSTIN, "release_hold": "new"}
    await add(resources.db, "backend-developer", [333_333.0], "US", "mid", "USD", **private)
    await recompute(resources, "all", trigger="cli")
    assert await api.data(VIEWS) == before
    await add(resources.db, "backend-developer", [301_000.0, 302_000.0, 303_000.0, 304_000.0], "US", "mid", "USD",
              **private)
    await recompute(resources, "all", trigger="cli")
    after = await api.data(VIEWS)
    assert [after[view][0]["count"] - before[view][0]["count"] for view in ("metro", "texas", "us")] == [5, 5, 5]
