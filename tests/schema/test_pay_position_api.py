"""`payPosition` through the API: the exact p50 and p75 of a published group land at those bounds, an
amount in pounds is converted at its year's rate first, a real amount is the CPI-U ratio of the
`cpi` wheel's own data, and a withheld group gives nothing away however it is probed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from service.ingest.fx import import_fx
from service.ingest.oews import import_oews
from service.platform.config import Settings
from service.platform.resources import Resources
from service.summaries.recompute import recompute
from tests.factories.api import Api, codes, open_api
from tests.factories.cpi import annual, wheel_db
from tests.factories.documents import add
from tests.factories.official_files import FlatCell, full_texts, write_ecb_csv, write_flat_files

ROLE = "backend-developer"
BACKEND = [100_000.0 + 3_000 * i for i in range(12)]
USD_DAYS, GBP_DAYS = [1.08, 1.10, 1.09], [0.87, 0.86]
POSITION = """query ($role: String!, $amount: Float!, $currency: String!, $area: String, $band: ExperienceBand,
                     $adjust: Adjustment, $year: Int) {
  payPosition(role: $role, amount: $amount, currency: $currency, area: $area, experienceBand: $band,
              adjust: $adjust, year: $year) {
    role words experienceBand place { area kind label }
    amount { amount currency year usd exchangeFactor exchangeYear rateSource compared
             real { amount nominal year baseYear series seriesTitle indexYear indexBase rule source { publisher } } }
    crowd { level count withheld median percentiles { label value } experienceBand bandApplied pooled version
            computedAt position { at above below words } }
    official { occupation area release employment median percentiles { label value } aboveMedian
               position { at words } source { publisher } } } }"""


@pytest.fixture
async def api(settings: Settings, resources: Resources, tmp_path: Path) -> Any:
    async for opened in open_api(settings, resources):
        await import_oews(resources, write_flat_files(tmp_path / "oe", [
            FlatCell("0000000", "N", "000000", "151252", full_texts(1_687_890, 135_980))]))
        await import_fx(resources, write_ecb_csv(tmp_path / "rates.csv", {"USD": {2023: USD_DAYS},
                                                                           "GBP": {2023: GBP_DAYS}}))
        # rows of a public file, published as they are (submitted ones count as their grid points)
        await add(resources.db, ROLE, BACKEND, year=2023, source="levels-fyi-export")
        await add(resources.db, "lead-backend-engineer", [150_000.0, 160_000.0, 170_000.0], year=2023,
                  source="levels-fyi-export")
        await recompute(resources, "all")
        yield opened


async def place(api: Api, amount: float, currency: str = "USD", **more: Any) -> dict[str, Any]:
    found: dict[str, Any] = (await api.data(POSITION, {"role": ROLE, "amount": amount, "currency": currency,
                                                       **more}))["payPosition"]
    return found


async def test_the_exact_p50_and_p75_of_the_published_group_land_at_those_bounds(api: Api) -> None:
    for label, q in (("p50", 50), ("p75", 75)):
        found = await place(api, float(np.percentile(BACKEND, q)), year=2023)
        crowd = found["crowd"]
        assert (crowd["count"], crowd["level"], crowd["pooled"], crowd["withheld"]) == (12, "COUNTRY", True, False)
        assert crowd["position"]["at"] == [label] and found["words"].startswith(f"at {label} of 12 people")
        assert [p["label"] for p in crowd["percentiles"]] == ["p25", "p50", "p75"]  # no p10, p90 under 30
    between = await place(api, float(np.percentile(BACKEND, 60)), year=2023)
    assert between["crowd"]["position"] == {"at": [], "above": "p50", "below": "p75", "words": "between p50 and p75"}
    official = (await place(api, 135_980.0, year=2023))["official"]
    assert (official["occupation"], official["median"], official["aboveMedian"]) == ("15-1252", 135_980, None)
    assert official["position"]["at"] == ["p50"] and official["source"]["publisher"] == "U.S. Bureau of Labor Statistics"


async def test_an_amount_in_pounds_is_converted_at_its_years_rate_first(api: Api) -> None:
    per_pound = float(np.mean(USD_DAYS)) / float(np.mean(GBP_DAYS))  # USD per GBP, 2023's means
    p75 = float(np.percentile(BACKEND, 75))
    found = await place(api, p75 / per_pound, "gbp", year=2023)
    amount = found["amount"]
    assert (amount["currency"], amount["year"], amount["exchangeYear"]) == ("GBP", 2023, 2023)
    assert amount["exchangeFactor"] == pytest.approx(per_pound) and amount["usd"] == pytest.approx(p75)
    assert found["crowd"]["position"]["at"] == ["p75"] and "ecb" in amount["rateSource"]


async def test_a_real_amount_is_the_cpi_ratio_of_the_wheels_own_annual_averages(api: Api) -> None:
    database = wheel_db()
    found = await place(api, 100_000.0, adjust="REAL", year=2019)
    real = found["amount"]["real"]
    base = real["baseYear"]
    expected = 100_000.0 * annual(database, "CUUR0000SA0", base) / annual(database, "CUUR0000SA0", 2019)
    assert real["amount"] == pytest.approx(expected, rel=1e-12) and found["amount"]["compared"] == real["amount"]
    assert (real["series"], real["year"], real["nominal"]) == ("CUUR0000SA0", 2019, 100_000.0)
    assert real["source"]["publisher"] == "U.S. Bureau of Labor Statistics" and "CPI" in real["rule"]
    nominal = await place(api, 100_000.0, year=2019)
    assert nominal["amount"]["real"] is None and nominal["amount"]["compared"] == 100_000.0


async def test_a_withheld_group_gives_nothing_away_however_it_is_probed(api: Api) -> None:
    """Three people: every probe answers the same crowd part (its count only), whatever the amount."""
    answers = []
    for amount in (149_999.0, 150_000.0, 160_000.0, 165_000.0, 170_000.0, 170_001.0):
        found = (await api.data(POSITION, {"role": "lead-backend-engineer", "amount": amount, "currency": "USD",
                                           "year": 2023}))["payPosition"]
        answers.append(found["crowd"])
        assert "people" not in found["words"] or "withheld" in found["words"]
    assert all(a == answers[0] for a in answers)
    assert answers[0]["withheld"] and answers[0]["count"] == 3
    assert (answers[0]["median"], answers[0]["percentiles"], answers[0]["position"]) == (None, [], None)


@pytest.mark.parametrize(("more", "field"), [
    ({"currency": "ZZZ"}, "currency"), ({"amount": -5.0}, "amount"), ({"adjust": "PPP"}, "adjust"),
    ({"area": "Atlantis"}, "area"), ({"year": 1850}, "year"), ({"role": "no-such-role"}, "role"),
])
async def test_bad_input_is_a_clear_error(api: Api, more: dict[str, Any], field: str) -> None:
    variables = {"role": ROLE, "amount": 100_000.0, "currency": "USD", **more}
    body = await api.gql(POSITION, variables)
    assert codes(body) == ["NOT_FOUND" if field == "role" else "BAD_USER_INPUT"], body
    assert body["data"] is None and field.lower() in body["errors"][0]["message"].lower()


async def test_the_answer_is_served_from_the_response_cache(api: Api) -> None:
    variables = {"role": ROLE, "amount": 120_000.0, "currency": "USD", "year": 2023}
    first, again = await api.post(POSITION, variables), await api.post(POSITION, variables)
    assert (first.headers["x-careergraph-cache"], again.headers["x-careergraph-cache"]) == ("miss", "hit")
    assert again.json() == first.json()
