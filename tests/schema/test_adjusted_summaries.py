"""`salarySummaries(adjust:)`: rows of one year in real dollars and rows of one country and year in
international dollars, every figure checked against numpy over the amounts adjusted here from the
`cpi` wheel's own data and a generated World Bank file; rows that cannot be adjusted say why and show
no figure; rows that pool years are refused. And the conversion's unknown-year fields."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from service.ingest.fx import import_fx
from service.ingest.ppp import import_ppp
from service.platform.config import Settings
from service.platform.resources import Resources
from service.summaries.recompute import recompute
from tests.factories.api import Api, codes, open_api
from tests.factories.cpi import annual, wheel_db
from tests.factories.documents import add
from tests.factories.official_files import write_ecb_csv, write_world_bank_csv

ROLE = "backend-developer"
RATES = {"USD": {2019: [1.12, 1.11], 2023: [1.08, 1.10]}, "GBP": {2019: [0.88], 2023: [0.87, 0.86]}}
US_2019 = [90_000.0, 95_000.0, 100_000.0, 105_000.0, 110_000.0, 120_000.0]
US_2023 = [110_000.0, 115_000.0, 125_000.0, 130_000.0, 140_000.0]
US_UNDATED = [150_000.0, 160_000.0, 170_000.0, 180_000.0, 190_000.0]
GB_2023 = [50_000.0, 55_000.0, 60_000.0, 65_000.0, 70_000.0]
DE_2023 = [60_000.0, 62_000.0, 64_000.0, 66_000.0, 68_000.0]  # Germany: no factor in the file below
PPP_GB_2023 = 0.7114
FIGURES = "count mean median p10 p25 p75 p90 stddev min max withheld"
ADJUSTMENT = """adjustment { kind applied reason factor unit baseYear series indexYear indexBase country localCurrency
  pppFactor pppYear exchangeFactor exchangeYear rule source { publisher } }"""
READ = f"""query ($level: SummaryLevel, $to: String, $currency: String, $adjust: Adjustment, $year: Int) {{
  salarySummaries(role: "{ROLE}", level: $level, normalizeTo: $to, currency: $currency, adjust: $adjust, year: $year) {{
    level country year currency {FIGURES} {ADJUSTMENT}
    conversion {{ years convertedCount unknownYearCount unknownYearRates }} }} }}"""


def per_eur(currency: str, year: int) -> float:
    return 1.0 if currency == "EUR" else float(np.mean(RATES[currency][year]))


@pytest.fixture
async def api(settings: Settings, resources: Resources, tmp_path: Path) -> Any:
    async for opened in open_api(settings, resources):
        await import_fx(resources, write_ecb_csv(tmp_path / "rates.csv", RATES))
        await import_ppp(resources, write_world_bank_csv(tmp_path / "ppp.csv", [
            ("United Kingdom", "GBR", {2019: "0.6905", 2023: str(PPP_GB_2023)}),
            ("United States", "USA", {2019: "1", 2023: "1"})]))
        # rows of a public file, published as they are (submitted ones count as their grid points)
        public = "levels-fyi-export"
        await add(resources.db, ROLE, US_2019, "US", year=2019, source=public)
        await add(resources.db, ROLE, US_2023, "US", year=2023, source=public)
        await add(resources.db, ROLE, US_UNDATED, "US", year=None, source=public)
        await add(resources.db, ROLE, GB_2023, "GB", currency="GBP", year=2023, source=public)
        await add(resources.db, ROLE, DE_2023, "DE", currency="EUR", year=2023, source=public)
        await recompute(resources, "all")
        yield opened


def assert_figures(row: dict[str, Any], amounts: list[float]) -> None:
    """The row's figures are those of `amounts` (already adjusted), as published: each to the nearest
    whole unit before the factor (so within one unit), no min or max, no p10 or p90 under 30."""
    values = np.array(amounts)
    assert row["count"] == len(amounts) and not row["withheld"]
    assert row["min"] is None and row["max"] is None
    tails = len(amounts) >= 30
    for name, expected in (("mean", values.mean()), ("median", np.median(values)), ("stddev", values.std()),
                           *((f"p{q}", np.percentile(values, q)) for q in (10, 25, 75, 90))):
        if name in ("p10", "p90") and not tails:
            assert row[name] is None, name
        else:
            assert row[name] == pytest.approx(float(expected), abs=1.0), name


async def rows(api: Api, **variables: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = (await api.data(READ, variables))["salarySummaries"]
    return found


async def test_rows_of_one_year_in_real_dollars_are_the_cpi_ratio_of_every_amount(api: Api) -> None:
    database = wheel_db()
    by_year = {r["year"]: r for r in await rows(api, level="YEAR", to="USD", adjust="REAL")}
    base = by_year[2019]["adjustment"]["baseYear"]
    cpi = {year: annual(database, "CUUR0000SA0", year) for year in (2019, 2023, base)}
    to_usd = {year: per_eur("USD", year) / per_eur("GBP", year) for year in (2019, 2023)}  # USD per GBP
    for year, amounts in ((2019, US_2019), (2023, US_2023 + [a * to_usd[2023] for a in GB_2023]
                                             + [a * per_eur("USD", 2023) for a in DE_2023])):
        row = by_year[year]
        factor = cpi[base] / cpi[year]
        assert_figures(row, [a * factor for a in amounts])
        adjustment = row["adjustment"]
        assert adjustment["applied"] and adjustment["factor"] == pytest.approx(factor, rel=1e-12)
        assert (adjustment["series"], adjustment["indexYear"], adjustment["indexBase"]) == (
            "CUUR0000SA0", cpi[year], cpi[base])
        assert adjustment["unit"] == f"USD of {base}" and adjustment["source"]["publisher"].startswith("U.S. Bureau")
    undated = by_year[None]  # counted, not adjusted, no figure shown
    assert undated["count"] == len(US_UNDATED) and undated["median"] is None and undated["mean"] is None
    assert not undated["adjustment"]["applied"] and "unknown" in undated["adjustment"]["reason"]
    native = {r["year"]: r for r in await rows(api, level="COUNTRY_YEAR", currency="USD", adjust="REAL")}
    assert native[2019]["median"] == pytest.approx(float(np.median(US_2019)) * cpi[base] / cpi[2019], rel=1e-9)


async def test_rows_of_one_country_and_year_in_international_dollars(api: Api) -> None:
    found = {(r["country"], r["year"], r["currency"]): r for r in await rows(api, level="COUNTRY_YEAR", adjust="PPP")}
    native_gb = found[("GB", 2023, "GBP")]  # native rows: pounds / the factor
    assert_figures(native_gb, [a / PPP_GB_2023 for a in GB_2023])
    assert (native_gb["adjustment"]["pppFactor"], native_gb["adjustment"]["pppYear"]) == (PPP_GB_2023, 2023)
    assert native_gb["adjustment"]["exchangeFactor"] is None and native_gb["adjustment"]["unit"] == "international $"
    pooled = {(r["country"], r["year"]): r for r in await rows(api, level="COUNTRY_YEAR", to="USD", adjust="PPP")}
    gb = pooled[("GB", 2023)]  # pooled in USD: back to pounds at 2023's rate, then the factor
    assert_figures(gb, [a / PPP_GB_2023 for a in GB_2023])
    assert gb["adjustment"]["exchangeYear"] == 2023 and gb["adjustment"]["localCurrency"] == "GBP"
    us = pooled[("US", 2019)]
    assert_figures(us, US_2019)  # the U.S. factor is 1
    germany = pooled[("DE", 2023)]  # no factor loaded: counted and said, never a figure
    assert germany["count"] == len(DE_2023) and germany["median"] is None and not germany["adjustment"]["applied"]
    assert "DE" in germany["adjustment"]["reason"]


@pytest.mark.parametrize(("variables", "words"), [
    ({"to": "USD", "adjust": "REAL"}, "level: YEAR or COUNTRY_YEAR"),
    ({"level": "BAND", "to": "USD", "adjust": "REAL"}, "pool several years"),
    ({"level": "YEAR", "to": "EUR", "adjust": "REAL"}, "U.S. dollars"),
    ({"level": "YEAR", "to": "USD", "adjust": "PPP"}, "level: COUNTRY_YEAR"),
])
async def test_rows_that_one_factor_cannot_adjust_are_refused(api: Api, variables: dict[str, Any], words: str) -> None:
    body = await api.gql(READ, variables)
    assert codes(body) == ["BAD_USER_INPUT"] and words in body["errors"][0]["message"], body


async def test_a_year_given_picks_a_level_that_can_be_adjusted(api: Api) -> None:
    (row,) = await rows(api, year=2023, to="USD", adjust="REAL")
    assert row["level"] == "YEAR" and row["adjustment"]["applied"]


async def test_the_conversion_says_how_many_had_no_year_and_at_which_rates(api: Api) -> None:
    (role,) = await rows(api, level="ROLE", to="USD")
    conversion = role["conversion"]
    assert conversion["unknownYearCount"] == len(US_UNDATED) and conversion["unknownYearRates"] == [2023]
    assert conversion["convertedCount"] == role["count"] and role["adjustment"] is None
