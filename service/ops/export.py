"""Bulk export: a snapshot of one collection as JSON Lines or CSV, streamed with bounded memory,
each record with its provenance, and a manifest (counts, versions, SHA-256, licences).

Kinds: `summaries` (one record per published salary-summary row: the figures, `sample_size`,
`computed_at`, `version`, `source`), `roles`, `skills`, `paths`, `official-wages` (BLS OEWS cells
with their release) and `observations`, in the caller's view (`service.salaries.visibility`, the same
policy GraphQL follows): a reader gets the rows of public files with every field their source
publishes, an admin every row with every field; the store's own fields (a receipt's hash, a row's
hold) are never written. Records are read from MongoDB in batches and written as they come. In CSV,
every text cell is quoted and one a spreadsheet would take for a formula is escaped
(`service.csv_cells`); numbers stay numbers.
Parquet is not offered: pyarrow is a 40 MB binary dependency whose wheels warned of binary
incompatibility on our machines, and JSON Lines and CSV load into every tool that reads Parquet
(DuckDB, pandas, Polars, Spark) in one call.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from bson import ObjectId
from pymongo.asynchronous.database import AsyncDatabase

from service import __version__
from service.csv_cells import SafeCsvWriter
from service.salaries.visibility import INTERNAL_FIELDS, VIEWS, visible_query
from service.store import database as c
from service.store import official_layout as o
from service.summaries.model import EXPORT_SOURCE

Db = AsyncDatabase[dict[str, Any]]
KINDS = ("summaries", "roles", "skills", "paths", "official-wages", "observations")
FORMATS = ("jsonl", "csv")
BATCH = 1000
_COLLECTIONS = {"roles": c.ROLES, "skills": c.SKILLS, "paths": c.LEARNING_PATHS,
                "official-wages": o.OFFICIAL_WAGES, "observations": c.SALARY_OBSERVATIONS}
_ORDER = {"roles": "slug", "skills": "slug", "paths": "slug", "official-wages": "_id", "observations": "_id"}
SUMMARY_COLUMNS = ("role", "level", "country", "region_code", "metro_code", "experience_band", "year", "currency",
                   "normalized_to", "count", "sample_size", "mean", "stddev", "min", "max", "p10", "p25",
                   "median", "p75", "p90", "sufficient", "withheld", "withheld_reason", "conversion",
                   "version", "computed_at", "source")
ATTRIBUTION = (
    "Salary observations: their sources as named in each record and in the `sources` of the database; "
    "careergraph's summaries are derived from them.",
    "O*NET 29.2 Database by the U.S. Department of Labor, Employment and Training Administration (USDOL/ETA), "
    "used under the CC BY 4.0 licence; careergraph has modified the data.",
    "Occupational Employment and Wage Statistics (OEWS), May 2025, U.S. Bureau of Labor Statistics (public "
    "domain); BLS has not reviewed and cannot vouch for careergraph's derived figures.",
    "Euro foreign exchange reference rates, European Central Bank (reuse with attribution).",
    "Curated roles, skills and paths: careergraph's own text, from the four articles on the backend-developer "
    "career listed in `sources`.",
)


class ExportError(ValueError):
    """A request for an export that cannot be made (unknown kind or format, observations without right)."""


@dataclass
class Written:
    """What one export wrote: records, bytes and their SHA-256, and the versions it saw."""

    kind: str
    format: str
    records: int = 0
    bytes: int = 0
    sha256: str = ""
    versions: set[str] = field(default_factory=set)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, ObjectId):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


async def _summary_records(db: Db) -> AsyncIterator[dict[str, Any]]:
    cursor = db[c.SALARY_SUMMARIES].find({}, {"role": 1, "version": 1, "computed_at": 1, "cells": 1}
                                         ).sort("role", 1).batch_size(50)
    async for doc in cursor:
        for cell in doc.get("cells") or ():
            yield {**cell, "role": doc["role"], "version": doc["version"], "computed_at": doc["computed_at"],
                   "sample_size": cell.get("count"), "source": EXPORT_SOURCE}


async def records(db: Db, kind: str, view: str = "reader") -> AsyncIterator[dict[str, Any]]:
    """The kind's records as plain JSON values, in a stable order; observations in `view`."""
    if kind == "summaries":
        async for record in _summary_records(db):
            yield _plain(record)
        return
    if kind not in _COLLECTIONS:
        raise ExportError(f"unknown export {kind!r}: one of {', '.join(KINDS)}")
    if view not in VIEWS:
        raise ExportError(f"unknown view {view!r}: one of {', '.join(VIEWS)}")
    hidden = dict.fromkeys(INTERNAL_FIELDS if kind == "observations" else ("search_keys", "content_hash"), 0)
    shown = visible_query(view) if kind == "observations" else {}
    cursor = db[_COLLECTIONS[kind]].find(shown, hidden).sort(_ORDER[kind], 1).batch_size(BATCH)
    async for doc in cursor:
        if kind != "official-wages":
            doc.pop("_id", None)
        yield _plain(doc)


def _csv_row(record: dict[str, Any], columns: tuple[str, ...]) -> list[Any]:
    extra = {k: v for k, v in record.items() if k not in columns}
    row = [record.get(name) for name in columns] + [json.dumps(extra, sort_keys=True) if extra else ""]
    return [json.dumps(v, sort_keys=True) if isinstance(v, dict | list) else ("" if v is None else v) for v in row]


async def chunks(db: Db, kind: str, fmt: str, written: Written, view: str = "reader") -> AsyncIterator[bytes]:
    """The export's bytes, a batch of records at a time; `written` is filled in as they go."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: jsonl or csv (Parquet: see `careergraph export --help`)")
    digest = hashlib.sha256()
    buffer = io.StringIO()
    rows = SafeCsvWriter(buffer, lineterminator="\n")  # no text cell read as a formula
    columns: tuple[str, ...] | None = None
    in_batch = 0
    async for record in records(db, kind, view):
        if fmt == "jsonl":
            buffer.write(json.dumps(record, sort_keys=True, separators=(",", ":")) + "\n")
        else:
            if columns is None:  # the header: the kind's columns, or the first record's keys
                columns = SUMMARY_COLUMNS if kind == "summaries" else tuple(record)
                rows.writerow([*columns, "extra"])
            rows.writerow(_csv_row(record, columns))
        written.records += 1
        if isinstance(record.get("version"), str):
            written.versions.add(record["version"])
        in_batch += 1
        if in_batch >= BATCH:
            yield _emit(buffer, digest, written)
            in_batch = 0
    if buffer.tell():
        yield _emit(buffer, digest, written)
    written.sha256 = digest.hexdigest()


def _emit(buffer: io.StringIO, digest: Any, written: Written) -> bytes:
    data = buffer.getvalue().encode()
    buffer.seek(0)
    buffer.truncate()
    digest.update(data)
    written.bytes += len(data)
    return data


async def manifest(db: Db, files: list[tuple[str, Written]]) -> dict[str, Any]:
    """What an export holds and where it comes from, for `manifest.json`."""
    sources = [_plain({k: v for k, v in s.items() if k != "_id"})
               async for s in db[c.SOURCES].find({}, {"slug": 1, "publisher": 1, "title": 1, "url": 1,
                                                      "licence": 1, "published": 1, "retrieved": 1}).sort("slug")]
    releases = sorted(await db[o.OFFICIAL_WAGES].distinct("release")) if any(
        w.kind == "official-wages" for _, w in files) else []
    return {
        "generator": f"careergraph {__version__}",
        "generated_at": datetime.now(UTC).isoformat(),
        "files": [{"name": name, "kind": w.kind, "format": w.format, "records": w.records, "bytes": w.bytes,
                   "sha256": w.sha256, "summary_versions": sorted(w.versions) if w.kind == "summaries" else None}
                  for name, w in files],
        "official_releases": releases,
        "attribution": list(ATTRIBUTION),
        "sources": sources,
    }
