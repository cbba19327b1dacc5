"""`careergraph seed`: load the curated dataset, idempotently.

Curated fields are (re)written on every run; fields that imports own are never touched: a
skill's hot / in-demand flags and commodity (from O*NET), a role's job zone and its links to
O*NET occupations. A role's skill links take their hot / in-demand flags from the skills
collection, so seeding before or after an O*NET import ends in the same documents.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pymongo import UpdateOne
from pymongo.asynchronous.database import AsyncDatabase

from service import jobs
from service.ingest.seed.catalog import SKILLS, SOURCES
from service.ingest.seed.figures import BENCHMARKS, OUTLOOKS
from service.ingest.seed.paths import PATHS
from service.ingest.seed.roles import ROLES
from service.platform.resources import Resources
from service.store import database as c

SKILL_IMPORT_FIELDS = ("hot", "in_demand", "commodity")
ROLE_IMPORT_FIELDS = ("job_zone", "occupations")


@dataclass
class WriteCounts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0

    def line(self, name: str) -> str:
        return f"{name}: {self.added} added, {self.updated} updated, {self.unchanged} unchanged"


@dataclass
class SeedReport:
    counts: dict[str, WriteCounts] = field(default_factory=dict)

    @property
    def added(self) -> int:
        return sum(c.added for c in self.counts.values())

    def lines(self) -> list[str]:
        return [counts.line(name) for name, counts in self.counts.items()]


async def _upsert(db: AsyncDatabase[dict[str, Any]], collection: str, key: str,
                  documents: list[dict[str, Any]], insert_only: tuple[str, ...] = ()) -> WriteCounts:
    operations = []
    for doc in documents:
        on_insert = {f: doc.pop(f) for f in insert_only if f in doc}
        update: dict[str, Any] = {"$set": doc}
        if on_insert:
            update["$setOnInsert"] = on_insert
        operations.append(UpdateOne({key: doc[key]}, update, upsert=True))
    if not operations:
        return WriteCounts()
    result = await db[collection].bulk_write(operations, ordered=False)
    return WriteCounts(added=result.upserted_count, updated=result.modified_count,
                       unchanged=result.matched_count - result.modified_count)


async def skill_flags(db: AsyncDatabase[dict[str, Any]]) -> dict[str, tuple[bool, bool]]:
    flags = {}
    async for doc in db[c.SKILLS].find({}, {"slug": 1, "hot": 1, "in_demand": 1}):
        flags[doc["slug"]] = (bool(doc.get("hot")), bool(doc.get("in_demand")))
    return flags


def _role_document(role_doc: dict[str, Any], flags: dict[str, tuple[bool, bool]]) -> dict[str, Any]:
    for link in role_doc["skills"]:
        link["hot"], link["in_demand"] = flags.get(link["skill"], (False, False))
    for name in ROLE_IMPORT_FIELDS:
        role_doc.pop(name, None)
    return role_doc


async def load_seed(db: AsyncDatabase[dict[str, Any]]) -> SeedReport:
    await c.ensure_collections(db)
    report = SeedReport()
    report.counts["sources"] = await _upsert(db, c.SOURCES, "slug", [s.to_document() for s in SOURCES])
    skill_docs = [s.to_document() for s in SKILLS]
    report.counts["skills"] = await _upsert(db, c.SKILLS, "slug", skill_docs,
                                            insert_only=SKILL_IMPORT_FIELDS)
    flags = await skill_flags(db)
    role_docs = [_role_document(r.to_document(), flags) for r in ROLES]
    report.counts["roles"] = await _upsert(db, c.ROLES, "slug", role_docs)
    report.counts["learning paths"] = await _upsert(db, c.LEARNING_PATHS, "slug",
                                                    [p.to_document() for p in PATHS])
    report.counts["salary benchmarks"] = await _upsert(db, c.SALARY_BENCHMARKS, "key",
                                                       [b.to_document() for b in BENCHMARKS])
    report.counts["outlooks"] = await _upsert(db, c.OUTLOOKS, "key", [o.to_document() for o in OUTLOOKS])
    return report


async def seed(resources: Resources) -> SeedReport:
    """Load the curated dataset, then queue a full recompute of the summaries."""
    report = await load_seed(resources.db)
    await jobs.announce_catalog_change(resources.redis)
    return report


async def seed_if_empty(resources: Resources) -> SeedReport | None:
    """Seed a database that has no roles yet (the first `careergraph up`); None otherwise."""
    await c.ensure_collections(resources.db)
    if await resources.db[c.ROLES].estimated_document_count() > 0:
        return None
    return await seed(resources)
