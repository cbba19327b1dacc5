"""MongoDB collections: names, `$jsonSchema` validators and indexes, in one place.

`ensure_collections(db)` is idempotent: it creates what is missing, updates validators with
`collMod`, and creates indexes (a no-op when they exist). It runs at API and worker startup and
before seeding or importing. Validation is strict (`validationAction: error`), so a document the
code builds wrongly is refused by the server instead of being stored.
"""

from __future__ import annotations

import logging
from typing import Any

from pymongo import ASCENDING, DESCENDING, TEXT, IndexModel
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import CollectionInvalid, OperationFailure

from service.bands import ExperienceBand
from service.employment import EMPLOYMENT_TYPES
from service.importance import Importance
from service.provenance import PUBLIC_SOURCES
from service.store import official_layout

log = logging.getLogger("careergraph.store")

NAMESPACE_EXISTS = 48
INDEX_NOT_FOUND = 27
DUPLICATE_KEY = 11000  # MongoDB's error code for a unique index refusing a write
ROLES = "roles"
SKILLS = "skills"
SOURCES = "sources"
SALARY_OBSERVATIONS = "salary_observations"
SALARY_BENCHMARKS = "salary_benchmarks"
OUTLOOKS = "outlooks"
LEARNING_PATHS = "learning_paths"
IMPORT_RUNS = "import_runs"
SALARY_SUMMARIES = "salary_summaries"
SALARY_AMOUNTS = "salary_amounts"  # each role's converted amounts, kept for reuse (service.summaries.reuse)
SALARY_ROLLUPS = "salary_rollups"  # each role's cells as last read whole (service.summaries.rollups)
DEMAND_SUMMARIES = "demand_summaries"
RECOMPUTE_RUNS = "recompute_runs"
PERSISTED_QUERIES = "persisted_queries"  # the operators' allow-list (service.access.persisted_queries)
MOVE_CANDIDATES = "move_candidates"  # each role's next-move candidates (service.decisions.candidates)
#: A role's observations in `_id` ranges with every field a summary reads: whole reads are covered
#: by it (service.summaries.cell_reads), and its (role, _id) prefix finds a role's newest `_id`.
ROLE_CELLS_INDEX_NAME = "role_id_cells_metro"
ROLE_CELLS_INDEX = [("role", ASCENDING), ("_id", DESCENDING), ("country", ASCENDING), ("region_code", ASCENDING),
                    ("experience_band", ASCENDING), ("currency", ASCENDING), ("year", ASCENDING),
                    ("employment_type", ASCENDING), ("public", ASCENDING), ("metro_code", ASCENDING),
                    ("amount", ASCENDING)]
#: Indexes that a newer one replaced: dropped where they remain.
RETIRED_INDEXES = {SALARY_OBSERVATIONS: ["role_1__id_-1", "role_id_cells", "role_id_cells_public"]}
#: Collections whose change stream carries each deletion's and edit's document as it was before
#: (so a role's run can take a deleted observation out of its roll-up: service.summaries.positions).
PRE_IMAGES = {SALARY_OBSERVATIONS}

IMPORTANCE = [importance.value for importance in Importance]
SKILL_CATEGORIES = [
    "language", "framework", "database", "protocol", "devops", "cloud", "web_server",
    "monitoring", "tool", "security", "practice", "soft_skill", "concept", "platform", "other",
]
BANDS = [band.value for band in ExperienceBand]

_STR = {"bsonType": "string"}
_NONEMPTY = {"bsonType": "string", "minLength": 1}
_STR_LIST = {"bsonType": "array", "items": _STR}
_OPT_NUM = {"bsonType": ["double", "int", "long", "decimal", "null"]}
_DATE = {"bsonType": "date"}
_COUNTRY = {"bsonType": ["string", "null"], "pattern": "^[A-Z]{2}$"}
_CURRENCY = {"bsonType": "string", "pattern": "^[A-Z]{3}$"}
_SLUG = {"bsonType": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"}
_BAND = {"enum": [*BANDS, None]}


def _schema(required: list[str], properties: dict[str, Any]) -> dict[str, Any]:
    return {"$jsonSchema": {"bsonType": "object", "required": required, "properties": properties}}


VALIDATORS: dict[str, dict[str, Any]] = {
    ROLES: _schema(["slug", "title", "origin"], {
        "slug": _SLUG, "title": _NONEMPTY, "aliases": _STR_LIST, "summary": _STR,
        "origin": {"enum": ["curated", "onet", "import"]},
        "onet_codes": {"bsonType": "array", "items": {"bsonType": "string",
                                                       "pattern": r"^\d{2}-\d{4}\.\d{2}$"}},
        "job_zone": {"bsonType": ["int", "null"], "minimum": 1, "maximum": 5},
        "skills": {"bsonType": "array", "items": {
            "bsonType": "object", "required": ["skill", "importance"],
            "properties": {"skill": _SLUG, "importance": {"enum": IMPORTANCE},
                           "hot": {"bsonType": "bool"}, "in_demand": {"bsonType": "bool"}}}},
        "related": {"bsonType": "array", "items": {
            "bsonType": "object", "required": ["role", "tier"],
            "properties": {"role": _SLUG, "tier": _NONEMPTY}}},
    }),
    SKILLS: _schema(["slug", "name", "category"], {
        "slug": _SLUG, "name": _NONEMPTY, "aliases": _STR_LIST,
        "category": {"enum": SKILL_CATEGORIES}, "hot": {"bsonType": "bool"},
        "in_demand": {"bsonType": "bool"},
    }),
    SOURCES: _schema(["slug", "publisher", "title"], {
        "slug": _SLUG, "publisher": _NONEMPTY, "title": _NONEMPTY,
        "url": {"bsonType": ["string", "null"]}, "licence": {"bsonType": ["string", "null"]},
    }),
    SALARY_OBSERVATIONS: _schema(
        ["content_hash", "role", "currency", "amount", "country", "experience_band", "source",
         "created_at"], {
            "content_hash": _NONEMPTY, "role": _SLUG, "raw_title": _STR, "currency": _CURRENCY,
            # numbers the summary pipeline can sort and average together (no decimal)
            "amount": {"bsonType": ["double", "int", "long"], "minimum": 0, "exclusiveMinimum": True},
            "base_amount": _OPT_NUM, "country": _COUNTRY,
            "years_experience": {"bsonType": ["double", "int", "null"], "minimum": 0, "maximum": 60},
            "experience_band": _BAND, "year": {"bsonType": ["int", "null"]},
            "source": _SLUG, "created_at": _DATE,
            "region_code": {"bsonType": ["string", "null"], "pattern": "^[A-Z]{2}-[A-Z0-9]{1,3}$"},
            "employment_type": {"enum": [*EMPLOYMENT_TYPES, None]},
            "remote_ratio": {"bsonType": ["int", "null"], "minimum": 0, "maximum": 100},
            "published_amount": _OPT_NUM, "published_currency": {"bsonType": ["string", "null"],
                                                                 "pattern": "^[A-Z]{3}$"},
            "metro_code": {"bsonType": ["string", "null"], "pattern": r"^\d{7}$"},
            "public": {"enum": [True]},  # a row of a file its source publishes (provenance.PUBLIC_SOURCES)
            "release_hold": {"enum": ["new", "withdrawn", "new-withdrawn"]},
            "receipt_sha256": {"bsonType": "string", "pattern": "^[0-9a-f]{64}$"},
        }),
    SALARY_BENCHMARKS: _schema(["key", "role", "statistic", "currency", "source"], {
        "key": _NONEMPTY, "role": _SLUG, "currency": _CURRENCY, "country": _COUNTRY,
        "experience_band": _BAND, "source": _SLUG,
        "statistic": {"enum": ["mean", "median", "minimum", "range"]},
        "amount": _OPT_NUM, "amount_max": _OPT_NUM,
    }),
    OUTLOOKS: _schema(["key", "subject", "region", "source"], {
        "key": _NONEMPTY, "region": _NONEMPTY, "source": _SLUG,
        "growth_percent": _OPT_NUM, "openings_per_year": _OPT_NUM,
    }),
    LEARNING_PATHS: _schema(["slug", "role", "title", "steps"], {
        "slug": _SLUG, "role": _SLUG, "title": _NONEMPTY,
        "steps": {"bsonType": "array", "items": {
            "bsonType": "object", "required": ["position", "title"],
            "properties": {"position": {"bsonType": "int", "minimum": 1}, "title": _NONEMPTY,
                           "skills": {"bsonType": "array", "items": _SLUG},
                           "estimated_hours": _OPT_NUM}}},
    }),
    IMPORT_RUNS: _schema(["kind", "started_at"], {"kind": _NONEMPTY, "started_at": _DATE}),
    PERSISTED_QUERIES: _schema(["_id", "query", "loaded_at"], {
        "_id": {"bsonType": "string", "pattern": "^[0-9a-f]{64}$"}, "query": _NONEMPTY, "loaded_at": _DATE}),
    SALARY_SUMMARIES: _schema(["role", "version", "computed_at", "cells"], {
        "role": _SLUG, "version": _NONEMPTY, "computed_at": _DATE, "cells": {"bsonType": "array"},
        "sample_size": {"bsonType": ["int", "long"], "minimum": 0},
    }),
    SALARY_AMOUNTS: _schema(["role", "chunk", "chunks", "inputs", "usd"], {
        "role": _SLUG, "chunk": {"bsonType": "int", "minimum": 0}, "chunks": {"bsonType": "int", "minimum": 1},
        "inputs": {"bsonType": "object"}, "usd": {"bsonType": "binData"},
    }),
    SALARY_ROLLUPS: _schema(["role", "part", "parts", "generation", "layout", "amounts"], {
        "role": _SLUG, "part": {"bsonType": "int", "minimum": 0}, "parts": {"bsonType": "int", "minimum": 1},
        "generation": _NONEMPTY, "layout": _NONEMPTY, "amounts": {"bsonType": "binData"},
        "position": {"bsonType": ["object", "null"]}, "observations": {"bsonType": ["int", "long"], "minimum": 0},
        "keys": {"bsonType": "array"}, "sizes": {"bsonType": "array"}, "seen": {"bsonType": "array"},
    }),
    DEMAND_SUMMARIES: _schema(["subject", "kind", "version", "computed_at"], {
        "subject": _NONEMPTY, "kind": {"enum": ["role", "skill"]}, "version": _NONEMPTY,
        "computed_at": _DATE,
    }),
    MOVE_CANDIDATES: _schema(["role", "candidates"], {"role": _SLUG, "candidates": {"bsonType": "array"}}),
    RECOMPUTE_RUNS: _schema(["run_id", "scope", "trigger", "started_at", "outcome"], {
        "run_id": _NONEMPTY, "scope": _NONEMPTY, "trigger": _NONEMPTY, "started_at": _DATE,
        "outcome": {"enum": ["running", "ok", "failed", "abandoned", "superseded"]},
    }),
}

INDEXES: dict[str, list[IndexModel]] = {
    ROLES: [
        IndexModel([("slug", ASCENDING)], unique=True),
        IndexModel([("onet_codes", ASCENDING)]),
        IndexModel([("family", ASCENDING), ("title", ASCENDING)]),
        IndexModel([("skills.skill", ASCENDING)]),
        IndexModel([("search_keys", ASCENDING)]),
        IndexModel([("title", TEXT), ("aliases", TEXT), ("summary", TEXT)],
                   weights={"title": 10, "aliases": 5, "summary": 1}, name="role_text"),
    ],
    SKILLS: [
        IndexModel([("slug", ASCENDING)], unique=True),
        IndexModel([("search_keys", ASCENDING)]),
        IndexModel([("category", ASCENDING), ("name", ASCENDING)]),
        IndexModel([("hot", ASCENDING), ("in_demand", ASCENDING)]),
        IndexModel([("name", TEXT), ("aliases", TEXT)], weights={"name": 10, "aliases": 5},
                   name="skill_text"),
    ],
    SOURCES: [IndexModel([("slug", ASCENDING)], unique=True)],
    SALARY_OBSERVATIONS: [
        IndexModel([("content_hash", ASCENDING)], unique=True),
        IndexModel([("role", ASCENDING), ("country", ASCENDING), ("experience_band", ASCENDING),
                    ("currency", ASCENDING), ("amount", ASCENDING)]),
        IndexModel(ROLE_CELLS_INDEX, name=ROLE_CELLS_INDEX_NAME),
        IndexModel([("role", ASCENDING), ("year", ASCENDING)]),  # count scans for demand by year
        IndexModel([("import_batch", ASCENDING)]),
        # submitted rows a release has not settled yet (service.summaries.release): few, so a small index
        IndexModel([("role", ASCENDING), ("_id", ASCENDING)], name="held_rows",
                   partialFilterExpression={"release_hold": {"$exists": True}}),
        IndexModel([("receipt_sha256", ASCENDING)], name="receipts", unique=True,
                   partialFilterExpression={"receipt_sha256": {"$exists": True}}),
    ],
    SALARY_BENCHMARKS: [
        IndexModel([("key", ASCENDING)], unique=True),
        IndexModel([("role", ASCENDING), ("country", ASCENDING), ("experience_band", ASCENDING)]),
    ],
    OUTLOOKS: [
        IndexModel([("key", ASCENDING)], unique=True),
        IndexModel([("subject", ASCENDING)]),
    ],
    LEARNING_PATHS: [
        IndexModel([("slug", ASCENDING)], unique=True),
        IndexModel([("role", ASCENDING)]),
        IndexModel([("title", TEXT), ("summary", TEXT)], name="path_text"),
    ],
    IMPORT_RUNS: [IndexModel([("started_at", DESCENDING)])],
    PERSISTED_QUERIES: [],
    SALARY_SUMMARIES: [IndexModel([("role", ASCENDING)], unique=True)],
    SALARY_AMOUNTS: [IndexModel([("role", ASCENDING), ("chunk", ASCENDING)], unique=True)],
    SALARY_ROLLUPS: [IndexModel([("role", ASCENDING), ("part", ASCENDING)], unique=True)],
    DEMAND_SUMMARIES: [IndexModel([("subject", ASCENDING)], unique=True)],
    MOVE_CANDIDATES: [IndexModel([("role", ASCENDING)], unique=True)],
    RECOMPUTE_RUNS: [IndexModel([("run_id", ASCENDING)], unique=True),
                     IndexModel([("started_at", DESCENDING), ("run_id", DESCENDING)]),
                     IndexModel([("outcome", ASCENDING), ("heartbeat_at", ASCENDING)])],
}


VALIDATORS.update(official_layout.VALIDATORS)
INDEXES.update(official_layout.INDEXES)


async def ensure_collections(db: AsyncDatabase[dict[str, Any]]) -> None:
    """Create collections with their validators and indexes; safe to run any number of times."""
    existing = set(await db.list_collection_names())
    for name, validator in VALIDATORS.items():
        if name in existing:
            await db.command("collMod", name, validator=validator,
                             validationLevel="strict", validationAction="error")
        else:
            try:
                await db.create_collection(name, validator=validator,
                                           validationLevel="strict", validationAction="error")
            except CollectionInvalid:  # created concurrently by another process
                pass
            except OperationFailure as exc:  # the server says so: NamespaceExists
                if exc.code != NAMESPACE_EXISTS:
                    raise
        if name in PRE_IMAGES:
            await _keep_pre_images(db, name)
        if name == SALARY_OBSERVATIONS:
            await _mark_public_rows(db)
        if INDEXES[name]:  # _id alone needs none
            await db[name].create_indexes(INDEXES[name])
        for retired in RETIRED_INDEXES.get(name, ()):
            try:
                await db[name].drop_index(retired)
            except OperationFailure as exc:
                if exc.code != INDEX_NOT_FOUND:
                    raise


async def _mark_public_rows(db: AsyncDatabase[dict[str, Any]]) -> None:
    """Rows of public files stored before they carried `public: true` are marked, once: while the
    index that reads the flag is not there yet (its build then takes the flags in)."""
    indexes = await db[SALARY_OBSERVATIONS].index_information()
    if ROLE_CELLS_INDEX_NAME not in indexes:
        await db[SALARY_OBSERVATIONS].update_many(
            {"source": {"$in": sorted(PUBLIC_SOURCES)}, "public": {"$exists": False}}, {"$set": {"public": True}})


async def _keep_pre_images(db: AsyncDatabase[dict[str, Any]], name: str) -> None:
    """Ask for pre- and post-images in the collection's change stream (MongoDB 6.0+ on a replica
    set). Without them a deletion cannot be attributed to a role, and every role's next run reads
    it whole once (service.summaries.positions)."""
    try:
        await db.command("collMod", name, changeStreamPreAndPostImages={"enabled": True})
    except OperationFailure as exc:
        log.warning("no pre-images in %s's change stream (%s): a deletion makes every role read whole once",
                    name, exc.code)
