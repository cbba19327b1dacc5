"""The attack the fine grid left open (issue 28, found after the policy landed): sybil submissions
around one victim made the victim a large group's median, and a median read off amounts rounded to
three figures gave the victim's amount back within 0.5% (142,000 for 142,357; 139,000 for 139,000).

The attacker needs a group of `CAREERGRAPH_FINE_GRID_MIN` submitted rows (1,000 by default; a few
thousand mutations from a handful of keys); the test lowers the setting to 25 so the same attack
runs in seconds. Two victims whose amounts share a cell of the pay grid (139,000 and 142,357, both
on the point 140,000) are attacked the same way in two roles: whatever the attacker reads must be the
same for both, so the amounts consistent with it span the whole cell (5.4% wide), never 1%.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import AsyncIterator
from typing import Any

import pytest

from service.platform.config import Settings
from service.platform.resources import Resources, open_resources
from service.summaries.recompute import recompute
from tests.factories.api import Api, open_api

FINE_MIN = 25
ROLES = {"backend-developer": 142_357.0, "frontend-developer": 139_000.0}  # one cell of R40: point 140,000
SUBMIT = """mutation($input: SubmitSalaryInput!) { submitSalary(input: $input) { created userErrors { code } } }"""
READ = """query($role: String!, $to: String) { salarySummaries(role: $role, level: ROLE, normalizeTo: $to) {
  currency count mean stddev p10 p25 median p75 p90 withheld heldBack } }"""
_keys = itertools.count()


@pytest.fixture
async def sybil_api(settings: Settings) -> AsyncIterator[Api]:
    lowered = dataclasses.replace(settings, fine_grid_min=FINE_MIN)
    async with open_resources(lowered) as resources:
        async for api in open_api(lowered, resources):
            api.resources = resources  # type: ignore[attr-defined]
            yield api


async def submit(api: Api, role: str, amount: float, key: str) -> None:
    salary = {"role": role, "amount": amount, "currency": "USD", "country": "US", "experienceYears": 4,
              "idempotencyKey": f"sybil-{next(_keys):06d}", "year": 2024}
    answer = (await api.data(SUBMIT, {"input": salary}, key))["submitSalary"]
    assert answer["created"] and not answer["userErrors"], answer


def sybils(count: int, start: int) -> list[float]:
    """`count` amounts, half far below the victim and half far above, all distinct."""
    low = [60_000.0 + 101 * i for i in range(start, start + count // 2)]
    high = [260_000.0 + 307 * i for i in range(start, start + count // 2)]
    return low + high


async def attack(api: Api, resources: Resources, role: str, victim: float) -> list[dict[str, Any]]:
    for amount in sybils(24, 0):  # 12 below, 12 above: released
        await submit(api, role, amount, "editor")
    await recompute(resources, role)
    await submit(api, role, victim, "reader")  # the victim, another caller
    for amount in sybils(4, 12):  # the four others of the victim's release: 2 below, 2 above
        await submit(api, role, amount, "editor")
    await recompute(resources, role)
    rows = [row for to in (None, "USD") for row in (await api.data(READ, {"role": role, "to": to}, "reader"))[
        "salarySummaries"]]
    assert rows and all(row["count"] == 29 and not row["heldBack"] and not row["withheld"] for row in rows), rows
    return rows


async def test_sybils_around_a_victim_in_a_large_group_learn_only_the_victims_cell(sybil_api: Api) -> None:
    resources: Resources = sybil_api.resources  # type: ignore[attr-defined]
    seen = {role: await attack(sybil_api, resources, role, victim) for role, victim in ROLES.items()}
    backend, frontend = seen.values()
    assert backend == frontend  # the two victims are indistinguishable: only their cell shows
    # 139,000 and 142,357 are 2.4% apart: no reading is within 1% of both
