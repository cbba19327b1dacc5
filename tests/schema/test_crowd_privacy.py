"""The crowd figures of `payPosition` and `nextMoves` are the published rows of `salarySummaries`, under
the same release rule: they show nothing a published row hides (min, max, p10 and p90 of a small group,
exact amounts), and a submission waiting for its release moves none of them (issue 28)."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from service.ingest.fx import import_fx
from service.platform.resources import Resources
from service.summaries.recompute import recompute
from tests.factories.api import Api
from tests.factories.official_files import write_ecb_csv

ROLE, LEAD = "backend-developer", "lead-backend-engineer"
SUBMIT = "mutation($input: SubmitSalaryInput!) { submitSalary(input: $input) { created userErrors { code } } }"
SUMMARY = """query($role: String!) { salarySummaries(role: $role, level: COUNTRY, country: "US", normalizeTo: "USD") {
  count median p10 p25 p75 p90 min max heldBack withheld } }"""
POSITION = """query($a: Float!) { payPosition(role: "backend-developer", amount: $a, currency: "USD", year: 2024) {
  crowd { count withheld median pooled percentiles { label value } } } }"""
MOVES = """query { nextMoves(role: "backend-developer", first: 50) { moves { slug
  pay { basis current target currentCount targetCount } } } }"""
_keys = itertools.count()
# off the pay grid, so that an exact figure and a published one differ
MINE = [101_234.0, 104_321.0, 108_765.0, 113_579.0, 117_531.0, 121_987.0]
THEIRS = [151_111.0, 157_777.0, 163_333.0, 169_999.0, 174_444.0]


@pytest.fixture
async def rates(api: Api, resources: Resources, tmp_path: Path) -> Api:
    await import_fx(resources, write_ecb_csv(tmp_path / "rates.csv", {"USD": {2024: [1.08]}, "EUR": {2024: [1.0]}}))
    return api


async def submit(api: Api, role: str, amount: float, key: str = "editor") -> None:
    salary = {"role": role, "amount": amount, "currency": "USD", "country": "US", "experienceYears": 4,
              "idempotencyKey": f"crowd-{next(_keys):06d}", "year": 2024}
    answer = (await api.data(SUBMIT, {"input": salary}, key))["submitSalary"]
    assert answer == {"created": True, "userErrors": []}


async def published(api: Api, role: str) -> dict[str, Any]:
    (row,) = (await api.data(SUMMARY, {"role": role}, "reader"))["salarySummaries"]
    return dict(row)


async def crowd(api: Api) -> dict[str, Any]:
    found: dict[str, Any] = (await api.data(POSITION, {"a": 110_000.0}, "reader"))["payPosition"]["crowd"]
    return found


async def move_to_lead(api: Api) -> dict[str, Any]:
    moves = (await api.data(MOVES, key="reader"))["nextMoves"]["moves"]
    found: dict[str, Any] = {m["slug"]: m for m in moves}[LEAD]["pay"]
    return found


async def test_crowd_figures_are_the_published_rows_and_wait_for_the_same_release(rates: Api,
                                                                                   resources: Resources) -> None:
    api = rates
    for amount in MINE:
        await submit(api, ROLE, amount)
    for amount in THEIRS:
        await submit(api, LEAD, amount)
    await recompute(resources, "all")
    row, lead = await published(api, ROLE), await published(api, LEAD)
    assert row["median"] != float(np.median(MINE))  # the published median is the rule's, not the exact one
    assert (row["min"], row["max"], row["p10"], row["p90"]) == (None, None, None, None)
    before = await crowd(api)
    assert (before["count"], before["withheld"], before["pooled"], before["median"]) == (6, False, True, row["median"])
    assert before["percentiles"] == [{"label": "p25", "value": row["p25"]}, {"label": "p50", "value": row["median"]},
                                     {"label": "p75", "value": row["p75"]}]  # no p10, p90, min or max
    pay = await move_to_lead(api)
    assert pay == {"basis": "CROWD", "current": row["median"], "target": lead["median"], "currentCount": 6,
                   "targetCount": 5}
    # a victim's submission with another key: nothing moves until a release takes it in
    await submit(api, ROLE, 142_357.0, key="reader")
    await recompute(resources, ROLE)
    held = await published(api, ROLE)
    assert held["heldBack"] and (held["count"], held["median"]) == (6, row["median"])
    assert await crowd(api) == before and await move_to_lead(api) == pay
    for amount in (90_000.0, 95_000.0, 99_000.0, 130_000.0):  # four more: the five go in together
        await submit(api, ROLE, amount)
    await recompute(resources, ROLE)
    after = await published(api, ROLE)
    assert not after["heldBack"] and after["count"] == 11
    assert (await crowd(api))["count"] == 11 and (await crowd(api))["median"] == after["median"]
    assert (await move_to_lead(api))["current"] == after["median"]
