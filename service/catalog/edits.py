"""Editors' writes: upsert a role, a skill or a learning path, with field-level user errors."""

from __future__ import annotations

import re
from dataclasses import asdict
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from service import jobs
from service.catalog.model import LearningPath, Role, RoleSkill, Skill
from service.errors import UserError
from service.platform.resources import Resources
from service.store import database as c
from service.text import NOT_UNICODE, holds_surrogates

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


def _check_slug(field: str, value: str, errors: list[UserError]) -> None:
    if not SLUG.match(value):
        errors.append(UserError(field, "1-80 lowercase letters, digits or '-', not starting with '-'",
                                "BAD_USER_INPUT"))


def _check_text(field: str, value: str, limit: int, errors: list[UserError], required: bool = True) -> None:
    if required and not value.strip():
        errors.append(UserError(field, "must not be empty", "BAD_USER_INPUT"))
    elif len(value) > limit:
        errors.append(UserError(field, f"at most {limit} characters", "BAD_USER_INPUT"))


def _unstorable(item: Skill | Role | LearningPath) -> list[UserError]:
    """An error for each field whose text no store can hold (`holds_surrogates`), before any of
    it is looked up or written."""
    return [UserError(name, f"{name} {NOT_UNICODE}", "BAD_USER_INPUT")
            for name, value in asdict(item).items() if holds_surrogates(value)]


async def _unknown_skills(db: AsyncDatabase[dict[str, Any]], slugs: set[str]) -> set[str]:
    found = {d["slug"] async for d in db[c.SKILLS].find({"slug": {"$in": sorted(slugs)}}, {"slug": 1})}
    return slugs - found


async def upsert_skill(resources: Resources, skill: Skill) -> tuple[Skill | None, list[UserError]]:
    """Create or update a skill; a change queues a full recompute (demand ranks skills)."""
    db = resources.db
    errors = _unstorable(skill)
    if errors:
        return None, errors
    _check_slug("slug", skill.slug, errors)
    _check_text("name", skill.name, 120, errors)
    _check_text("description", skill.description, 2000, errors, required=False)
    if skill.category not in c.SKILL_CATEGORIES:
        errors.append(UserError("category", f"one of {', '.join(c.SKILL_CATEGORIES)}", "BAD_USER_INPUT"))
    if errors:
        return None, errors
    doc = skill.to_document()
    flags = {k: doc.pop(k) for k in ("hot", "in_demand", "commodity")}
    await db[c.SKILLS].update_one({"slug": skill.slug}, {"$set": doc, "$setOnInsert": flags}, upsert=True)
    stored = await db[c.SKILLS].find_one({"slug": skill.slug})
    await jobs.announce_catalog_change(resources.redis)
    return (Skill.from_document(stored) if stored else None), []


async def upsert_role(resources: Resources, role: Role) -> tuple[Role | None, list[UserError]]:
    """Create or update a curated role; a change queues a full recompute (demand ranks skills
    across roles)."""
    db = resources.db
    errors = _unstorable(role)
    if errors:
        return None, errors
    _check_slug("slug", role.slug, errors)
    _check_text("title", role.title, 120, errors)
    _check_text("summary", role.summary, 2000, errors, required=False)
    for link in role.skills:
        if link.importance not in c.IMPORTANCE:
            errors.append(UserError("skills", f"importance must be one of {', '.join(c.IMPORTANCE)}",
                                    "BAD_USER_INPUT"))
    missing = await _unknown_skills(db, {link.skill for link in role.skills})
    if missing:
        errors.append(UserError("skills", f"unknown skill(s): {', '.join(sorted(missing))}", "NOT_FOUND"))
    if errors:
        return None, errors
    flags = {d["slug"]: (d.get("hot", False), d.get("in_demand", False))
             async for d in db[c.SKILLS].find({"slug": {"$in": [s.skill for s in role.skills]}})}
    links = tuple(RoleSkill(s.skill, s.importance, *flags.get(s.skill, (False, False)), origin="editor")
                  for s in role.skills)
    doc = Role(**{**role.__dict__, "skills": links}).to_document()
    for owned_by_imports in ("job_zone", "tasks", "onet_codes", "related"):
        doc.pop(owned_by_imports)
    await db[c.ROLES].update_one({"slug": role.slug}, {"$set": doc}, upsert=True)
    stored = await db[c.ROLES].find_one({"slug": role.slug})
    await jobs.announce_catalog_change(resources.redis)
    return (Role.from_document(stored) if stored else None), []


async def upsert_learning_path(resources: Resources, path: LearningPath) -> tuple[LearningPath | None, list[UserError]]:
    """Create or update a learning path; a change queues a full recompute (next moves count its hours,
    and the run's version retires their cached answers)."""
    db = resources.db
    errors = _unstorable(path)
    if errors:
        return None, errors
    _check_slug("slug", path.slug, errors)
    _check_text("title", path.title, 200, errors)
    if not path.steps or len(path.steps) > 50:
        errors.append(UserError("steps", "a path has 1-50 steps", "BAD_USER_INPUT"))
    if [s.position for s in path.steps] != list(range(1, len(path.steps) + 1)):
        errors.append(UserError("steps", "step positions must be 1, 2, 3, ... in order", "BAD_USER_INPUT"))
    for step in path.steps:
        if any(not 1 <= p < step.position for p in step.prerequisites):
            errors.append(UserError("steps", f"step {step.position}: prerequisites must be earlier steps",
                                    "BAD_USER_INPUT"))
        if step.estimated_hours is not None and not 0 <= step.estimated_hours <= 10_000:
            errors.append(UserError("steps", f"step {step.position}: hours must be 0-10000",
                                    "BAD_USER_INPUT"))
    if await db[c.ROLES].count_documents({"slug": path.role}, limit=1) == 0:
        errors.append(UserError("role", f"no role with slug {path.role!r}", "NOT_FOUND"))
    missing = await _unknown_skills(db, {s for step in path.steps for s in step.skills})
    if missing:
        errors.append(UserError("steps", f"unknown skill(s): {', '.join(sorted(missing))}", "NOT_FOUND"))
    if errors:
        return None, errors
    await db[c.LEARNING_PATHS].update_one({"slug": path.slug}, {"$set": path.to_document()}, upsert=True)
    await jobs.announce_catalog_change(resources.redis)
    return path, []
