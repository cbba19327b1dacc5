"""`careergraph import salaries FILE`: salary observations from a named format or any CSV.

Streaming: the file is read record by record (`salary_records`) and written in unordered
batches of `BATCH_SIZE`, each batch parsed while MongoDB stores the one before (in a thread, or
for a large file in a process of its own: `salary_parsing`);
memory grows with the distinct records of the file only where the format counts repeats
(`occurrence` identity: one digest a record). Every observation's identity is
unique (`salary_rows.identity_key`), so importing the same file twice, or again after an
interruption, stores every record exactly once. Every bad record is reported with its line and
never stops the good ones. `undo_import` removes what one run added.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
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
from service.ingest.salary_parsing import (
    BATCH_SIZE,
    PROCESS_MIN_BYTES,
    UNPLACED,
    Batch,
    ParsingProcess,
    next_batch,
    parse_rows,
)
from service.ingest.salary_rows import Parsed, observation_from_row
from service.official.metros import load_metro_index
from service.platform.resources import Resources
from service.salaries.model import FIRST_YEAR
from service.store import database as c
from service.summaries import rollups

__all__ = ["BATCH_SIZE", "LEVELS_FYI", "NAMED", "MapFileError", "SalaryFormat", "import_salaries", "load_format",
           "observation_from_row", "parse_rows", "undo_import"]


@dataclass
class _Written:
    """What one batch's write did, told to the report once the parser is not running."""
    stored: list[tuple[str, str, str, str]] = field(default_factory=list)  # (role, routed role, title, place)
    duplicates: int = 0
    updated: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)

    def tell(self, report: ImportReport, path: Path) -> None:
        report.duplicates += self.duplicates
        report.updated += self.updated
        for line, reason in self.refused:
            report.reject(path.name, line, reason)
        for role, routed_role, routed_title, place in self.stored:
            report.imported += 1
            report.touched_roles.add(role)
            report.by_role[role] += 1
            if routed_role == FALLBACK_ROLE and routed_title:
                report.unmatched[routed_title] += 1
            if place:
                (report.unplaced_cities if place.startswith(UNPLACED) else report.metros)[place.lstrip(UNPLACED)] += 1


async def _write_batch(resources: Resources, batch: Batch, migrate_legacy: bool = False) -> _Written:
    """Insert a batch (unordered, so one bad document stops nothing)."""
    written = _Written()
    if migrate_legacy:
        taken = await legacy_identity.migrate(resources, batch.observations or [])
        written.updated = len(taken)
        batch = batch.without(taken)
        if not batch:
            return written
    failed: set[int] = set()
    try:
        await resources.db[c.SALARY_OBSERVATIONS].insert_many(batch.documents, ordered=False)
    except BulkWriteError as exc:
        for error in exc.details.get("writeErrors", []):
            failed.add(error["index"])
            if error.get("code") == c.DUPLICATE_KEY:
                written.duplicates += 1
            else:
                written.refused.append((batch.lines[error["index"]],
                                        f"refused by the database (code {error.get('code')})"))
    written.stored = [route for i, route in enumerate(batch.routes) if i not in failed]
    return written


async def _parse_here_and_write(resources: Resources, rows: Iterator[tuple[int, Parsed]], stamp: dict[str, Any],
                                migrate_legacy: bool, report: ImportReport, path: Path) -> None:
    loop = asyncio.get_running_loop()
    batch = await loop.run_in_executor(None, next_batch, rows, stamp)
    while batch:  # the next batch is parsed in a thread while MongoDB stores this one
        parsing = loop.run_in_executor(None, next_batch, rows, stamp)
        written = await _write_batch(resources, batch, migrate_legacy)
        batch = await parsing
        written.tell(report, path)  # the parser is idle: the report has one writer at a time


def observed_in_format(fmt: SalaryFormat, observed_in: int | None, today: date | None = None) -> SalaryFormat:
    """`fmt` with `observed_in` as the year of records that give none of their own (`--observed-in`);
    MapFileError for a year an observation may not have."""
    if observed_in is None:
        return fmt
    this_year = (today or date.today()).year
    if not FIRST_YEAR <= observed_in <= this_year:
        raise MapFileError(f"--observed-in must be a year from {FIRST_YEAR} to {this_year}, got {observed_in}")
    return replace(fmt, defaults={**fmt.defaults, "year": str(observed_in)})


async def import_salaries(resources: Resources, path: Path, fmt: SalaryFormat,
                          progress_stream: TextIO | None = None, rejects: TextIO | None = None,
                          migrate_legacy: bool = False, parse_in_process: bool | None = None,
                          observed_in: int | None = None) -> ImportReport:
    """Import a salary file, record it in `import_runs`, then queue the recompute of the roles it
    added to. `rejects`, when given, receives every rejected record (CSV); `migrate_legacy`
    re-keys observations stored under the previous importer's identities (`legacy_identity`);
    `observed_in` is the year of the records that state none (else their year stays unknown).
    Optional columns the file lacks are left out, and the report names them."""
    fmt, lacking = salary_records.fitted_format(path, observed_in_format(fmt, observed_in))
    in_a_process = parse_in_process if parse_in_process is not None \
        else not migrate_legacy and path.stat().st_size >= PROCESS_MIN_BYTES
    if in_a_process and migrate_legacy:
        raise ValueError("re-keying legacy identities needs the file parsed in this process")
    db = resources.db
    async with ParsingProcess.started() if in_a_process else contextlib.nullcontext() as child:
        await c.ensure_collections(db)
        await db[c.SOURCES].update_one({"slug": fmt.source.slug},
                                       {"$set": {**fmt.source.to_document(),
                                                 "retrieved": date.today().isoformat()}}, upsert=True)
        run_id, started = uuid.uuid4().hex, datetime.now(UTC)
        report = ImportReport(kind=f"salaries ({fmt.name}) {path.name}", run_id=run_id,
                              rejects=RejectsFile(rejects) if rejects is not None else None)
        if lacking:
            report.notes.append(f"  {path.name} has no {', '.join(column for _, column in lacking)} column: "
                                f"imported without {', '.join(name.replace('_', ' ') for name, _ in lacking)}")
        if observed_in is not None:
            report.notes.append(f"  records that give no year of their own: observed in {observed_in} (--observed-in)")
        elif "year" not in fmt.columns and "year" not in fmt.defaults:
            report.notes.append("  the file gives no year: the records' year stays unknown (state it with "
                                "--observed-in YEAR)")
        index, metros = await TitleIndex.load(db), await load_metro_index(db)
        if not metros:
            report.notes.append("  no OEWS metro areas stored (`careergraph import oews`): cities not placed in them")
        progress = Progress(f"importing {path.name}", path.stat().st_size, progress_stream)
        stamp = {"import_batch": run_id, "created_at": started}
        if child is not None:
            async for batch, tally in child.batches(path, fmt, index, stamp, metros):  # it parses the next meanwhile
                tally.tell(report, progress.update)
                if batch:
                    (await _write_batch(resources, batch)).tell(report, path)
        else:
            await _parse_here_and_write(resources, parse_rows(path, fmt, report, index, progress.update, metros),
                                        stamp, migrate_legacy, report, path)
    progress.finish()
    if not metros:
        report.unplaced_cities.clear()  # no area to be placed in: no city failed to be
    await _ensure_roles(resources, report.touched_roles)
    await db[c.IMPORT_RUNS].insert_one({**report.to_document(), "run_id": run_id, "file": path.name,
                                        "format": fmt.name, "batch": run_id, "started_at": started,
                                        "finished_at": datetime.now(UTC), "observed_in": observed_in,
                                        "without_columns": [column for _, column in lacking]})
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
