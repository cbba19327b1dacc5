"""`careergraph import salaries FILE`: salary observations from a named format or any CSV.

Streaming: the file is read record by record (`salary_records`) and written in unordered
batches of `BATCH_SIZE`, each batch parsed in a thread while MongoDB stores the one before;
memory grows with the distinct records of the file only where the format counts repeats
(`occurrence` identity: one digest a record). Every observation's identity is
unique (`salary_rows.identity_key`), so importing the same file twice, or again after an
interruption, stores every record exactly once. Every bad record is reported with its line and
never stops the good ones. `undo_import` removes what one run added.
"""

from __future__ import annotations

import asyncio
import csv
import itertools
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TextIO

from pymongo import UpdateOne
from pymongo.errors import BulkWriteError

from service import jobs
from service.catalog.titles import TitleIndex
from service.ingest import legacy_identity, salary_records
from service.ingest.report import ImportReport, Progress, RejectsFile
from service.ingest.role_mapping import FALLBACK_ROLE
from service.ingest.salary_formats import LEVELS_FYI, NAMED, MapFileError, SalaryFormat, load_format
from service.ingest.salary_rows import Parsed, RowParser, canonical, observation_from_row, record_digest
from service.platform.resources import Resources
from service.store import database as c
from service.summaries import rollups

__all__ = ["LEVELS_FYI", "NAMED", "MapFileError", "SalaryFormat", "import_salaries", "load_format",
           "observation_from_row", "parse_rows", "undo_import"]
BATCH_SIZE = 2000


def parse_rows(path: Path, fmt: SalaryFormat, report: ImportReport, index: TitleIndex | None = None,
               progress: Progress | None = None) -> Iterator[tuple[int, Parsed]]:
    """(line, parsed observation) for each good record; bad records go to `report`."""
    seen: Counter[str] = Counter()
    parser = RowParser(fmt, index)
    with open(path, "rb") as handle:
        reader = salary_records.RecordReader(handle, fmt, path)
        header = reader.header
        for record in reader.records():
            report.records_read += 1
            if progress is not None and report.records_read % 500 == 0:
                progress.update(record.end, report.records_read)
            row = _row(record, header, fmt, report, path)
            if row is None:
                continue
            text = canonical(row)
            digest = record_digest(row, text)
            seen[digest] += 1
            if fmt.identity == "row" and seen[digest] > 1:
                report.duplicates += 1  # a repeat of a record of this file: the same observation
                continue
            try:
                yield record.line, parser.observation(row, seen[digest], text)
            except ValueError as exc:
                report.reject(path.name, record.line, str(exc), record.text)


def _row(record: salary_records.Record, header: list[str], fmt: SalaryFormat, report: ImportReport,
         path: Path) -> dict[str, str] | None:
    if record.text is None:
        report.reject(path.name, record.line, record.problem or "unreadable")
        return None
    try:
        values = salary_records.cells(record.text, fmt)
    except csv.Error as exc:
        report.reject(path.name, record.line, f"broken quoting: {exc}", record.text)
        return None
    if len(values) != len(header):
        report.reject(path.name, record.line, f"expected {len(header)} columns, found {len(values)}",
                      record.text)
        return None
    return dict(zip(header, values, strict=True))


@dataclass
class _Written:
    """What one batch's write did, told to the report once the parser is not running."""
    stored: list[Parsed] = field(default_factory=list)
    duplicates: int = 0
    updated: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)

    def tell(self, report: ImportReport, path: Path) -> None:
        report.duplicates += self.duplicates
        report.updated += self.updated
        for line, reason in self.refused:
            report.reject(path.name, line, reason)
        for parsed in self.stored:
            report.imported += 1
            report.touched_roles.add(parsed.observation.role)
            report.by_role[parsed.observation.role] += 1
            if parsed.routed.role == FALLBACK_ROLE and parsed.routed.title:
                report.unmatched[parsed.routed.title] += 1


async def _write_batch(resources: Resources, batch: list[tuple[int, Parsed]], stamp: dict[str, Any],
                       migrate_legacy: bool = False) -> _Written:
    """Insert a batch (unordered, so one bad document stops nothing), each document with `stamp`."""
    written = _Written()
    if migrate_legacy:
        taken = await legacy_identity.migrate(resources, [parsed.observation for _, parsed in batch])
        written.updated = len(taken)
        batch = [(line, parsed) for line, parsed in batch if parsed.observation.key not in taken]
        if not batch:
            return written
    docs = [{**parsed.observation.to_document(), **stamp} for _, parsed in batch]
    failed: set[int] = set()
    try:
        await resources.db[c.SALARY_OBSERVATIONS].insert_many(docs, ordered=False)
    except BulkWriteError as exc:
        for error in exc.details.get("writeErrors", []):
            failed.add(error["index"])
            if error.get("code") == c.DUPLICATE_KEY:
                written.duplicates += 1
            else:
                written.refused.append((batch[error["index"]][0],
                                        f"refused by the database (code {error.get('code')})"))
    written.stored = [parsed for i, (_, parsed) in enumerate(batch) if i not in failed]
    return written


def _next_batch(rows: Iterator[tuple[int, Parsed]]) -> list[tuple[int, Parsed]]:
    return list(itertools.islice(rows, BATCH_SIZE))


async def import_salaries(resources: Resources, path: Path, fmt: SalaryFormat,
                          progress_stream: TextIO | None = None, rejects: TextIO | None = None,
                          migrate_legacy: bool = False) -> ImportReport:
    """Import a salary file, record it in `import_runs`, then queue the recompute of the roles it
    added to. `rejects`, when given, receives every rejected record (CSV); `migrate_legacy`
    re-keys observations stored under the previous importer's identities (`legacy_identity`)."""
    db = resources.db
    await c.ensure_collections(db)
    await db[c.SOURCES].update_one({"slug": fmt.source.slug},
                                   {"$set": {**fmt.source.to_document(),
                                             "retrieved": date.today().isoformat()}}, upsert=True)
    run_id, started = uuid.uuid4().hex, datetime.now(UTC)
    report = ImportReport(kind=f"salaries ({fmt.name}) {path.name}", run_id=run_id,
                          rejects=RejectsFile(rejects) if rejects is not None else None)
    index = await TitleIndex.load(db)
    progress = Progress(f"importing {path.name}", path.stat().st_size, progress_stream)
    stamp = {"import_batch": run_id, "created_at": started}
    rows = parse_rows(path, fmt, report, index, progress)
    loop = asyncio.get_running_loop()
    batch = await loop.run_in_executor(None, _next_batch, rows)
    while batch:  # the next batch is parsed in a thread while MongoDB stores this one
        parsing = loop.run_in_executor(None, _next_batch, rows)
        written = await _write_batch(resources, batch, stamp, migrate_legacy)
        batch = await parsing
        written.tell(report, path)  # the parser is idle: the report has one writer at a time
    progress.finish()
    await _ensure_roles(resources, report.touched_roles)
    await db[c.IMPORT_RUNS].insert_one({**report.to_document(), "run_id": run_id, "file": path.name,
                                        "format": fmt.name, "batch": run_id, "started_at": started,
                                        "finished_at": datetime.now(UTC)})
    if await jobs.observations_written(resources.redis, report.touched_roles) is None:
        report.notes.append("  the summaries' recompute could not be queued (Redis did not answer); "
                            "run `careergraph recompute` later")
    return report


async def undo_import(resources: Resources, run_id: str) -> tuple[int, list[str]]:
    """Remove the observations one import run added; (how many, their roles). The run's record
    stays, marked undone. Summaries of those roles are recomputed."""
    run = await resources.db[c.IMPORT_RUNS].find_one({"run_id": run_id})
    if run is None:
        raise MapFileError(f"no import run {run_id!r} (see `careergraph imports`)")
    observations = resources.db[c.SALARY_OBSERVATIONS]
    roles = sorted(await observations.distinct("role", {"import_batch": run_id}))
    removed = (await observations.delete_many({"import_batch": run_id})).deleted_count
    await rollups.forget(resources.db, roles)  # a deletion: the roles' next runs read them whole
    await resources.db[c.IMPORT_RUNS].update_one({"run_id": run_id}, {"$set": {
        "undone_at": datetime.now(UTC), "undone_observations": removed}})
    await jobs.observations_written(resources.redis, roles)
    return removed, roles


async def recent_imports(resources: Resources, limit: int = 20) -> list[dict[str, Any]]:
    cursor = resources.db[c.IMPORT_RUNS].find({}, {"rejections": 0}).sort("started_at", -1).limit(limit)
    return [doc async for doc in cursor]


async def _ensure_roles(resources: Resources, slugs: set[str]) -> None:
    """Roles named by imported rows exist, even before `careergraph seed` has run."""
    operations = [
        UpdateOne({"slug": slug}, {"$setOnInsert": {
            "slug": slug, "title": slug.replace("-", " ").title(), "family": "other",
            "origin": "import", "aliases": [], "skills": [], "related": [], "search_keys": [slug]}},
            upsert=True)
        for slug in sorted(slugs)
    ]
    if operations:
        await resources.db[c.ROLES].bulk_write(operations, ordered=False)
