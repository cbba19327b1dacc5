"""What a role publishes: one step from what a recompute read of its observations to the rows served.

1. `release.prepare` takes the role's next release: the observations every view of it may see
   (the same for every level, native and pooled), so that no figure, pair of figures or pair of
   versions depends on 1 to k-1 submitted rows (`disclosure` says why).
2. `groups.summarise_role` computes every level, native and pooled, from those observations on the
   published basis: a submitted amount counts as its point of the pay grid (`grid`; spread over its
   cell for the percentiles of groups of at least `CAREERGRAPH_FINE_GRID_MIN` submitted amounts).
3. A group under `CAREERGRAPH_MIN_CELL_SIZE` observations shows its count only; a shown row's
   figures follow `Policy`: no min or max (each is one person's pay), p10 and p90 only with
   `CAREERGRAPH_TAIL_MIN` observations or more, every figure to the nearest whole unit of its
   currency. A row says when newer submissions of its group wait for a release (`held_back`).

So the published figure of a group is exactly the documented rule applied to its released
amounts, which tests check against numpy; the exact engine stays (`salary_stats.summarise`, for
`live: true` and for the engine's own tests).
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from service.official.fx import RateTable
from service.platform.config import Settings
from service.platform.resources import Resources
from service.store import database as c
from service.summaries import disclosure, groups, release, rollups, salary_stats
from service.summaries.cells import RoleCells
from service.summaries.grid import Grid
from service.summaries.groups import PayBasis
from service.summaries.salary_stats import PREMIUM_TARGET

log = logging.getLogger("careergraph.publication")
FIGURES = ("mean", "stddev", "min", "max", "p10", "p25", "median", "p75", "p90")
#: Why a figure of a shown row is left out
ONE_PERSON = "ONE_PERSON"  # min and max: always one person's pay
TAIL = "TAIL"  # p10 and p90 of a group under the tail minimum
OMITTED = {ONE_PERSON: "the lowest and highest amounts of a group are each one person's pay",
           TAIL: "p10 and p90 are shown for groups of at least the tail minimum (CAREERGRAPH_TAIL_MIN)"}


@dataclass(frozen=True)
class Policy:
    rules: release.Rules
    basis: PayBasis
    tail_min: int

    @classmethod
    def of(cls, settings: Settings) -> Policy:
        return cls(release.Rules(settings.min_cell_size, settings.release_changes),
                   PayBasis(Grid(settings.pay_grid), settings.fine_grid_min), settings.tail_min)

    def digest(self) -> dict[str, Any]:
        """What of the policy decides the rows (a recompute's inputs)."""
        return {"min_changes": self.rules.min_changes, "grid": self.basis.grid.name,
                "fine_min": self.basis.fine_min, "tail_min": self.tail_min}


@dataclass
class Published:
    """A role's rows as published, its released amounts in USD for the skills' pay premium (None
    when its pooled USD total is hidden: it then joins no premium's pool), the release state to
    store with them, and the observations per year the demand's counts must leave out."""

    role: str
    rows: list[dict[str, Any]]
    usd: np.ndarray | None
    release: dict[str, Any] | None
    volume: Counter[Any]


def convertible(cells: dict[Any, np.ndarray], rates: RateTable | None, targets: tuple[str, ...]
                ) -> dict[str, set[str]]:
    """For each target the worker pools into, the role's currencies it can convert."""
    if rates is None or not rates.years:
        return {}
    currencies = {cell[3] for cell in cells}
    return {t: {cur for cur in currencies if rates.factor(cur, None, t) is not None} for t in targets}


def shape(row: dict[str, Any], reason: str | None, held: bool, policy: Policy) -> dict[str, Any]:
    """A row as published: hidden with its reason, or shown with the figures the policy shows."""
    row["sufficient"] = row["count"] >= policy.rules.min_group
    row["held_back"] = held
    if reason is not None:
        row.update(dict.fromkeys(FIGURES), withheld=True, withheld_code=reason,
                   withheld_reason=disclosure.REASONS[reason], omitted={})
        return row
    omitted = {"min": ONE_PERSON, "max": ONE_PERSON}
    if row["count"] < policy.tail_min:
        omitted.update(p10=TAIL, p90=TAIL)
    for name in FIGURES:
        value = row.get(name)
        row[name] = None if name in omitted or value is None else float(round(value))
    row.update(withheld=False, withheld_code=None, withheld_reason=None, omitted=omitted)
    return row


async def settle(resources: Resources, role: str) -> release.ReleaseState | None:
    """The role's last release, carried out in the store (before the role is read: `release`)."""
    stored = await resources.db[c.SALARY_SUMMARIES].find_one({"role": role}, {"release": 1})
    previous = release.ReleaseState.from_document((stored or {}).get("release"))
    await release.settle(resources.db, previous)
    return previous


async def publish_role(resources: Resources, found: RoleCells, rates: RateTable | None,
                       previous: release.ReleaseState | None) -> Published | None:
    """The role's next release after `previous` (None when its observations changed while it was
    taken: the role is left marked, and a later run publishes it)."""
    settings = resources.settings
    if settings.bench_exact_publication:
        return await _exact_for_bench(found, settings, rates)
    policy = Policy.of(settings)
    targets = tuple(settings.normalize_to) if rates is not None and rates.years else ()
    try:
        prepared = await release.prepare(resources.db, found, previous, policy.rules,
                                         convertible(found.cells, rates, targets))
    except release.ReleaseConflict as exc:
        log.info("release of %s postponed: %s", found.role, exc)
        if isinstance(exc, release.ReleaseMismatch):  # the roll-up misses rows: read the role whole next
            await rollups.forget(resources.db, [found.role])
        return None
    rows, converted = await asyncio.to_thread(groups.summarise_role, found.role, prepared.cells, rates, targets,
                                              policy.basis)
    for row in rows:
        shape(row, disclosure.reason_to_hide(row["count"], policy.rules.min_group),
              disclosure.key_of(row) in prepared.held, policy)
    pooled = next((r for r in rows if r["level"] == "ROLE" and r.get("normalized_to") == PREMIUM_TARGET), None)
    usd = converted.get(PREMIUM_TARGET) if pooled is not None and not pooled["withheld"] else None
    if not targets and pooled is None:  # no rates loaded: the premium pools the USD observations only
        native = next((r for r in rows if r["level"] == "ROLE" and r.get("normalized_to") is None
                       and r["currency"] == PREMIUM_TARGET), None)
        if native is not None and not native["withheld"]:
            usd = _native_usd(prepared.cells, policy.basis)
    state = {**prepared.state.to_document(), "base": prepared.base}
    return Published(found.role, rows, usd, state, prepared.volume)


def _native_usd(cells: dict[Any, np.ndarray], basis: PayBasis) -> np.ndarray:
    """The released USD amounts on the basis's coarse grid (submitted ones), sorted."""
    parts = [basis.grid.coarse(a) if groups.is_protected(cell) else a for cell, a in cells.items()
             if cell[3] == PREMIUM_TARGET]
    return np.sort(np.concatenate(parts), kind="stable") if parts else np.empty(0)


async def _exact_for_bench(found: RoleCells, settings: Settings, rates: RateTable | None) -> Published:
    """What a recompute published before this step (exact figures, small groups withheld), for the
    benchmark's side-by-side measure of what the step costs (`Settings.bench_exact_publication`)."""
    rows, usd = await salary_stats.summarise(found, settings.min_cell_size, rates, settings.normalize_to)
    return Published(found.role, rows, usd, None, Counter())


def cas_filter(state: dict[str, Any] | None) -> dict[str, Any]:
    """The condition a role's stored summary must meet for a release based on `state` to replace it."""
    if state is None:
        return {}
    base = state.get("base")
    return {"release": {"$exists": False}} if base is None else {"release.seq": base}


def served(doc: dict[str, Any]) -> dict[str, Any]:
    """A salary summary document as readers get it (the cache's copy): without its release state."""
    return {k: v for k, v in doc.items() if k != "release"}


def leave_out(demand_doc: dict[str, Any] | None, volume: Counter[Any] | dict[Any, int] | None) -> None:
    """Take the observations a release leaves out off a role's demand counts (by year), so that
    they too move only with releases."""
    if demand_doc is None or not volume:
        return
    rows = []
    for row in demand_doc.get("observations_by_year") or ():
        left = row["count"] - int(volume.get(row["year"], 0))
        if left > 0:
            rows.append({**row, "count": left})
    demand_doc["observations_by_year"] = rows
    demand_doc["sample_size"] = sum(row["count"] for row in rows)


async def held_years(db: Any, roles: list[str]) -> dict[str, dict[Any, int]]:
    """The observations per year each role's stored release leaves out (for roles a run reuses)."""
    if not roles:
        return {}
    found = {}
    async for doc in db[c.SALARY_SUMMARIES].find({"role": {"$in": roles}}, {"role": 1, "release.held_years": 1}):
        years = (doc.get("release") or {}).get("held_years") or {}
        found[doc["role"]] = {None if name == "null" else int(name): n for name, n in years.items()}
    return found
