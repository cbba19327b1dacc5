"""Purchasing power: the World Bank's PPP file imported as written (bad rows by line, aggregates
skipped and counted), and amounts converted to international dollars by the documented rule, with
every country or year that has no factor listed."""

from __future__ import annotations

import io
import zipfile
from contextlib import redirect_stderr
from pathlib import Path

import pytest

from service.ingest.ppp import PppFileError, import_ppp, read_factors
from service.ingest.report import ImportReport
from service.official.fx import RateTable
from service.official.ppp import NotConvertible, PppTable, load_ppp, local_currency
from service.platform.config import Settings
from service.platform.resources import Resources
from service.store import database as c
from service.store import official_layout as o
from service.tools.cli import main
from tests.factories.official_files import WORLD_BANK_HEADER_YEARS, write_world_bank_csv

GOOD = [
    ("United Kingdom", "GBR", {2019: "0.6905", 2020: "0.6889", 2022: "0.7012", 2023: "0.7114"}),
    ("Germany", "DEU", {2020: "0.7472", 2022: "0.7368", 2023: "0.7401"}),
    ("India", "IND", {2021: "22.91", 2022: "22.88", 2023: "20.66"}),
    ("United States", "USA", {year: "1" for year in WORLD_BANK_HEADER_YEARS}),
    ("Kosovo", "XKX", {2022: "0.3402"}),
]
AGGREGATES = [("World", "WLD", {2022: "1.1"}), ("Euro area", "EMU", {2022: "0.71"})]
EMPTY = [("Somalia", "SOM", {})]


def expected_factors() -> dict[tuple[str, int], float]:
    alpha2 = {"GBR": "GB", "DEU": "DE", "IND": "IN", "USA": "US", "XKX": "XK"}
    return {(alpha2[code], year): float(text) for _, code, values in GOOD for year, text in values.items()}


def world_bank_file(path: Path) -> tuple[Path, dict[int, str]]:
    """The file and its bad lines (line -> what the rejection must say)."""
    cells = ['"Narnia"', '"NRN"', '"PPP conversion factor, GDP (LCU per international $)"', '"PA.NUS.PPP"']
    blanks = ['""'] * len(WORLD_BANK_HEADER_YEARS)
    bad = {
        '"France","FRA","PPP conversion factor, private consumption","PA.NUS.PRVT.PP",' + ",".join(blanks) + ",":
            "PA.NUS.PRVT.PP",
        ",".join([*cells[:2], cells[2], cells[3], '"abc"', *blanks[1:]]) + ",": "not a number",
        ",".join(['"Spain"', '"ESP"', cells[2], cells[3], '"-0.6"', *blanks[1:]]) + ",": "positive",
        '"Italy","ITA","PPP conversion factor, GDP (LCU per international $)","PA.NUS.PPP","0.6",': "cells",
        ",".join(['"Nowhere"', '"N0WHERE"', cells[2], cells[3], *blanks]) + ",": "three-character",
    }
    rows = GOOD + AGGREGATES + EMPTY
    write_world_bank_csv(path, rows, bad_lines=tuple(bad))
    first = 6 + len(rows)  # 4 preamble lines, the header, then the rows
    return path, {first + i: why for i, why in enumerate(bad.values())}


async def test_the_file_is_stored_as_written_and_bad_rows_are_reported_by_line(resources: Resources,
                                                                               tmp_path: Path) -> None:
    path, bad = world_bank_file(tmp_path / "API_PA.NUS.PPP_DS2_en_csv_v2_1.csv")
    report = await import_ppp(resources, path)
    assert (report.records_read, report.imported, report.skipped, report.rejected_count) == (
        len(GOOD) + len(AGGREGATES) + len(EMPTY) + len(bad), len(GOOD), len(AGGREGATES) + len(EMPTY), len(bad))
    assert report.accounted
    assert {r.line: r.reason for r in report.rejections}.keys() == bad.keys()
    assert all(bad[r.line] in r.reason for r in report.rejections)
    said = "\n".join(report.lines())
    assert "2 aggregates skipped" in said and "WLD" in said and "Somalia (SO)" in said
    stored = {(d["country"], d["year"]): d["factor"] async for d in resources.db[o.PPP_FACTORS].find({})}
    assert stored == expected_factors()
    source = await resources.db[c.SOURCES].find_one({"slug": "world-bank-ppp"})
    assert source is not None and source["licence"] == "CC BY 4.0" and source["publisher"] == "World Bank"
    assert source["published"] == "2025-07-01"
    again = await import_ppp(resources, path)  # a newer file replaces, never doubles
    assert again.imported == len(GOOD) and await resources.db[o.PPP_FACTORS].count_documents({}) == len(stored)


async def test_the_zip_the_world_bank_serves_loads_the_same(resources: Resources, tmp_path: Path) -> None:
    path, _ = world_bank_file(tmp_path / "API_PA.NUS.PPP_DS2_en_csv_v2_1.csv")
    archive = tmp_path / "API_PA.NUS.PPP_DS2_en_csv_v2_1.zip"
    with zipfile.ZipFile(archive, "w") as packed:
        packed.writestr("Metadata_Country_API_PA.NUS.PPP_DS2_en_csv_v2_1.csv", "not this one")
        packed.write(path, path.name)
    await import_ppp(resources, archive)
    assert (await load_ppp(resources.db)).factors["IN"][2023] == 20.66


def test_an_amount_in_international_dollars_is_divided_by_its_years_factor() -> None:
    factors = expected_factors()
    table = PppTable({country: {y: f for (c2, y), f in factors.items() if c2 == country}
                      for country, _ in factors})
    pounds = table.to_international(60_000.0, "GBP", 2022, "GB")
    assert pounds.amount == pytest.approx(60_000.0 / factors[("GB", 2022)], rel=1e-12)
    assert (pounds.unit, pounds.factor.year, pounds.factor.value, pounds.local_currency) == (
        "international $", 2022, factors[("GB", 2022)], "GBP")
    assert pounds.source == "world-bank-ppp" and "PA.NUS.PPP" in pounds.rule
    in_india = table.to_international(60_000.0, "GBP", 2022, "GB", target_country="IN")
    assert in_india.unit == "INR"
    assert in_india.amount == pytest.approx(60_000.0 / factors[("GB", 2022)] * factors[("IN", 2022)], rel=1e-12)
    kosovo = table.to_international(20_000.0, "EUR", 2022, "XK")
    assert kosovo.amount == pytest.approx(20_000.0 / 0.3402)


def test_another_currency_is_exchanged_into_the_local_one_at_its_years_rate_first() -> None:
    table = PppTable({"DE": {2022: 0.7368}})
    rates = RateTable(years={2022: {"USD": 1.05, "GBP": 0.85}})
    found = table.to_international(50_000.0, "GBP", 2022, "DE", rates)  # pounds earned in Germany
    assert (found.exchange_factor, found.exchange_year) == (pytest.approx(1 / 0.85), 2022)
    assert found.amount == pytest.approx(50_000.0 / 0.85 / 0.7368, rel=1e-12)
    with pytest.raises(NotConvertible, match="no exchange rate from GBP to EUR"):
        table.to_international(50_000.0, "GBP", 2022, "DE")


def test_countries_and_years_without_a_factor_are_listed_never_dropped() -> None:
    table = PppTable({"GB": {2019: 0.69, 2023: 0.71}, "US": {2023: 1.0}})
    batch = table.convert_many([(50_000.0, "GBP", 2021, "GB"), (50_000.0, "GBP", 2022, "GB"),
                                (9e6, "SOS", 2022, "SO"), (70_000.0, "USD", None, "US"), (1.0, "ZZZ", 2022, "ZZ")])
    assert [None if a is None else a.factor.year for a in batch.converted] == [2023, 2023, None, 2023, None]
    assert batch.converted[0] is not None and batch.converted[0].amount == pytest.approx(50_000.0 / 0.71)
    assert batch.substituted == {("GB", 2021, 2023): 1, ("GB", 2022, 2023): 1, ("US", None, 2023): 1}
    reasons = {(country, year): why for (country, year, why) in batch.left_out}
    assert set(reasons) == {("SO", 2022), ("ZZ", 2022)}
    assert "no PPP conversion factor for SO" in reasons[("SO", 2022)]
    assert "does not know the currency of ZZ" in reasons[("ZZ", 2022)]


def test_local_currencies_follow_the_world_banks_series() -> None:
    assert [local_currency(c) for c in ("GB", "DE", "HR", "SN", "EC", "IN", "JP", "ZZ")] == [
        "GBP", "EUR", "EUR", "XOF", "USD", "INR", "JPY", None]


def test_a_file_that_is_not_the_world_banks_is_refused(settings: Settings, tmp_path: Path) -> None:
    other = tmp_path / "rates.csv"
    other.write_text("Date,USD,\n2024-01-02,1.09,\n")
    err = io.StringIO()
    with redirect_stderr(err):
        code = main(["import", "ppp", str(other)])
    assert code == 2 and "no header" in err.getvalue()
    empty = tmp_path / "empty.zip"
    with zipfile.ZipFile(empty, "w") as packed:
        packed.writestr("readme.txt", "")
    with pytest.raises(PppFileError, match="no World Bank API_"):
        read_factors(empty, ImportReport(kind="test"))
