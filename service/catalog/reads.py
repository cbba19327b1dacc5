"""Reads of roles, skills, sources, learning paths, benchmarks and outlooks.

Batch functions (`*_by_*`) take many keys and return results in the same order, one query per
call, for the API's DataLoaders.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from service.catalog.model import LearningPath, Role, Skill
from service.importance import IMPORTANCE_RANK
from service.provenance import Source
from service.store import database as c
from service.store.pagination import Page, PageRequest, paginate
from service.text import search_key

Db = AsyncDatabase[dict[str, Any]]


@dataclass(frozen=True)
class RoleFilter:
    family: str | None = None
    skill: str | None = None
    search: str | None = None
    has_salary_data: bool | None = None


@dataclass(frozen=True)
class SkillFilter:
    category: str | None = None
    hot: bool | None = None
    in_demand: bool | None = None
    search: str | None = None


def _search_condition(text: str) -> dict[str, Any]:
    key = search_key(text)
    if not key:
        return {"_id": None}  # nothing matches punctuation alone
    return {"search_keys": {"$regex": f"^{re.escape(key)}"}}


async def roles_by_slug(db: Db, slugs: list[str]) -> list[Role | None]:
    found = {d["slug"]: Role.from_document(d) async for d in db[c.ROLES].find({"slug": {"$in": slugs}})}
    return [found.get(slug) for slug in slugs]


async def skills_by_slug(db: Db, slugs: list[str]) -> list[Skill | None]:
    found = {d["slug"]: Skill.from_document(d) async for d in db[c.SKILLS].find({"slug": {"$in": slugs}})}
    return [found.get(slug) for slug in slugs]


async def sources_by_slug(db: Db, slugs: list[str]) -> list[Source | None]:
    found = {d["slug"]: Source.from_document(d) async for d in db[c.SOURCES].find({"slug": {"$in": slugs}})}
    return [found.get(slug) for slug in slugs]


async def paths_by_slug(db: Db, slugs: list[str]) -> list[LearningPath | None]:
    found = {d["slug"]: LearningPath.from_document(d)
             async for d in db[c.LEARNING_PATHS].find({"slug": {"$in": slugs}})}
    return [found.get(slug) for slug in slugs]


async def paths_by_role(db: Db, roles: list[str]) -> list[list[LearningPath]]:
    grouped: dict[str, list[LearningPath]] = defaultdict(list)
    async for doc in db[c.LEARNING_PATHS].find({"role": {"$in": roles}}).sort("slug", 1):
        grouped[doc["role"]].append(LearningPath.from_document(doc))
    return [grouped.get(role, []) for role in roles]


async def role_slugs_needing_skills(db: Db, skills: list[str]) -> list[list[tuple[str, str]]]:
    """For each skill: (role slug, importance) of the roles that list it, core first."""
    grouped: dict[str, list[tuple[str, str]]] = defaultdict(list)
    wanted = set(skills)
    async for doc in db[c.ROLES].find({"skills.skill": {"$in": skills}}, {"slug": 1, "skills": 1}):
        for link in doc["skills"]:
            if link["skill"] in wanted:
                grouped[link["skill"]].append((doc["slug"], link["importance"]))
    return [sorted(grouped.get(s, []), key=lambda pair: (IMPORTANCE_RANK[pair[1]], pair[0])) for s in skills]


async def list_roles(db: Db, flt: RoleFilter, page: PageRequest, order: str = "title",
                     descending: bool = False) -> Page[Role]:
    query: dict[str, Any] = {}
    if flt.family:
        query["family"] = flt.family
    if flt.skill:
        query["skills.skill"] = flt.skill
    if flt.search:
        query.update(_search_condition(flt.search))
    if flt.has_salary_data is not None:
        with_data = await db[c.SALARY_OBSERVATIONS].distinct("role")
        with_data += await db[c.SALARY_BENCHMARKS].distinct("role")
        query["slug"] = {"$in" if flt.has_salary_data else "$nin": sorted(set(with_data))}
    raw = await paginate(db[c.ROLES], query, page, sort_field=order, descending=descending)
    return Page([(cur, Role.from_document(d)) for cur, d in raw.items], raw.has_next_page,
                raw.has_previous_page, raw.total_count)


async def list_skills(db: Db, flt: SkillFilter, page: PageRequest) -> Page[Skill]:
    query: dict[str, Any] = {}
    if flt.category:
        query["category"] = flt.category
    if flt.hot is not None:
        query["hot"] = flt.hot
    if flt.in_demand is not None:
        query["in_demand"] = flt.in_demand
    if flt.search:
        query.update(_search_condition(flt.search))
    raw = await paginate(db[c.SKILLS], query, page, sort_field="name")
    return Page([(cur, Skill.from_document(d)) for cur, d in raw.items], raw.has_next_page,
                raw.has_previous_page, raw.total_count)
