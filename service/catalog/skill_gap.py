"""Skill gap: what a person still needs for a role, and the path steps that teach it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from service.catalog.model import LearningPath, LearningStep, Role, RoleSkill, skill_link_order
from service.errors import BadUserInput, NotFound
from service.store import database as c
from service.text import search_key

MAX_HAVE = 200


@dataclass(frozen=True)
class SkillGap:
    role: Role
    missing: tuple[RoleSkill, ...]  # most important and most in demand first
    matched: tuple[str, ...]  # skills of the role the person has
    unknown: tuple[str, ...]  # inputs that name no known skill
    path: LearningPath | None
    steps: tuple[LearningStep, ...]  # steps of the path that cover a missing skill

    @property
    def total_hours(self) -> float:
        return sum(step.estimated_hours or 0 for step in self.steps)


async def resolve_skill_names(db: AsyncDatabase[dict[str, Any]], names: list[str]
                              ) -> tuple[set[str], list[str]]:
    """(skill slugs, names matching no skill) for free-text skill names such as "k8s"."""
    keys = {name: search_key(name) for name in names}
    slugs: set[str] = set()
    known_keys: set[str] = set()
    cursor = db[c.SKILLS].find({"search_keys": {"$in": [k for k in keys.values() if k]}},
                               {"slug": 1, "search_keys": 1})
    async for doc in cursor:
        slugs.add(doc["slug"])
        known_keys.update(doc["search_keys"])
    return slugs, [name for name, key in keys.items() if key not in known_keys]


async def skill_gap(db: AsyncDatabase[dict[str, Any]], role_slug: str, have: list[str]) -> SkillGap:
    if len(have) > MAX_HAVE:
        raise BadUserInput(f"`have` lists at most {MAX_HAVE} skills", field="have")
    doc = await db[c.ROLES].find_one({"slug": role_slug})
    if doc is None:
        raise NotFound(f"no role with slug {role_slug!r}", field="role")
    role = Role.from_document(doc)
    owned, unknown = await resolve_skill_names(db, have)
    missing = tuple(sorted((link for link in role.skills if link.skill not in owned), key=skill_link_order))
    matched = tuple(link.skill for link in role.skills if link.skill in owned)
    path_doc = await db[c.LEARNING_PATHS].find_one({"role": role_slug}, sort=[("slug", 1)])
    path = LearningPath.from_document(path_doc) if path_doc else None
    wanted = {link.skill for link in missing}
    steps = tuple(step for step in (path.steps if path else ()) if wanted & set(step.skills))
    return SkillGap(role=role, missing=missing, matched=matched, unknown=tuple(unknown), path=path,
                    steps=steps)
