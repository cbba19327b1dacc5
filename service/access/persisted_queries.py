"""Persisted queries: query texts known by their SHA-256, so a client sends a 64-character hash
instead of a document (Apollo's and Relay's automatic persisted queries), and an operator can allow
only the queries their own clients ship (an allow-list).

Two stores: the allow-list lives in MongoDB (`persisted_queries`, loaded by `careergraph
persisted-queries load FILE`, durable); queries registered by clients at run time live in Redis,
each for `TTL_S`, at most `MAX_REGISTERED` of them (the oldest go first) and none longer than
`MAX_REGISTERED_CHARS`, so an anonymous client cannot grow the store without bound.

Files: Apollo's persisted-query manifest (`{"format": "apollo-persisted-query-manifest", "version": 1,
"operations": [{"id", "name", "type", "body"}]}`) and Relay's (`{"<id>": "<query text>", ...}`, as
relay-compiler's `persistConfig` writes it with `"algorithm": "SHA256"`). Every id must be the
SHA-256 of its text: a client computes the same hash, so anything else could never be used.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pymongo import ReplaceOne
from pymongo.asynchronous.database import AsyncDatabase
from redis.asyncio import Redis

from service.store import database as c

HASH = re.compile(r"[0-9a-f]{64}")
MAX_QUERY_CHARS = 100_000
MAX_REGISTERED = 5_000
MAX_REGISTERED_CHARS = 10_000  # a longer query runs but is not kept: at most 50 MB of Redis in all
TTL_S = 7 * 24 * 3600
PREFIX = "careergraph:pq"
INDEX = f"{PREFIX}:index"  # sorted set: hash -> registration time, to drop the oldest

Db = AsyncDatabase[dict[str, Any]]


def sha256(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


def is_hash(value: object) -> bool:
    return isinstance(value, str) and HASH.fullmatch(value) is not None


async def allowed(db: Db, digest: str) -> str | None:
    """The allow-listed text of `digest`, or None."""
    found = await db[c.PERSISTED_QUERIES].find_one({"_id": digest}, {"query": 1})
    return found["query"] if found else None


async def registered(redis: Redis, digest: str) -> str | None:
    value = await redis.get(f"{PREFIX}:{digest}")
    return value.decode() if isinstance(value, bytes) else value


async def register(redis: Redis, digest: str, query: str) -> None:
    """Keep a client's query under its hash (the caller checked that they match)."""
    if len(query) > MAX_REGISTERED_CHARS:
        return
    async with redis.pipeline(transaction=False) as pipe:
        pipe.set(f"{PREFIX}:{digest}", query, ex=TTL_S)
        pipe.zadd(INDEX, {digest: time.time()})
        pipe.zremrangebyscore(INDEX, "-inf", time.time() - TTL_S)
        pipe.zcard(INDEX)
        *_, size = await pipe.execute()
    if size > MAX_REGISTERED:
        oldest = await redis.zpopmin(INDEX, size - MAX_REGISTERED)
        if oldest:
            await redis.delete(*(f"{PREFIX}:{d.decode() if isinstance(d, bytes) else d}" for d, _ in oldest))


@dataclass
class LoadReport:
    loaded: int = 0
    rejected: list[str] = field(default_factory=list)  # "entry N (name): why"


def _entries(document: Any) -> list[tuple[Any, Any, Any]]:
    """(id, text, name) of an Apollo manifest or a Relay map; ValueError for anything else."""
    if isinstance(document, dict) and document.get("format") == "apollo-persisted-query-manifest":
        if document.get("version") != 1:
            raise ValueError("only version 1 of Apollo's manifest format is known")
        operations = document.get("operations")
        if not isinstance(operations, list):
            raise ValueError("an Apollo manifest has an `operations` list")
        return [(o.get("id"), o.get("body"), o.get("name")) if isinstance(o, dict) else (None, None, None)
                for o in operations]
    if isinstance(document, dict) and document:
        return [(key, value, None) for key, value in document.items()]
    raise ValueError("not an Apollo persisted-query manifest nor a Relay map of id to query text")


def check_entries(document: Any) -> tuple[list[dict[str, Any]], LoadReport]:
    report = LoadReport()
    good = []
    for n, (digest, text, name) in enumerate(_entries(document), start=1):
        label = f"entry {n}" + (f" ({str(name)[:60]})" if name else "")
        if not isinstance(text, str) or not text.strip():
            report.rejected.append(f"{label}: no query text")
        elif len(text) > MAX_QUERY_CHARS:
            report.rejected.append(f"{label}: the query is over {MAX_QUERY_CHARS:,} characters")
        elif not is_hash(digest) or digest != sha256(text):
            report.rejected.append(f"{label}: the id is not the SHA-256 of the query text "
                                   "(configure the tool to hash with SHA-256)")
        else:
            good.append({"_id": digest, "query": text, "name": name if isinstance(name, str) else None})
    return good, report


async def load_file(db: Db, path: Path) -> LoadReport:
    """Add (or replace) every valid entry of `path` in the allow-list; report the others."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ValueError(f"{path}: cannot read it as JSON ({type(exc).__name__})") from exc
    good, report = check_entries(document)
    now = datetime.now(UTC)
    if good:
        await db[c.PERSISTED_QUERIES].bulk_write(
            [ReplaceOne({"_id": d["_id"]}, {**d, "loaded_at": now}, upsert=True) for d in good], ordered=False)
    report.loaded = len(good)
    return report


async def allow_list_size(db: Db) -> int:
    return await db[c.PERSISTED_QUERIES].count_documents({})


async def clear_allow_list(db: Db) -> int:
    return (await db[c.PERSISTED_QUERIES].delete_many({})).deleted_count
