"""A fresh install (the seed, official wages and rates, no crowd observation) answers pay questions
with the official figures: `payComparison` gives the official side alone and says why."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from service.ingest.fx import import_fx
from service.ingest.oews import import_oews
from service.platform.config import Settings
from service.platform.resources import Resources
from service.summaries.comparison import NO_CROWD
from service.summaries.recompute import recompute
from tests.factories.api import Api, open_api
from tests.factories.documents import add
from tests.factories.official_files import FlatCell, full_texts, write_ecb_csv, write_flat_files

CELLS = [FlatCell("0000000", "N", "000000", "151252", full_texts(1_687_890, 135_980)),
         FlatCell("4800000", "S", "000000", "151252", full_texts(163_880, 132_150)),
         FlatCell("0012420", "M", "000000", "151252", full_texts(31_960, 134_120))]
COMPARISON = """query ($area: String) {
  payComparison(role: "backend-developer", area: $area) {
    area regionCode crowdMedian crowdCount crowdWithheld note source
    official { occupation annualMedian employment ratio diverges source } }
  role(slug: "backend-developer") { payComparison(area: $area) { area crowdCount official { annualMedian } } } }"""


@pytest.fixture
async def api(settings: Settings, resources: Resources, tmp_path: Path) -> Any:
    async for opened in open_api(settings, resources):
        await import_oews(resources, write_flat_files(tmp_path / "oe", CELLS))
        await import_fx(resources, write_ecb_csv(tmp_path / "rates.csv", {"USD": {2024: [1.08]}}))
        await recompute(resources, "all")
        yield opened


async def test_with_no_crowd_observation_the_official_side_stands_alone(api: Api) -> None:
    for area, code, median, employment in (("US", "0000000", 135_980, 1_687_890), ("TX", "4800000", 132_150, 163_880)):
        found = await api.data(COMPARISON, {"area": area})
        comparison = found["payComparison"]
        assert (comparison["area"], comparison["crowdMedian"], comparison["crowdCount"]) == (code, None, 0)
        assert comparison["official"] == [{"occupation": "15-1252", "annualMedian": median, "employment": employment,
                                           "ratio": None, "diverges": None, "source": "bls-oews-2025a01"}]
        assert comparison["note"].startswith(NO_CROWD) and comparison["source"] == "DATABASE"
        assert found["role"]["payComparison"]["official"] == [{"annualMedian": median}]
    metro = await api.data(COMPARISON, {"area": "0012420"})  # metro areas are compared with a crowd row only
    assert metro["payComparison"] is None


async def test_once_the_crowd_is_summarised_the_comparison_has_both_sides(api: Api, resources: Resources) -> None:
    await add(resources.db, "backend-developer", [150_000.0, 160_000.0, 170_000.0, 180_000.0, 190_000.0], year=2024)
    await recompute(resources, "backend-developer")
    comparison = (await api.data(COMPARISON, {"area": "US"}))["payComparison"]
    assert (comparison["crowdMedian"], comparison["crowdCount"]) == (170_000, 5)
    assert comparison["official"][0]["ratio"] == pytest.approx(170_000 / 135_980)
    assert not comparison["note"].startswith(NO_CROWD)
