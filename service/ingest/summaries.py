"""`careergraph import summaries FILE`: load a JSON Lines export of summaries (`careergraph export
summaries`) into a database, and publish it, so that a copy of careergraph (a staging stack, an
offline replica) serves the same figures without the observations behind them.

Rows are grouped back into their role's document under the version they were exported with; a role
whose stored summary is newer keeps it (latest wins, as for recomputes). Bad lines are reported by
number and the good ones loaded."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from pymongo import ReplaceOne
from pymongo.errors import BulkWriteError

from service.platform.resources import Resources
from service.store import database as c
from service.store import summary_cache
from service.summaries import salary_stats
from service.summaries.model import EXPORT_ROW_FIELDS


@dataclass
class SummaryImport:
    rows: int = 0
    roles: int = 0
    published: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [f"{self.rows} rows of {self.roles} roles loaded, {self.published} published, "
                f"{len(self.rejected)} rejected",
                *(f"  rejected line {n}: {why}" for n, why in self.rejected[:50])]


def _row(line: str) -> dict[str, Any]:
    record = json.loads(line)
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    for name in ("role", "version", "computed_at", "level", "count"):
        if name not in record:
            raise ValueError(f"no {name}")
    if not isinstance(record["version"], str) or not isinstance(record["role"], str):
        raise ValueError("role and version are text")
    summary_cache.version_watermark_ms(record["version"])  # ValueError when it is not one
    return record


def read_rows(path: Path, report: SummaryImport) -> dict[str, dict[str, Any]]:
    """Role -> {version, computed_at, cells}, from the file's good lines."""
    by_role: dict[str, dict[str, Any]] = {}
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = _row(line)
                computed_at = datetime.fromisoformat(record["computed_at"])
            except (ValueError, TypeError, RecursionError) as exc:
                report.rejected.append((number, str(exc)[:200] or type(exc).__name__))
                continue
            doc = by_role.setdefault(record["role"], {"version": record["version"], "computed_at": computed_at,
                                                      "cells": []})
            if doc["version"] != record["version"]:
                report.rejected.append((number, f"a second version of {record['role'][:80]}"))
                continue
            doc["cells"].append({k: v for k, v in record.items() if k not in EXPORT_ROW_FIELDS})
            report.rows += 1
    return by_role


async def import_summaries(resources: Resources, path: Path) -> SummaryImport:
    report = SummaryImport()
    by_role = read_rows(path, report)
    docs = [{"role": role, "version": d["version"], "computed_at": d["computed_at"], "cells": d["cells"],
             "watermark_ms": summary_cache.version_watermark_ms(d["version"]),
             "sample_size": salary_stats.sample_size(d["cells"])} for role, d in sorted(by_role.items())]
    report.roles = len(docs)
    if docs:
        try:
            await resources.db[c.SALARY_SUMMARIES].bulk_write([ReplaceOne(
                {"role": d["role"], "$or": [{"watermark_ms": {"$lte": d["watermark_ms"]}},
                                            {"watermark_ms": {"$exists": False}}]}, d, upsert=True)
                for d in docs], ordered=False)
        except BulkWriteError as exc:  # a stored summary is newer: it stays (the unique role refuses the upsert)
            if any(e.get("code") != c.DUPLICATE_KEY for e in exc.details.get("writeErrors", [])):
                raise
            newer = {docs[e["index"]]["role"] for e in exc.details["writeErrors"]}
            docs = [d for d in docs if d["role"] not in newer]
    settings = resources.settings
    for version in sorted({d["version"] for d in docs}):
        documents = {summary_cache.salary_field(d["role"]): summary_cache.encode(d) for d in docs
                     if d["version"] == version}
        await summary_cache.write_version(resources.redis, version, documents, settings.cache_ttl_s)
        report.published += len(await summary_cache.flip(resources.redis, version, documents, [],
                                                         settings.cache_grace_s))
    return report
