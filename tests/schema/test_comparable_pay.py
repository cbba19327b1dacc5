"""Comparable pay through the API: official wages by place, summaries pooled across currencies,
by region and year, and the crowd beside the official median. Figures are checked against the
generated files and observations, never against what was stored."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pymongo import monitoring

from service.ingest.fx import import_fx
from service.ingest.oews import import_oews
from service.platform.config import Settings
from service.platform.resources import Resources
from service.summaries.comparison import NOTE
from service.summaries.recompute import recompute
from tests.factories.api import Api, codes, commands_by_page_size, open_api
from tests.factories.documents import add, add_roles
from tests.factories.official_files import FlatCell, full_texts, write_ecb_csv, write_flat_files
from tests.factories.servers import CommandCounter

ROLE = "backend-developer"  # O*NET 15-1252.00 (the files have it) and 15-1254.00 (they do not)
RATES = {"USD": {2023: [1.08, 1.10], 2024: [1.09, 1.07]}, "GBP": {2023: [0.87, 0.86], 2024: [0.84, 0.85]}}
CELLS = [FlatCell("0000000", "N", "000000", "151252", full_texts(1_687_890, 135_980)),
         FlatCell("4800000", "S", "000000", "151252", full_texts(120_500, 141_000)),
         FlatCell("0012420", "M", "000000", "151252", full_texts(31_000, 150_000)),
         FlatCell("0012420", "M", "541500", "151252", full_texts(9_000, 160_000))]
US_TX = [150_000.0, 160_000.0, 170_000.0, 180_000.0, 190_000.0, 200_000.0]
US_CA = [210_000.0, 220_000.0, 230_000.0, 240_000.0, 250_000.0]
DE = [70_000.0, 75_000.0, 80_000.0, 85_000.0, 90_000.0]
GB = [60_000.0, 65_000.0, 70_000.0, 75_000.0, 80_000.0]


def per_eur(currency: str, year: int) -> float:
    return 1.0 if currency == "EUR" else float(np.mean(RATES[currency][year]))


@pytest.fixture
async def stocked(settings: Settings, resources: Resources, tmp_path: Path) -> Api:  # type: ignore[misc]
    async for api in open_api(settings, resources):
        await import_oews(resources, write_flat_files(tmp_path / "oe", CELLS))
        await import_fx(resources, write_ecb_csv(tmp_path / "eurofxref-hist.csv", RATES))
        # rows of a public file, published as they are (submitted ones count as their grid points)
        public = "levels-fyi-export"
        await add(resources.db, ROLE, US_TX, "US", currency="USD", year=2024, region_code="US-TX", source=public)
        await add(resources.db, ROLE, US_CA, "US", currency="USD", year=2023, region_code="US-CA", source=public)
        await add(resources.db, ROLE, DE, "DE", currency="EUR", year=2024, source=public)
        await add(resources.db, ROLE, GB, "GB", currency="GBP", year=2023, source=public)
        await add(resources.db, ROLE, [5_000_000.0] * 5, "VN", currency="VND", year=2024, source=public)
        await recompute(resources, "all", trigger="cli")
        yield api


WAGES = """query ($area: String, $type: AreaType, $industry: String) { role(slug: "backend-developer") {
  officialWages(area: $area, areaType: $type, industry: $industry) {
    occupation { code title groups { code level } } area { code name type state } industry
    employment employmentRse annualMedian hourlyMedian wageRse locationQuotient atLeast { figure atLeast }
    notReleased release source { publisher title note } } } }"""


async def test_official_wages_by_place(stocked: Api) -> None:
    national = (await stocked.data(WAGES, {"type": "NATIONAL"}))["role"]["officialWages"]
    assert [(w["occupation"]["code"], w["employment"], w["annualMedian"]) for w in national] == [
        ("15-1252", 1_687_890, 135_980)]  # 15-1254 has no cell in these files
    (wage,) = national
    assert wage["wageRse"] == 0.4 and wage["source"]["publisher"] == "U.S. Bureau of Labor Statistics"
    assert "BLS has not reviewed" in wage["source"]["note"]
    assert [g["code"] for g in wage["occupation"]["groups"]] == ["15-0000", "15-1200", "15-1250"]
    state = (await stocked.data(WAGES, {"area": "TX"}))["role"]["officialWages"]
    assert [(w["area"]["name"], w["annualMedian"]) for w in state] == [("Texas", 141_000)]
    metro = (await stocked.data(WAGES, {"type": "METRO"}))["role"]["officialWages"]
    assert [(w["area"]["code"], w["annualMedian"]) for w in metro] == [("0012420", 150_000)]
    industry = (await stocked.data(WAGES, {"area": "0012420", "industry": "541500"}))["role"]["officialWages"]
    assert [w["annualMedian"] for w in industry] == [160_000]
    areas = await stocked.data('{ areas(search: "austin") { code name type state } }')
    assert areas["areas"] == [{"code": "0012420", "name": "Austin-Round Rock-San Marcos, TX", "type": "METRO",
                               "state": "48"}]
    bad = await stocked.gql(WAGES, {"area": "Atlantis"})
    assert codes(bad) == ["BAD_USER_INPUT"]


POOLED = """query ($to: String, $level: SummaryLevel, $country: String, $region: String, $year: Int) {
  salarySummaries(role: "backend-developer", normalizeTo: $to, level: $level, country: $country,
                  region: $region, year: $year) {
    level country regionCode year currency count mean median withheld
    conversion { currency rateSource rateBasis years convertedCount unconvertibleCount unconvertibleCurrencies
                 unconvertibleReasons } } }"""


def converted(target: str) -> np.ndarray:
    def at(amounts: list[float], currency: str, year: int) -> list[float]:
        return [a * per_eur(target, year) / per_eur(currency, year) for a in amounts]
    return np.asarray(at(US_TX, "USD", 2024) + at(US_CA, "USD", 2023) + at(DE, "EUR", 2024) + at(GB, "GBP", 2023))


async def test_summaries_pool_currencies_with_a_stated_conversion(stocked: Api) -> None:
    rows = (await stocked.data(POOLED, {"to": "EUR", "level": "ROLE"}))["salarySummaries"]
    (row,) = rows
    want = converted("EUR")
    assert (row["currency"], row["count"]) == ("EUR", want.size)
    assert row["mean"] == pytest.approx(want.mean()) and row["median"] == pytest.approx(np.median(want))
    conversion = row["conversion"]
    assert (conversion["convertedCount"], conversion["unconvertibleCount"]) == (want.size, 5)
    assert conversion["unconvertibleCurrencies"] == ["VND"]
    assert "VND" in conversion["unconvertibleReasons"][0] and conversion["years"] == [2023, 2024]
    assert conversion["rateSource"] == "ecb-eurofxref" and "year observed" in conversion["rateBasis"]
    native = (await stocked.data(POOLED, {"level": "ROLE"}))["salarySummaries"]
    assert sorted(r["currency"] for r in native) == ["EUR", "GBP", "USD", "VND"]
    assert all(r["conversion"] is None for r in native)
    role = await stocked.data('{ role(slug: "backend-developer") { salarySummary(normalizeTo: "USD") '
                              '{ level currency count } } }')
    assert role["role"]["salarySummary"] == {"level": "ROLE", "currency": "USD", "count": want.size}


async def test_pay_by_region_and_by_year(stocked: Api) -> None:
    regions = (await stocked.data(POOLED, {"level": "REGION", "country": "US"}))["salarySummaries"]
    by_region = {r["regionCode"]: r for r in regions}
    assert set(by_region) == {"US-TX", "US-CA"}
    assert by_region["US-TX"]["median"] == np.median(US_TX) and by_region["US-CA"]["count"] == len(US_CA)
    texas = (await stocked.data(POOLED, {"region": "us-tx"}))["salarySummaries"]
    assert [(r["level"], r["regionCode"]) for r in texas] == [("REGION", "US-TX")]
    years = (await stocked.data(POOLED, {"to": "USD", "level": "YEAR"}))["salarySummaries"]
    assert {r["year"]: r["count"] for r in years} == {2023: len(US_CA) + len(GB), 2024: len(US_TX) + len(DE)}
    line = (await stocked.data(POOLED, {"country": "US", "year": 2024}))["salarySummaries"]
    assert [(r["level"], r["count"]) for r in line] == [("COUNTRY_YEAR", len(US_TX))]
    for bad in ({"to": "XYZ"}, {"region": "Texas"}, {"year": 1066}):
        assert codes(await stocked.gql(POOLED, bad)) == ["BAD_USER_INPUT"], bad


COMPARISON = """query ($area: String!) { role(slug: "backend-developer") { payComparison(area: $area) {
  area regionCode crowdMedian crowdCount crowdWithheld note basis source
  official { occupation annualMedian employment wageRse ratio diverges source } } } }"""


async def test_crowd_pay_beside_official_pay(stocked: Api) -> None:
    national = (await stocked.data(COMPARISON, {"area": "US"}))["role"]["payComparison"]
    crowd = np.asarray(US_TX + US_CA)  # USD already: converted at a factor of 1
    assert (national["area"], national["crowdCount"]) == ("0000000", crowd.size)
    assert national["crowdMedian"] == np.median(crowd) and national["note"] == NOTE
    (official,) = national["official"]
    assert (official["occupation"], official["annualMedian"], official["employment"]) == ("15-1252", 135_980,
                                                                                            1_687_890)
    assert official["ratio"] == pytest.approx(np.median(crowd) / 135_980)
    assert official["diverges"] is True  # 195,000 against 135,980 with errors of a few thousand
    assert national["source"] in ("CACHE", "DATABASE")
    texas = (await stocked.data(COMPARISON, {"area": "TX"}))["role"]["payComparison"]
    assert (texas["area"], texas["regionCode"], texas["crowdMedian"]) == ("4800000", "US-TX", np.median(US_TX))
    assert texas["official"][0]["ratio"] == pytest.approx(np.median(US_TX) / 141_000)
    assert codes(await stocked.gql(COMPARISON, {"area": "Atlantis"})) == ["BAD_USER_INPUT"]


async def test_the_root_forms_answer_the_same_from_the_response_cache(stocked: Api) -> None:
    query = """{ officialWages(role: "backend-developer", area: "TX") { annualMedian area { name } }
      payComparison(role: "backend-developer", area: "US") { crowdMedian official { annualMedian ratio } } }"""
    miss, hit = await stocked.post(query), await stocked.post(query)
    assert (miss.headers["x-careergraph-cache"], hit.headers["x-careergraph-cache"]) == ("miss", "hit")
    assert hit.json() == miss.json()
    data = hit.json()["data"]
    assert data["officialWages"] == [{"annualMedian": 141_000, "area": {"name": "Texas"}}]
    assert data["payComparison"]["crowdMedian"] == np.median(US_TX + US_CA)
    nested = await stocked.data(COMPARISON, {"area": "US"})
    assert nested["role"]["payComparison"]["official"][0]["ratio"] == data["payComparison"]["official"][0]["ratio"]
    unknown = await stocked.gql('{ officialWages(role: "no-such-role") { employment } }')
    assert codes(unknown) == ["NOT_FOUND"]


async def test_official_wages_of_many_roles_cost_a_bounded_number_of_commands(
        settings: Settings, resources: Resources, tmp_path: Path) -> None:
    counter = CommandCounter(settings.mongodb_db)
    monitoring.register(counter)
    query = """query ($n: Int!) { roles(first: $n) { edges { node { slug
        officialWages(areaType: NATIONAL) { employment annualMedian occupation { title } area { name } } } } } }"""
    async for api in open_api(settings, resources):
        await import_oews(resources, write_flat_files(tmp_path / "oe", CELLS))
        await add_roles(resources.db, 50)
        answer = await api.data(query, {"n": 50})
        extras = [e["node"] for e in answer["roles"]["edges"] if e["node"]["slug"].startswith("extra-")]
        assert extras and all(node["officialWages"][0]["employment"] == 1_687_890 for node in extras)
        measured = await commands_by_page_size(api, counter, query)
        assert measured[50] == measured[5] <= 8, measured
