"""Both differencing attacks, on everything a role publishes, over generated histories of submissions,
withdrawals, imports of public rows and recomputes.

The attacker reads every version of every published row (every level, native and pooled in USD and
EUR) through the public API (`GET /export/summaries.jsonl` with a reader key: every row the service
publishes, as GraphQL serves them), knows the grid and the conversion rates, and knows exactly the amounts
of his own submissions and of every public row. For each pair of shown rows that are two versions of
one group, or two groups of one version of which one holds the other, he computes the difference of
their totals (count x mean) less what he knows. One person's amount counts as *recovered* when
  (A) a difference leaves exactly that person unknown, and the amounts consistent with it (the grid
      points the difference allows, widened to their cells, within the rounding of the published
      means) all lie within +-1% of the true amount; or
  (B) a difference of two published totals is that one person alone, nothing subtracted (so no
      knowledge at all isolates them), and it comes within 1% of their amount.
The test holds for any history: no amount is ever recovered. (Before the release rule and the grid,
(B) recovered new submissions exactly from two consecutive versions.)

Which rows each published total holds is read from the store (the release state and the holds), and
checked against the published counts, so the attacker's bookkeeping is exact.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from service.ingest.fx import import_fx
from service.official.fx import RateTable, load_rates
from service.platform.config import Settings
from service.platform.resources import Resources
from service.salaries import receipts
from service.salaries.submissions import SalarySubmission, submit_salary
from service.salaries.visibility import HOLD, NEW, NEW_WITHDRAWN, WITHDRAWN
from service.store import database as c
from service.summaries.grid import Grid
from service.summaries.groups import DIMENSIONS
from service.summaries.recompute import recompute
from tests.factories.api import Api, open_api
from tests.factories.documents import add
from tests.factories.official_files import write_ecb_csv

ROLE = "backend-developer"
K = 3  # minimum group and release size here: small, so that short histories release often
RATES = {"USD": {2024: [1.08]}, "GBP": {2024: [0.85]}}
ATOMS = [("US", "USD", 1.0), ("US", "USD", 12.0), ("GB", "GBP", 1.0)]  # country, currency, years of experience
_keys = itertools.count()

amounts = st.floats(30_000, 400_000).map(lambda a: round(a, 2))
submission = st.tuples(st.just("submit"), st.booleans(), st.integers(0, len(ATOMS) - 1), amounts)
steps = st.lists(st.one_of(  # submissions twice as often as the rest; a recompute after every few steps
    submission, submission, st.tuples(st.just("withdraw"), st.integers(0, 60)),
    st.tuples(st.just("public"), st.integers(0, len(ATOMS) - 1), amounts), st.tuples(st.just("recompute")),
), min_size=12, max_size=60)
#: the attacker fills all but one place of a release: of a group beside another (finding 1), then of a
#: new version (finding 2, with k-1 submissions of his own waiting for the victim's)
SYBILS = [("submit", True, 2, 50_000.0), ("submit", True, 2, 61_000.0), ("submit", False, 2, 70_123.45),
          ("submit", False, 0, 100_000.0), ("submit", False, 0, 110_000.0), ("submit", False, 0, 120_000.0),
          ("recompute",), ("submit", True, 0, 90_000.0), ("submit", True, 0, 95_000.0), ("recompute",),
          ("submit", False, 0, 142_357.0), ("recompute",), ("withdraw", 7), ("withdraw", 8), ("recompute",),
          ("withdraw", 10), ("public", 0, 99_000.0), ("recompute",)]


@dataclasses.dataclass
class Person:
    """A row of the history: whose, how much, and (for submissions) its receipt."""

    amount: float
    currency: str
    known: bool  # the attacker's own, or public
    public: bool
    receipt: str | None = None
    doc_id: Any = None


@pytest.fixture
async def api(settings: Settings, resources: Resources) -> AsyncIterator[Api]:
    # the seed, and a key of each role; no rate limit (an export costs 100 points, a history reads dozens)
    async for opened in open_api(dataclasses.replace(settings, rate_limit_points=0), resources):
        yield opened


@pytest.fixture
async def stocked(api: Api, resources: Resources, tmp_path: Path) -> Resources:
    await import_fx(resources, write_ecb_csv(tmp_path / "rates.csv", RATES))
    return dataclasses.replace(resources, settings=dataclasses.replace(
        resources.settings, min_cell_size=K, release_changes=K))


async def released_ids(resources: Resources) -> set[Any]:
    """The rows the current release holds, read from the store: rows without a hold, and those the
    release let in, less those it let out."""
    doc = await resources.db[c.SALARY_SUMMARIES].find_one({"role": ROLE}, {"release": 1})
    state = (doc or {}).get("release")
    if state is None:  # no release rule: everything stored is published
        return {d["_id"] async for d in resources.db[c.SALARY_OBSERVATIONS].find({"role": ROLE}, {"_id": 1})}
    admitted, removed = set(state["admitted"]), set(state["removed"])
    found = set()
    async for d in resources.db[c.SALARY_OBSERVATIONS].find({"role": ROLE}, {HOLD: 1}):
        hold = d.get(HOLD)
        if d["_id"] in removed or hold == NEW_WITHDRAWN:
            continue
        if hold is None or hold == WITHDRAWN or (hold == NEW and d["_id"] in admitted):
            found.add(d["_id"])
    return found


def members(row: Any, people: dict[Any, Person], cells: dict[Any, tuple[Any, ...]], released: set[Any],
            rates: RateTable) -> set[Any]:
    """The released rows a published row pools."""
    wanted = {d: getattr(row, d) for d in DIMENSIONS[row.level]}
    found = set()
    for doc_id in released:
        country, band, currency, year = cells[doc_id]
        if row.conversion is None and currency != row.currency:
            continue
        if row.conversion is not None and rates.factor(currency, year, row.currency) is None:
            continue
        values = {"country": country, "experience_band": band, "year": year, "region_code": None}
        if all(values[d] == v for d, v in wanted.items()):
            found.add(doc_id)
    return found


async def published(api: Api) -> list[Any]:
    """Every row the API publishes of the role, as a reader exports them."""
    response = await api.client.get("/export/summaries.jsonl", headers={"authorization": f"Bearer {api.keys['reader']}"})
    assert response.status_code == 200, response.text
    return [SimpleNamespace(**{"conversion": None, "region_code": None, "country": None, "experience_band": None,
                               "year": None, **record})
            for record in map(json.loads, response.text.splitlines()) if record["role"] == ROLE]


async def snapshot(resources: Resources, api: Api, people: dict[Any, Person], cells: dict[Any, tuple[Any, ...]],
                   rates: RateTable) -> dict[tuple[Any, ...], tuple[Any, frozenset[Any]]]:
    released = await released_ids(resources)
    found = {}
    for row in await published(api):
        inside = frozenset(members(row, people, cells, released, rates))
        assert len(inside) == row.count, (row, len(inside))  # the bookkeeping is exact
        key = (row.normalized_to, row.level, row.currency, *(getattr(row, d) for d in DIMENSIONS[row.level]))
        found[key] = (row, inside)
    return found


def rule_amount(person: Person, grid: Grid) -> float:
    """What the figures count of a row: a public amount as it is, a submitted one as its grid point."""
    return person.amount if person.public else float(grid.coarse(np.array([person.amount]))[0])


def attack(first: tuple[Any, frozenset[Any]], second: tuple[Any, frozenset[Any]], people: dict[Any, Person],
           grid: Grid, rates: RateTable, what: Any) -> None:
    """The attacker's difference of two shown totals, every amount in USD at the one year's rates."""
    (a, in_a), (b, in_b) = first, second
    if a.mean is None or b.mean is None:
        return
    plus, minus = in_b - in_a, in_a - in_b
    unknown = [p for p in (plus | minus) if not people[p].known]
    if len(unknown) != 1:
        return
    person = people[unknown[0]]

    def to_usd(currency: str) -> float:
        found = rates.factor(currency, 2024, "USD")
        assert found is not None
        return found.value

    difference = b.count * b.mean * to_usd(b.currency) - a.count * a.mean * to_usd(a.currency)
    known = sum(rule_amount(people[p], grid) * to_usd(people[p].currency) for p in plus if people[p].known) - sum(
        rule_amount(people[p], grid) * to_usd(people[p].currency) for p in minus if people[p].known)
    estimate = abs(difference - known) / to_usd(person.currency)
    # means are published to whole units of their currency
    slack = (a.count * to_usd(a.currency) + b.count * to_usd(b.currency)) / 2 / to_usd(person.currency) + 1e-6
    if len(plus | minus) == 1:  # (B): the two totals alone give this one person
        assert abs(estimate - person.amount) > 0.01 * person.amount, ("recovered (B)", what, person, estimate)
    # (A): every amount whose grid point fits the difference is consistent with it
    lows, highs = [], []
    for point in np.unique(grid.coarse(np.geomspace(max(1.0, estimate - slack) * 0.9, (estimate + slack) * 1.1, 400))):
        if estimate - slack <= point <= estimate + slack:
            low, high = grid.cell(float(point))
            lows.append(low)
            highs.append(high)
    if not lows:  # no grid point fits: the figures are exact, and the difference is the amount itself
        lows, highs = [estimate - slack], [estimate + slack]
    assert not (min(lows) >= 0.99 * person.amount and max(highs) <= 1.01 * person.amount), \
        ("recovered (A)", what, person, min(lows), max(highs))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(history=steps)
@example(history=SYBILS)
async def test_no_history_lets_an_attacker_recover_one_amount(stocked: Resources, api: Api,
                                                              history: list[tuple[Any, ...]]) -> None:
    db = stocked.db
    for name in (c.SALARY_OBSERVATIONS, c.SALARY_SUMMARIES, c.SALARY_ROLLUPS, c.SALARY_AMOUNTS):
        await db[name].delete_many({})
    await stocked.redis.flushdb()
    grid, rates = Grid(stocked.settings.pay_grid), await load_rates(db)
    people: dict[Any, Person] = {}
    cells: dict[Any, tuple[Any, ...]] = {}
    order: list[Any] = []
    versions: list[dict[tuple[Any, ...], tuple[Any, frozenset[Any]]]] = []
    for step in [*history, ("recompute",)]:
        if step[0] == "submit":
            _, mine, atom, amount = step
            country, currency, years = ATOMS[atom]
            sub = SalarySubmission(role=ROLE, amount=amount, currency=currency, country=country,
                                   experience_years=years, idempotency_key=f"attack-{next(_keys):08d}", year=2024)
            result = await submit_salary(stocked, sub, "attacker" if mine else "someone")
            assert result.observation is not None
            doc = await db[c.SALARY_OBSERVATIONS].find_one({"content_hash": result.observation.key})
            people[doc["_id"]] = Person(amount, currency, mine, False, getattr(result, "receipt", None), doc["_id"])
            cells[doc["_id"]] = (country, doc["experience_band"], currency, 2024)
            order.append(doc["_id"])
        elif step[0] == "public":
            _, atom, amount = step
            country, currency, years = ATOMS[atom]
            (made,) = await add(db, ROLE, [amount], country, None, currency, year=2024, years_experience=years,
                                source="levels-fyi-export")
            doc = await db[c.SALARY_OBSERVATIONS].find_one({"content_hash": made.key})
            people[doc["_id"]] = Person(amount, currency, True, True, None, doc["_id"])
            cells[doc["_id"]] = (country, doc["experience_band"], currency, 2024)
        elif step[0] == "withdraw" and order:
            person = people[order[step[1] % len(order)]]
            if person.receipt is not None:
                await receipts.withdraw(stocked, person.receipt)
        elif step[0] == "recompute":
            await recompute(stocked, ROLE)
            versions.append(await snapshot(stocked, api, people, cells, rates))
    for version in versions:  # two views of one version
        for key_a, a in version.items():
            for key_b, b in version.items():
                if key_a != key_b and b[1] < a[1]:
                    attack(b, a, people, grid, rates, (key_b, key_a))
    for i, older in enumerate(versions):  # two versions of one view
        for newer in versions[i + 1:]:
            for key in older.keys() & newer.keys():
                attack(older[key], newer[key], people, grid, rates, key)
