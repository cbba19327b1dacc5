"""Metro areas: crowd rows are placed in OEWS metro areas by the principal cities each area's title
names (Austin, TX in Austin-Round Rock-San Marcos, 0012420), the rest stay at state level and are
counted, and a metro area's crowd row is compared with its official figures."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.ingest.oews import import_oews
from service.ingest.salaries import import_salaries, load_format
from service.ingest.seed import load_seed
from service.official.metros import MetroIndex, load_metro_index
from service.official.oews_model import Area
from service.platform.resources import Resources
from service.store import database as c
from service.summaries.comparison import compare, metros_of, official_for_roles
from tests.factories.official_files import FlatCell, full_texts, write_flat_files

AUSTIN = "0012420"
TITLES = {AUSTIN: "Austin-Round Rock-San Marcos, TX", "0049180": "Winston-Salem, NC",
          "0034980": "Nashville-Davidson--Murfreesboro--Franklin, TN", "0035620": "New York-Newark-Jersey City, NY-NJ",
          "0031140": "Louisville/Jefferson County, KY-IN", "0038900": "Portland-Vancouver-Hillsboro, OR-WA",
          "0038860": "Portland-South Portland, ME", "0041180": "St. Louis, MO-IL", "0045500": "Texarkana, TX-AR",
          "4800003": "Eastern Region of Texas nonmetropolitan area"}


def index() -> MetroIndex:
    return MetroIndex.of([Area(code, name, "METRO", "00") for code, name in TITLES.items()])


@pytest.mark.parametrize(("city", "state", "code"), [
    ("Austin", "TX", AUSTIN), ("round rock", "TX", AUSTIN), ("San Marcos", "TX", AUSTIN), ("Austin", "MN", None),
    ("Winston-Salem", "NC", "0049180"), ("Nashville", "TN", "0034980"), ("Murfreesboro", "TN", "0034980"),
    ("Newark", "NJ", "0035620"), ("New York", "NY", "0035620"), ("Louisville", "KY", "0031140"),
    ("Jefferson County", "IN", "0031140"), ("Portland", "OR", "0038900"), ("Portland", "ME", "0038860"),
    ("Vancouver", "WA", "0038900"), ("Saint Louis", "MO", "0041180"), ("St Louis", "IL", "0041180"),
    ("Texarkana", "AR", "0045500"), ("Redmond", "WA", None), ("Eastern Region", "TX", None),
])
def test_a_city_is_in_the_area_whose_title_names_it(city: str, state: str, code: str | None) -> None:
    assert index().place(city, f"US-{state}") == code


def test_places_outside_the_united_states_or_without_a_city_are_in_none() -> None:
    metros = index()
    assert metros.place("Austin", None) is None and metros.place(None, "US-TX") is None
    assert metros.place("Austin", "CA-TX") is None


def levels_file(path: Path) -> tuple[Path, int, int]:
    """A levels.fyi file: Austin rows, Redmond rows (no area's title names it) and others abroad."""
    rows = ["company;title;totalyearlycompensation;location;yearsofexperience;yearsatcompany;tag;gender;Education"]
    austin = redmond = 0
    for i in range(40):
        place = ("Austin, TX", "Redmond, WA", "Bangalore, KA, India")[i % 3]
        austin += place.startswith("Austin")
        redmond += place.startswith("Redmond")
        rows.append(f"Co{i};Software Engineer;{150_000 + 1_000 * i};{place};{3 + i % 5};1;"
                    "Distributed Systems (Back-End);;PhD")
    path.write_text("\n".join(rows) + "\n")
    return path, austin, redmond


@pytest.mark.parametrize("in_a_process", [False, True], ids=["parsed-here", "parsed-in-a-process"])
async def test_imported_rows_from_austin_carry_the_oews_metro_code(resources: Resources, tmp_path: Path,
                                                                   in_a_process: bool) -> None:
    await import_oews(resources, write_flat_files(tmp_path / "oe", [
        FlatCell(AUSTIN, "M", "000000", "151252", full_texts(31_960, 134_120))]))
    path, austin, redmond = levels_file(tmp_path / "levels.csv")
    report = await import_salaries(resources, path, load_format("levels-fyi", None), parse_in_process=in_a_process)
    assert report.imported == 40
    placed = {(d["city"], d.get("metro_code")) async for d in resources.db[c.SALARY_OBSERVATIONS].find({})}
    assert placed == {("Austin", AUSTIN), ("Redmond", None), ("Bangalore", None)}
    assert dict(report.metros) == {AUSTIN: austin} and dict(report.unplaced_cities) == {"Redmond, WA": redmond}
    assert f"{austin} U.S. records with a city in 1 OEWS metro areas" in "\n".join(report.lines())
    run = await resources.db[c.IMPORT_RUNS].find_one({"run_id": report.run_id})
    assert run is not None and run["metros"] == {AUSTIN: austin}


async def test_without_oews_areas_nothing_is_placed_and_the_report_says_so(resources: Resources,
                                                                          tmp_path: Path) -> None:
    path, _, _ = levels_file(tmp_path / "levels.csv")
    report = await import_salaries(resources, path, load_format("levels-fyi", None))
    assert await resources.db[c.SALARY_OBSERVATIONS].count_documents({"metro_code": {"$exists": True}}) == 0
    assert not report.unplaced_cities and any("no OEWS metro areas stored" in line for line in report.lines())


async def test_the_index_is_read_from_the_stored_oews_areas(resources: Resources, tmp_path: Path) -> None:
    await import_oews(resources, write_flat_files(tmp_path / "oe", [
        FlatCell(AUSTIN, "M", "000000", "151252", full_texts(31_960, 134_120))]))
    metros = await load_metro_index(resources.db)
    assert metros.titles == {AUSTIN: "Austin-Round Rock-San Marcos, TX"}
    assert metros.place("Austin", "US-TX") == AUSTIN


def metro_row(median: float, count: int, withheld: bool = False) -> dict[str, object]:
    """A METRO row as the summaries publish one (normalised to USD)."""
    return {"level": "METRO", "country": "US", "metro_code": AUSTIN, "normalized_to": "USD", "currency": "USD",
            "count": count, "median": None if withheld else median, "stddev": None if withheld else 20_000.0,
            "withheld": withheld}


async def test_a_metro_areas_crowd_figures_are_compared_with_its_official_ones(resources: Resources,
                                                                              tmp_path: Path) -> None:
    await load_seed(resources.db)
    await import_oews(resources, write_flat_files(tmp_path / "oe", [
        FlatCell("0000000", "N", "000000", "151252", full_texts(1_687_890, 135_980)),
        FlatCell(AUSTIN, "M", "000000", "151252", full_texts(31_960, 134_120))]))
    rows = [metro_row(160_000.0, 40)]
    assert metros_of(rows) == {AUSTIN}
    without = await official_for_roles(resources.db, ["backend-developer"])
    assert {cell["area"] for cell in without["backend-developer"]} == {"0000000"}  # metros only when asked
    official = await official_for_roles(resources.db, ["backend-developer"], metros_of(rows))
    entries = {entry["area"]: entry for entry in compare(rows, official["backend-developer"])}
    austin = entries[AUSTIN]
    assert austin["crowd"] == {"median": 160_000.0, "count": 40, "withheld": False, "stddev": 20_000.0}
    (software,) = [o for o in austin["official"] if o["occupation"] == "15-1252"]
    assert software["annual_median"] == 134_120 and software["employment"] == 31_960
    assert software["ratio"] == pytest.approx(160_000.0 / 134_120)
    assert austin["region_code"] is None and entries["0000000"]["crowd"] is None
    hidden = compare([metro_row(0.0, 3, withheld=True)], official["backend-developer"])
    (withheld,) = [e for e in hidden if e["area"] == AUSTIN]
    assert withheld["crowd"]["withheld"] and all(o["ratio"] is None for o in withheld["official"])
    assert [e["area"] for e in compare([], official["backend-developer"])] == ["0000000"]  # no crowd row: none
