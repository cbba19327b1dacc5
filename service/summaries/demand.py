"""Demand summaries for roles and skills, computed by the worker.

Per role: its outlooks (growth, openings a year, period, source), observation volume by year,
counts of its hot and in-demand skills, and its top skills by demand. A skill's demand rank is
(O*NET in-demand flag, hot flag, importance to the role, number of roles that need it).

Per skill: the roles that need it (core / recommended), its flags, and a pay premium: the median
of the observations of roles that need it against the median of all observations, every currency
converted to `PREMIUM_CURRENCY` at the rate of its year (`service.official.fx`; only the USD
observations while no rates are loaded), each with its sample size. Medians use the same definition
as the salary summaries (numpy's linear interpolation); below the minimum cell size the premium is
withheld.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Collection, Hashable, Sequence
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from service.importance import IMPORTANCE_RANK, NEEDING
from service.store import database as c
from service.summaries import medians

PREMIUM_CURRENCY = "USD"
ALL = "all roles"  # the key of the overall median
TOP_SKILLS = 10
Db = AsyncDatabase[dict[str, Any]]


def _no_roles() -> dict[str, list[str]]:
    return {name: [] for name in NEEDING}


async def roles_needing(db: Db, skills: Sequence[str] | None) -> dict[str, dict[str, list[str]]]:
    """skill -> {"core": [...], "recommended": [...]}, role slugs sorted."""
    match: dict[str, Any] = {"skills.importance": {"$in": list(NEEDING)}}
    if skills is not None:
        match["skills.skill"] = {"$in": list(skills)}
    pipeline: list[dict[str, Any]] = [
        {"$unwind": "$skills"}, {"$match": match},
        {"$group": {"_id": {"skill": "$skills.skill", "importance": "$skills.importance"},
                    "roles": {"$push": "$slug"}}},
    ]
    found: dict[str, dict[str, list[str]]] = defaultdict(_no_roles)
    async for row in await db[c.ROLES].aggregate(pipeline):
        found[row["_id"]["skill"]][row["_id"]["importance"]] = sorted(row["roles"])
    return found


COUNT_CONCURRENCY = 16


async def volume_by_year(db: Db, roles: Sequence[str] | None) -> dict[str, list[dict[str, Any]]]:
    """Observations per role and year (None: not stated), counted on the (role, year) index:
    a distinct scan for the years of each role, then one count scan per pair, so no document is
    read (a `$group` over the collection would cost a scan as long as the salary pass)."""
    observations = db[c.SALARY_OBSERVATIONS]
    wanted = list(roles) if roles is not None else await observations.distinct("role")
    gate = asyncio.Semaphore(COUNT_CONCURRENCY)

    async def count(query: dict[str, Any]) -> int:
        async with gate:
            return await observations.count_documents(query)

    async def years_of(role: str) -> list[dict[str, Any]]:
        async with gate:
            years = await observations.distinct("year", {"role": role})
        counts = await asyncio.gather(*(count({"role": role, "year": y}) for y in years))
        rows = [{"year": y, "count": n} for y, n in zip(years, counts, strict=True) if n]
        return sorted(rows, key=lambda r: (r["year"] is None, r["year"] or 0))

    found = await asyncio.gather(*(years_of(role) for role in wanted))
    return {role: rows for role, rows in zip(wanted, found, strict=True) if rows}


def _top_skills(links: list[dict[str, Any]], needing: dict[str, dict[str, list[str]]]
                ) -> list[dict[str, Any]]:
    def breadth(skill: str) -> int:
        return sum(len(v) for v in needing.get(skill, {}).values())

    ranked = sorted(links, key=lambda link: (
        not link.get("in_demand", False), not link.get("hot", False),
        IMPORTANCE_RANK.get(link["importance"], 9), -breadth(link["skill"]), link["skill"]))
    return [{"skill": link["skill"], "importance": link["importance"], "hot": bool(link.get("hot")),
             "in_demand": bool(link.get("in_demand")), "roles_needing": breadth(link["skill"])}
            for link in ranked[:TOP_SKILLS]]


async def role_demand(db: Db, roles: Sequence[str] | None,
                      years: dict[str, list[dict[str, Any]]] | None = None) -> dict[str, dict[str, Any]]:
    """Demand documents (without version stamps) for `roles`, every role when None; `years` is
    `volume_by_year` of those roles when the caller has counted it already."""
    query: dict[str, Any] = {} if roles is None else {"slug": {"$in": list(roles)}}
    role_docs = [d async for d in db[c.ROLES].find(query, {"slug": 1, "skills": 1})]
    skills = None if roles is None else sorted(
        {link["skill"] for d in role_docs for link in d.get("skills", [])})
    needing = await roles_needing(db, skills)
    years = years if years is not None else await volume_by_year(db, roles)
    outlooks: dict[str, list[dict[str, Any]]] = defaultdict(list)
    outlook_query: dict[str, Any] = {} if roles is None else {"subject": {"$in": list(roles)}}
    async for doc in db[c.OUTLOOKS].find(outlook_query, {"_id": 0}).sort("key", 1):
        outlooks[doc["subject"]].append({k: doc.get(k) for k in (
            "key", "subject_label", "region", "period", "growth_percent", "openings_per_year", "source")})
    out = {}
    for doc in role_docs:
        links = doc.get("skills", [])
        by_year = years.get(doc["slug"], [])
        out[doc["slug"]] = {
            "subject": f"role:{doc['slug']}", "kind": "role", "role": doc["slug"],
            "outlooks": outlooks.get(doc["slug"], []), "observations_by_year": by_year,
            "sample_size": sum(row["count"] for row in by_year), "skill_count": len(links),
            "hot_skill_count": sum(1 for link in links if link.get("hot")),
            "in_demand_skill_count": sum(1 for link in links if link.get("in_demand")),
            "top_skills": _top_skills(links, needing),
        }
    return out


def pay_premium(needing_roles: Sequence[str], have: frozenset[str], overall: float | None, overall_sample: int,
                min_cell_size: int, medians_of: dict[Hashable, tuple[float | None, int]]) -> dict[str, Any]:
    with_skill, sample = medians_of[frozenset(r for r in needing_roles if r in have)]
    sufficient = sample >= min_cell_size and overall_sample >= min_cell_size
    premium = (with_skill / overall - 1) * 100 if sufficient and with_skill is not None and overall else None
    return {"currency": PREMIUM_CURRENCY, "sufficient": sufficient,
            "median_with_skill": with_skill if sufficient else None, "sample_with_skill": sample,
            "overall_median": overall if sufficient else None, "overall_sample": overall_sample,
            "premium_percent": premium}


async def skill_demand(db: Db, min_cell_size: int, have: Collection[str]) -> dict[str, dict[str, Any]]:
    """Demand documents for every skill, from the stored amounts in PREMIUM_CURRENCY of the roles in
    `have` (`reuse.store_amounts`; the medians are exact, read back in passes by `medians`), so
    only a full recompute runs it."""
    needing = await roles_needing(db, None)
    skills = [doc async for doc in db[c.SKILLS].find({}, {"slug": 1, "hot": 1, "in_demand": 1})]
    pooled = frozenset(have)
    sets: dict[Hashable, frozenset[str]] = {ALL: pooled}
    for doc in skills:
        roles = needing.get(doc["slug"]) or _no_roles()
        members = frozenset(r for r in [*roles["core"], *roles["recommended"]] if r in pooled)
        sets[members] = members
    found = await medians.medians(db, sets)
    overall, overall_sample = found[ALL]
    out = {}
    for doc in skills:
        roles = needing.get(doc["slug"]) or _no_roles()
        out[doc["slug"]] = {
            "subject": f"skill:{doc['slug']}", "kind": "skill", "skill": doc["slug"],
            "hot": bool(doc.get("hot")), "in_demand": bool(doc.get("in_demand")),
            "core_roles": roles["core"], "recommended_roles": roles["recommended"],
            "roles_needing": len(roles["core"]) + len(roles["recommended"]),
            "pay": pay_premium([*roles["core"], *roles["recommended"]], pooled, overall, overall_sample,
                               min_cell_size, found),
        }
        out[doc["slug"]]["sample_size"] = out[doc["slug"]]["pay"]["sample_with_skill"]
    return out
