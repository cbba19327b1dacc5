"""Salary and demand summaries as the API reads them.

The read path never aggregates: Redis (the current version) first; MongoDB's materialised
document when Redis is down or does not have it (and Redis is refilled from it); otherwise the
answer is PENDING and a recompute is queued. The one exception is `live=True` (admin only, for
the benchmark), which runs the worker's pipeline for the role there and then.

`stale` says the role's observations changed after the summary was computed: from the Redis
change marks when Redis answers, from the newest observation's `created_at` otherwise.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import orjson
from redis.exceptions import RedisError

from service.jobs import enqueue_recompute
from service.official import fx
from service.official.oews_model import area_code
from service.platform import metrics
from service.platform.logs import ThrottledWarning
from service.platform.resources import Resources
from service.store import change_marks, summary_cache
from service.store import database as c
from service.summaries import adjustments, comparison, salary_stats
from service.summaries.model import (
    Conversion,
    DemandSummary,
    PayComparison,
    SalaryScope,
    SalarySummary,
    level_for,
)

_warn = ThrottledWarning(logging.getLogger("careergraph.summaries"))


def _warn_cache_down(exc: BaseException) -> None:
    _warn("summary cache unavailable (%s); serving from MongoDB", type(exc).__name__)


@dataclass(frozen=True)
class Loaded:
    document: dict[str, Any]
    source: str
    stale: bool


def _datetime(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


def _matches(cell: dict[str, Any], scope: SalaryScope) -> bool:
    if cell["level"] not in scope.levels or cell.get("normalized_to") != scope.normalize_to:
        return False
    if scope.currency is not None and scope.normalize_to is None and cell["currency"] != scope.currency:
        return False
    for name in ("country", "experience_band", "region_code", "year", "metro_code"):
        wanted = getattr(scope, name)
        if wanted is not None and (name not in cell or cell[name] != wanted):
            return False
    return True


def _summary(cell: dict[str, Any], loaded: Loaded) -> SalarySummary:
    doc = loaded.document
    return SalarySummary(
        role=doc["role"], country=cell.get("country"), experience_band=cell.get("experience_band"),
        currency=cell["currency"], level=cell["level"], status="READY", count=cell["count"],
        **{name: cell.get(name) for name in ("mean", "min", "max", "p10", "p25", "median", "p75", "p90",
                                             "stddev")},
        sufficient=cell["sufficient"], withheld=cell.get("withheld", not cell["sufficient"]),
        withheld_reason=cell.get("withheld_reason"), withheld_code=cell.get("withheld_code"),
        held_back=bool(cell.get("held_back")), omitted=tuple(sorted((cell.get("omitted") or {}).items())),
        computed_at=_datetime(doc.get("computed_at")),
        source=loaded.source, stale=loaded.stale, version=doc.get("version"), region_code=cell.get("region_code"),
        year=cell.get("year"), metro_code=cell.get("metro_code"),
        conversion=Conversion.from_document(cell["conversion"]) if cell.get("conversion") else None,
    )


async def _stale_by_database(resources: Resources, role: str, doc: dict[str, Any]) -> bool:
    newest = await salary_stats.observed_through(resources.db, role)
    return newest is not None and newest.timestamp() * 1000 > doc.get("watermark_ms", 0)


def _cached(cached: summary_cache.CachedRead) -> Loaded:
    doc = orjson.loads(cached.payload or b"{}")
    changed = cached.inputs_changed_ms
    return Loaded(doc, "CACHE", changed is not None and changed > doc.get("watermark_ms", 0))


async def _load(resources: Resources, field: str, collection: str, key: dict[str, str],
                role: str | None) -> Loaded | None:
    """The current summary document for `field`: from Redis, else MongoDB (refilling Redis)."""
    redis_up = True
    try:
        cached = await summary_cache.read(resources.redis, field, role)
        metrics.count_cache("summary", cached.payload is not None)
        if cached.payload is not None:
            return _cached(cached)
    except (RedisError, OSError) as exc:
        redis_up = False
        _warn_cache_down(exc)
    doc = await resources.db[collection].find_one(key, {"_id": 0, "release": 0})
    if doc is None:
        return None
    if redis_up:
        try:
            await summary_cache.refill(resources.redis, field, doc["version"], summary_cache.encode(doc),
                                       resources.settings.cache_ttl_s)
        except (RedisError, OSError):
            pass
    stale = await _stale_by_database(resources, role, doc) if role else False
    if stale and redis_up and role:  # Redis lost the role's mark (restarted): mark it again
        await _request_recompute(resources, role, mark=True)
    return Loaded(doc, "DATABASE", stale)


async def _request_recompute(resources: Resources, role: str, mark: bool = False) -> None:
    """Queue a role's recompute: only for a role with observations that no summary covers (what
    a read can legitimately need), so reads of made-up or empty roles queue nothing."""
    try:
        if mark:
            await change_marks.mark_inputs_changed(resources.redis, [role])
        await enqueue_recompute(resources.redis, [role])
    except (RedisError, OSError) as exc:
        _warn_cache_down(exc)


async def _has_observations(resources: Resources, role: str) -> bool:
    return await resources.db[c.SALARY_OBSERVATIONS].find_one({"role": role}, {"_id": 1}) is not None


async def read_salary_summaries(resources: Resources, scope: SalaryScope,
                                live: bool = False) -> list[SalarySummary]:
    """Every summary matching `scope` (see `SalaryScope.default_level`)."""
    scope = replace(scope.checked(resources.settings.normalize_to), level=scope.default_level)
    adjustments.check(scope)
    if scope.adjust is not None:
        found = await read_salary_summaries(resources, replace(scope, adjust=None), live)
        return await adjustments.adjust(resources, scope.adjust, [s for s in found if s.status == "READY"]) + [
            s for s in found if s.status != "READY"]
    if live:
        return await live_salary_summaries(resources, scope)
    if scope.role is None:
        return await _every_role(resources, scope)
    loaded = await _load(resources, summary_cache.salary_field(scope.role), c.SALARY_SUMMARIES,
                         {"role": scope.role}, scope.role)
    if loaded is None:
        if not await _has_observations(resources, scope.role):
            return []  # nothing observed: no summary, and nothing to compute
        await _request_recompute(resources, scope.role)
        return [SalarySummary.pending(scope)]
    return [_summary(cell, loaded) for cell in loaded.document["cells"] if _matches(cell, scope)]


async def _every_role(resources: Resources, scope: SalaryScope) -> list[SalarySummary]:
    """Every role's matching rows: one Redis round trip; MongoDB for roles Redis lacks."""
    loaded: dict[str, Loaded] = {}
    missing: set[str] = set()
    try:
        for role, cached in (await summary_cache.read_salary_roles(resources.redis)).items():
            if cached.payload is None:
                missing.add(role)
            else:
                loaded[role] = _cached(cached)
    except (RedisError, OSError) as exc:
        _warn_cache_down(exc)
    if not loaded and not missing:  # Redis down or restarted empty
        missing = set(await resources.db[c.SALARY_SUMMARIES].distinct("role"))
    for role in sorted(missing):
        found = await _load(resources, summary_cache.salary_field(role), c.SALARY_SUMMARIES,
                            {"role": role}, role)
        if found is not None:
            loaded[role] = found
    return [_summary(cell, loaded[role]) for role in sorted(loaded)
            for cell in loaded[role].document["cells"] if _matches(cell, scope)]


async def live_salary_summaries(resources: Resources, scope: SalaryScope) -> list[SalarySummary]:
    """The worker's computation run now, for one role or every role (the benchmark's comparison)."""
    rates = await fx.load_rates(resources.db) if scope.normalize_to else None
    by_role = await salary_stats.compute_salary_cells(
        resources.db, None if scope.role is None else [scope.role], resources.settings.min_cell_size, rates,
        targets=resources.settings.normalize_to)
    now = datetime.now(UTC)
    return [_summary(cell, Loaded({"role": role, "computed_at": now}, "LIVE", False))
            for role in sorted(by_role) for cell in by_role[role] if _matches(cell, scope)]


async def read_demand_summary(resources: Resources, subject: str) -> DemandSummary:
    """A role's or skill's demand. PENDING until a recompute covers it: the seed, imports and
    catalogue edits queue those (`jobs.announce_catalog_change`), so a read never does."""
    kind, _, slug = subject.partition(":")
    loaded = await _load(resources, summary_cache.demand_field(subject), c.DEMAND_SUMMARIES,
                         {"subject": subject}, slug if kind == "role" else None)
    if loaded is None:
        return DemandSummary(subject=subject, status="PENDING")
    doc = loaded.document
    return DemandSummary.from_document(doc, computed_at=_datetime(doc.get("computed_at")),
                                       source=loaded.source, stale=loaded.stale)


async def read_role_salary_summary(resources: Resources, role: str, country: str | None = None,
                                   experience_band: str | None = None, currency: str | None = None,
                                   normalize_to: str | None = None) -> SalarySummary | None:
    """The one group the arguments name (`level_for`); without a currency, the one with most
    observations (with `normalize_to`, every currency pooled into it). None when the role has no
    observations there."""
    scope = SalaryScope(role, country, experience_band, currency, level_for(country, experience_band),
                        normalize_to=normalize_to)
    found = await read_salary_summaries(resources, scope)
    if not found:
        return None
    return max(found, key=lambda s: (s.count, s.currency or ""))


async def read_pay_comparison(resources: Resources, role: str, area: str) -> PayComparison | None:
    """The role's crowd-against-official comparison for `area` ("US", a state's postal code, or an
    OEWS area code), from the role's summary (served from the cache). A role with no summary (no crowd
    observations) gets the official side alone, read from the official figures. None when neither
    has anything there."""
    code = area_code(area)
    loaded = await _load(resources, summary_cache.salary_field(role), c.SALARY_SUMMARIES, {"role": role}, role)
    if loaded is None:
        official = await comparison.official_for_roles(resources.db, [role])
        for entry in comparison.compare([], official.get(role, [])):
            if entry["area"] == code:
                return PayComparison.from_document(role, {**entry, "note": f"{comparison.NO_CROWD} {entry['note']}"},
                                                   source="DATABASE", computed_at=None)
        return None
    for entry in loaded.document.get("pay_comparisons") or ():
        if entry["area"] == code:
            return PayComparison.from_document(role, entry, source=loaded.source,
                                               computed_at=_datetime(loaded.document.get("computed_at")))
    return None
