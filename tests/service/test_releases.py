"""Releases: submissions join the published figures only in steps of at least
`CAREERGRAPH_RELEASE_CHANGES` per group, a withdrawal leaves them the same way, and a receipt reads
and withdraws its own submission and nothing else (`service.summaries.release`, `receipts`)."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from service.ingest.seed import load_seed
from service.platform.resources import Resources
from service.salaries import receipts
from service.salaries.submissions import SalarySubmission, submit_salary
from service.salaries.visibility import HOLD
from service.store import database as c
from service.summaries.reads import read_demand_summary
from service.summaries.recompute import recompute
from tests.factories.documents import add

ROLE = "backend-developer"
_keys = itertools.count()


async def submit(resources: Resources, amount: float, country: str = "US", years: float = 4.0,
                 currency: str = "USD", year: int = 2024) -> str:
    """One submission through the use case; returns its receipt."""
    sub = SalarySubmission(role=ROLE, amount=amount, currency=currency, country=country, experience_years=years,
                           idempotency_key=f"release-test-{next(_keys):06d}", year=year)
    result = await submit_salary(resources, sub, "k1")
    assert result.created and result.receipt and not result.errors
    return result.receipt


async def rows(resources: Resources) -> dict[tuple[Any, ...], dict[str, Any]]:
    doc = await resources.db[c.SALARY_SUMMARIES].find_one({"role": ROLE})
    assert doc is not None
    return {(r.get("normalized_to"), r["level"], r["currency"], r.get("country"), r.get("experience_band"),
             r.get("year"), r.get("region_code")): r for r in doc["cells"]}


def total(found: dict[tuple[Any, ...], dict[str, Any]], currency: str = "USD") -> dict[str, Any]:
    return found[(None, "ROLE", currency, None, None, None, None)]


def figures(row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row[name] for name in ("count", "mean", "stddev", "p25", "median", "p75"))


@pytest.fixture
async def seeded(resources: Resources) -> Resources:
    await load_seed(resources.db)
    return resources


async def test_submissions_wait_until_enough_of_them_change_every_group_they_join(seeded: Resources) -> None:
    for i in range(6):
        await submit(seeded, 100_000.0 + 7_000 * i)
    await recompute(seeded, ROLE)
    first = await rows(seeded)
    assert figures(total(first))[0] == 6 and not total(first)["withheld"]  # a first release takes them all
    lone = await submit(seeded, 142_357.0)
    await recompute(seeded, ROLE)
    held = await rows(seeded)
    assert figures(total(held)) == figures(total(first))  # one more would give itself away
    assert total(held)["held_back"] and (await receipts.read_own(seeded, lone)).status == "PENDING"
    demand = await read_demand_summary(seeded, f"role:{ROLE}")  # counts move with releases too
    assert demand.sample_size == 6 and [(y.year, y.count) for y in demand.observations_by_year] == [(2024, 6)]
    for i in range(3):
        await submit(seeded, 90_000.0 + 1_000 * i)
    await recompute(seeded, ROLE)
    assert figures(total(await rows(seeded))) == figures(total(first))  # four: still fewer than five
    await submit(seeded, 131_000.0)
    await recompute(seeded, ROLE)
    released = await rows(seeded)
    assert total(released)["count"] == 11 and not total(released)["held_back"]
    assert figures(total(released)) != figures(total(first))
    assert (await receipts.read_own(seeded, lone)).status == "RELEASED"
    await recompute(seeded, ROLE)  # the next run settles the release: no row is held any more
    assert await seeded.db[c.SALARY_OBSERVATIONS].count_documents({HOLD: {"$exists": True}}) == 0


async def test_a_withdrawal_leaves_the_figures_only_with_a_release(seeded: Resources) -> None:
    mine = [await submit(seeded, 100_000.0 + 5_000 * i) for i in range(7)]
    await recompute(seeded, ROLE)
    before = total(await rows(seeded))
    own = await receipts.read_own(seeded, mine[3])
    assert own is not None and own.status == "RELEASED" and own.observation.amount == 115_000.0
    assert (await receipts.withdraw(seeded, mine[3])).status == "WITHDRAWN"
    await recompute(seeded, ROLE)
    assert figures(total(await rows(seeded))) == figures(before)  # still in: one change alone
    assert (await receipts.read_own(seeded, mine[3])).status == "WITHDRAWN"
    for i in range(4):
        await submit(seeded, 120_500.0 + 900 * i)
    await recompute(seeded, ROLE)
    after = total(await rows(seeded))
    assert after["count"] == 7 - 1 + 4  # the withdrawal and four submissions: five changes, one release
    await recompute(seeded, ROLE)  # settled: the withdrawn row is gone from the store
    assert await receipts.read_own(seeded, mine[3]) is None
    assert await seeded.db[c.SALARY_OBSERVATIONS].count_documents({"amount": 115_000.0}) == 0


async def test_a_receipt_opens_its_own_submission_only(seeded: Resources) -> None:
    first, second = await submit(seeded, 101_000.0), await submit(seeded, 202_000.0)
    assert (await receipts.read_own(seeded, first)).observation.amount == 101_000.0
    assert (await receipts.read_own(seeded, second)).observation.amount == 202_000.0
    for wrong in ("", "cgr_", first[:-1] + ("A" if first[-1] != "A" else "B"), first + "x", "x" * 5000):
        assert await receipts.read_own(seeded, wrong) is None
        assert await receipts.withdraw(seeded, wrong) is None
    stored = await seeded.db[c.SALARY_OBSERVATIONS].find_one({"amount": 101_000.0})
    assert stored["receipt_sha256"] == receipts.digest(first) and first not in str(stored)  # only its hash
    retry = SalarySubmission(role=ROLE, amount=5.0, currency="USD", country="US", experience_years=1,
                             idempotency_key="same-key-twice")
    assert (await submit_salary(seeded, retry, "k1")).errors  # (5 USD a year is refused)
    again = SalarySubmission(role=ROLE, amount=55_000.0, currency="USD", country="US", experience_years=1,
                             idempotency_key="same-key-twice")
    made, repeated = await submit_salary(seeded, again, "k1"), await submit_salary(seeded, again, "k1")
    assert made.receipt and repeated.created is False and repeated.receipt is None  # shown once


async def test_public_rows_are_released_at_once_and_count_as_known(seeded: Resources) -> None:
    await add(seeded.db, ROLE, [90_000.0 + 1_000 * i for i in range(10)], "US", "mid", source="levels-fyi-export",
              year=2024)
    await recompute(seeded, ROLE)
    assert total(await rows(seeded))["count"] == 10
    await submit(seeded, 142_357.0)
    await add(seeded.db, ROLE, [95_500.0], "US", "mid", source="levels-fyi-export", year=2024)
    await recompute(seeded, ROLE)
    found = total(await rows(seeded))
    # the public row joins at once; the submission waits: with 11 public rows known to anyone, the total
    # less them would be its amount
    assert found["count"] == 11 and found["held_back"] and not found["withheld"]


async def test_a_pooled_total_never_isolates_the_native_rows_of_another_currency(seeded: Resources,
                                                                                 tmp_path: Any) -> None:
    from service.ingest.fx import import_fx
    from tests.factories.official_files import write_ecb_csv

    await import_fx(seeded, write_ecb_csv(tmp_path / "rates.csv", {"USD": {2024: [1.08]}, "GBP": {2024: [0.85]}}))
    for i in range(5):
        await submit(seeded, 100_000.0 + 9_000 * i)
    for amount in (61_000.0, 75_750.0):
        await submit(seeded, amount, country="GB", currency="GBP")
    await recompute(seeded, ROLE)
    found = await rows(seeded)
    pooled = found[("USD", "ROLE", "USD", None, None, None, None)]
    usd = total(found)
    # finding 1: the pooled total less the native USD one was the two GBP amounts' sum; two submissions
    # alone in their cell wait for three more, so the pooled total holds the same five as the USD one
    assert (pooled["count"], usd["count"]) == (5, 5) and (None, "ROLE", "GBP", None, None, None, None) not in found
    assert pooled["held_back"] and not usd["held_back"]


async def test_writes_between_the_read_and_the_release_wait_for_the_next_one(seeded: Resources,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from service.summaries import release

    released = [await submit(seeded, 100_000.0 + 5_000 * i) for i in range(7)]
    await recompute(seeded, ROLE)
    waiting = [await submit(seeded, 150_000.0 + 2_000 * i) for i in range(5)]
    original = release._held

    async def writes_meanwhile(db: Any, found: Any) -> Any:
        # after the role was read: one waiting and one released submission are withdrawn, two arrive
        assert (await receipts.withdraw(seeded, waiting[0])).status == "WITHDRAWN"
        assert (await receipts.withdraw(seeded, released[0])).status == "WITHDRAWN"
        await submit(seeded, 171_000.0)
        await submit(seeded, 173_000.0)
        return await original(db, found)

    monkeypatch.setattr(release, "_held", writes_meanwhile)
    await recompute(seeded, ROLE)
    monkeypatch.setattr(release, "_held", original)
    # the release is the one the read saw: the five waiting join; what came after waits its turn
    assert total(await rows(seeded))["count"] == 12
    assert (await receipts.read_own(seeded, waiting[1])).status == "RELEASED"
    await recompute(seeded, ROLE)
    assert total(await rows(seeded))["count"] == 12  # two withdrawals and two arrivals: four changes
    await submit(seeded, 175_000.0)
    await recompute(seeded, ROLE)
    assert total(await rows(seeded))["count"] == 12 - 2 + 3


async def test_a_roll_up_that_misses_held_rows_is_read_whole_by_the_next_run(seeded: Resources) -> None:
    """A role's roll-up that lost rows (the read then holds fewer rows than are held) postpones the
    release; the run forgets the roll-up, so the next one reads the role whole and releases, instead
    of postponing for ever."""
    from service.summaries import rollups

    for i in range(5):
        await submit(seeded, 100_000.0 + 5_000 * i)
    await recompute(seeded, ROLE)
    assert total(await rows(seeded))["count"] == 5
    for i in range(5):
        await submit(seeded, 150_000.0 + 2_000 * i)
    found = (await rollups.fresh(seeded.db, ROLE)).cells  # the role now, at its stream position
    cell = next(k for k, a in found.cells.items() if a.size == 10)
    found.cells[cell] = found.cells[cell][:5]  # a roll-up that lost the five new rows
    found.seen[cell] -= 5
    assert await rollups.store(seeded.db, found)
    rollups._memory.clear()
    await recompute(seeded, ROLE)  # the held rows are not among those read: postponed, roll-up dropped
    assert total(await rows(seeded))["count"] == 5
    await recompute(seeded, ROLE)
    assert total(await rows(seeded))["count"] == 10
