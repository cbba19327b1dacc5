"""The reading side of a recompute run: each role's rows, from its cells now, and its demand.

A full run first reuses what it can (`reuse`): roles whose inputs did not change keep their rows.
Every other role is computed from its cells now (`rollups.fresh`: its roll-up and the changes
committed after it, else read whole in bounded chunks), `ROLE_CONCURRENCY` roles at a time (one is
read while another is summarised), so a run holds one or two roles' amounts; a full run stores each
role's amounts in USD as it goes, and the skills' pay premium reads them back (`medians`). What
leaves this module is exact rows, per role, for `recompute` to publish.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections import defaultdict
from collections.abc import Awaitable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from pymongo import ReadPreference
from pymongo.read_concern import ReadConcern

from service.official import fx
from service.platform.resources import Resources
from service.store import change_marks
from service.store import database as c
from service.summaries import comparison, demand, publication, reuse, rollups, salary_stats
from service.summaries.cells import RoleCells
from service.summaries.runs import Clock

ROLE_CONCURRENCY = 2  # roles computed at once: one is read while another is summarised


@dataclass
class Aggregated:
    salary: list[dict[str, Any]]
    removed: list[str]  # roles whose summaries must go
    demand: list[dict[str, Any]]
    read: int  # observations (and changes) read
    inputs: dict[str, dict[str, Any]]
    reused: frozenset[str]
    read_whole: dict[str, list[str]]  # reason -> roles read whole for it
    skipped: list[str] = field(default_factory=list)  # roles whose release must wait for a later run


def _salary_doc(role: str, stamp: dict[str, Any], cells: list[dict[str, Any]], inputs: dict[str, Any],
                official: list[dict[str, Any]], observed_through: datetime | None,
                release: dict[str, Any] | None = None) -> dict[str, Any]:
    doc = {"role": role, **stamp, "cells": cells, "inputs": inputs, "sample_size": salary_stats.sample_size(cells),
           "pay_comparisons": comparison.compare(cells, official), "observed_through": observed_through}
    if release is not None:
        doc["release"] = release
    return doc


def _exact_inputs(found: RoleCells, rates: fx.RateTable, resources: Resources,
                  rates_key: str | None = None) -> dict[str, Any]:
    """The inputs of rows computed from `found`: its own count and newest `_id` (a full run's
    fingerprint may have seen later writes)."""
    return reuse.inputs_of({"observations": found.observations, "newest": str(found.through)}, rates,
                           resources.settings.min_cell_size, resources.settings.normalize_to, rates_key,
                           publication.Policy.of(resources.settings).digest())


def _whole_reads_source(resources: Resources) -> Any:
    """Where whole reads of observations go: a secondary when the operator allows it."""
    if resources.settings.worker_reads == "primary":
        return None
    return resources.db[c.SALARY_OBSERVATIONS].with_options(
        read_preference=ReadPreference.SECONDARY_PREFERRED, read_concern=ReadConcern("majority"))


@dataclass
class _Computed:
    """What was computed of each role, one role's amounts at a time."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    found: dict[str, RoleCells] = field(default_factory=dict)  # counts and fingerprint only: no amounts
    releases: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    volume: dict[str, Any] = field(default_factory=dict)  # observations per year each release leaves out
    skipped: list[str] = field(default_factory=list)
    read: int = 0
    read_whole: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    demand: dict[str, dict[str, Any]] = field(default_factory=dict)  # a role run's demand document


async def _compute(resources: Resources, roles: list[str], rates: Awaitable[fx.RateTable], from_scratch: bool,
                   inputs_of: Any = None) -> _Computed:
    """Each role's rows from its cells now (`rollups.fresh`), ROLE_CONCURRENCY roles at a time (one
    is read while another is summarised). With `inputs_of` (a full run), each role's amounts in USD
    are stored for the pay premium (`reuse.store_amounts`) and dropped; without (a role's run), the
    role's demand document is built beside its rows."""
    db = resources.db
    out = _Computed()
    gate = asyncio.Semaphore(ROLE_CONCURRENCY)
    source = _whole_reads_source(resources)

    async def one(role: str) -> None:
        async with gate:
            previous = await publication.settle(resources, role)  # before the read: what it carries out is read
            fresh = await rollups.fresh(db, role, source, from_scratch)
            found = fresh.cells
            publishing = publication.publish_role(resources, found, await rates, previous)
            if inputs_of is None:
                published, role_demand = await asyncio.gather(
                    publishing, demand.role_demand(db, [role], {role: found.by_year()}))
            else:
                published, role_demand = await publishing, {}
            out.read += fresh.read
            if fresh.read_whole is not None:
                out.read_whole[fresh.read_whole].append(role)
            if published is None:  # the role changed while its release was taken: a later run takes it
                out.skipped.append(role)
                return
            for doc in role_demand.values():  # counts, too, move only with releases
                publication.leave_out(doc, published.volume)
            out.demand.update(role_demand)
            out.found[role] = dataclasses.replace(found, cells={})
            # a role whose rows all wait for a release keeps its document: its release state, and an
            # empty answer for readers (not PENDING, which would queue a run at every read)
            out.rows[role] = published.rows
            out.releases[role], out.volume[role] = published.release, published.volume
            if inputs_of is not None:
                await reuse.store_amounts(db, {role: published.usd if published.usd is not None else np.empty(0)},
                                          {role: inputs_of(found)})

    await asyncio.gather(*(one(role) for role in roles))
    return out


async def aggregate(resources: Resources, roles: list[str] | None, stamp: dict[str, Any], clock: Clock,
                     from_scratch: bool = False) -> Aggregated:
    """Salary and demand documents of `roles` (every role when None), stamped with `stamp` (see
    the module's docstring). From scratch, nothing is reused and no roll-up is used."""
    db, settings = resources.db, resources.settings
    loading = asyncio.ensure_future(fx.load_rates(db))  # read beside the roles' cells
    full = roles is None
    wanted = list(roles) if roles is not None else sorted(await db[c.SALARY_OBSERVATIONS].distinct("role"))
    scope_filter = {} if roles is None else {"role": {"$in": roles}}
    had_summaries = asyncio.ensure_future(db[c.SALARY_SUMMARIES].distinct("role", scope_filter))
    official_rows = asyncio.ensure_future(comparison.official_for_roles(db, sorted(wanted)))
    try:
        years: dict[str, list[dict[str, Any]]] = {}
        inputs: dict[str, dict[str, Any]] = {}
        stored_at: dict[str, datetime | None] = {}
        reused: dict[str, list[dict[str, Any]]] = {}
        if full and not from_scratch:  # fingerprints from indexes: a whole run from scratch reads every role anyway
            rates = await loading
            years = await demand.volume_by_year(db, wanted)
            prints, stored_at = await reuse.fingerprints(db, wanted, {role: sum(y["count"] for y in rows)
                                                                      for role, rows in years.items()})
            rates_key = reuse.rates_digest(rates)
            policy = publication.Policy.of(settings).digest()
            inputs = {role: reuse.inputs_of(prints[role], rates, settings.min_cell_size, settings.normalize_to,
                                            rates_key, policy) for role in wanted}
            reused = await reuse.reusable(db, inputs, set(await change_marks.awaiting(resources.redis)))
        clock.lap("reuse")

        def exact(found: RoleCells) -> dict[str, Any]:
            return _exact_inputs(found, loading.result(), resources, reuse.rates_digest(loading.result()))

        computed = await _compute(resources, [role for role in wanted if role not in reused], loading, from_scratch,
                                  exact if full else None)
        for role, found in computed.found.items():
            inputs[role] = exact(found)
            stored_at[role] = found.observed_through
            years[role] = found.by_year()
        clock.lap("aggregate")
        by_role = {**computed.rows, **reused}
        official = await comparison.with_metro_cells(db, await official_rows, by_role)
        docs = [_salary_doc(role, stamp, cells, inputs[role], official.get(role, []), stored_at.get(role),
                            computed.releases.get(role)) for role, cells in sorted(by_role.items())]
        had = set(await had_summaries) - set(computed.skipped)
        if roles is not None:
            role_demand = computed.demand
        else:
            role_demand = await demand.role_demand(db, roles, years)
            held_back = await publication.held_years(db, sorted(reused))
            for role, doc in role_demand.items():  # counts, too, move only with releases
                publication.leave_out(doc, computed.volume[role] if role in computed.volume else held_back.get(role))
        demand_docs = [{**d, **stamp} for role, d in role_demand.items() if role not in computed.skipped]
        if full:  # the pay premium needs every role's observations: full runs only
            skills = await demand.skill_demand(db, settings.min_cell_size, by_role)
            demand_docs.extend({**d, **stamp} for d in skills.values())
        clock.lap("derive")
        return Aggregated(docs, sorted(had - set(by_role)), demand_docs, computed.read, inputs, frozenset(reused),
                          dict(computed.read_whole), computed.skipped)
    finally:
        _settle(loading, had_summaries, official_rows)


def _settle(*futures: asyncio.Future[Any]) -> None:
    """Cancel what a failed aggregation left running, and take the errors of what had failed."""
    for future in futures:
        if not future.done():
            future.cancel()
        elif not future.cancelled():
            future.exception()
