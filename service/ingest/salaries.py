"""`careergraph import salaries FILE`: salary observations from levels.fyi exports or any CSV.

Streaming: the file is read one physical line at a time (so a broken quote costs one row, not
the rest of the file) and written in batches of `BATCH_SIZE`; memory does not grow with the
file. Each observation carries a content hash under a unique index, so importing the same file
twice, or again after an interruption, stores every row exactly once. Every bad row is reported
with its line number and never stops the good ones. Multi-line quoted fields are not supported.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TextIO

from pymongo import UpdateOne
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError

from service import jobs
from service.ingest.report import ImportReport, Progress
from service.ingest.role_mapping import DEFAULT_RULES, RoleRule, role_for, rules_from_map
from service.places import country_code, parse_location
from service.platform.resources import Resources
from service.provenance import Source
from service.salaries.model import SalaryObservation, problems
from service.store import database as c

BATCH_SIZE = 2000
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
FIELDS = ("title", "amount", "currency", "location", "country", "city", "region", "company",
          "tag", "years_experience", "years_at_company", "base_amount", "year", "role")

LEVELS_FYI_SOURCE = Source(
    slug="levels-fyi-export", publisher="levels.fyi",
    title="levels.fyi tech salary export (self-reported total yearly compensation)",
    licence="public export circulated as a Kaggle data set; terms of the original publisher apply",
    note="Rows without education were dropped by whoever published the export",
)


@dataclass(frozen=True)
class SalaryFormat:
    name: str
    delimiter: str
    columns: dict[str, str]  # careergraph field -> the file's column name
    defaults: dict[str, str] = field(default_factory=dict)
    source: Source = LEVELS_FYI_SOURCE
    rules: tuple[RoleRule, ...] = DEFAULT_RULES


LEVELS_FYI = SalaryFormat(
    name="levels-fyi", delimiter=";",
    columns={"company": "company", "title": "title", "amount": "totalyearlycompensation",
             "location": "location", "years_experience": "yearsofexperience",
             "years_at_company": "yearsatcompany", "tag": "tag"},
    defaults={"currency": "USD"},
)


class MapFileError(ValueError):
    """The --map file is unusable; the message says why."""


def load_format(kind: str, map_file: Path | None) -> SalaryFormat:
    """The format for `--format kind`, adjusted by a JSON `--map` file.

    The map file may hold `columns` ({field: column}), `defaults` ({field: value}), `delimiter`,
    `source` ({slug, publisher, title, url, licence}) and `roles` (rules tried before the
    default title/tag rules). For `--format csv`, `columns` must name at least `title` (or
    `role`) and `amount`.
    """
    base = LEVELS_FYI if kind == "levels-fyi" else SalaryFormat(
        name="csv", delimiter=",", columns={},
        source=Source(slug="csv-import", publisher="unknown", title="CSV salary import"),
    )
    if map_file is None:
        if kind == "csv":
            raise MapFileError("--format csv needs --map FILE naming the columns")
        return base
    try:
        spec = json.loads(map_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise MapFileError(f"cannot read map file {map_file}: {exc}") from exc
    if not isinstance(spec, dict):
        raise MapFileError("the map file must hold a JSON object")
    columns = {**base.columns, **spec.get("columns", {})}
    unknown = set(columns) - set(FIELDS)
    if unknown:
        raise MapFileError(f"unknown fields in columns: {', '.join(sorted(unknown))}")
    if not ({"title", "role"} & set(columns)) or "amount" not in columns:
        raise MapFileError("columns must name 'amount' and 'title' (or 'role')")
    try:
        rules = rules_from_map(spec.get("roles", [])) + base.rules
    except ValueError as exc:
        raise MapFileError(str(exc)) from exc
    source = base.source
    if isinstance(spec.get("source"), dict):
        try:
            source = Source(**spec["source"])
        except TypeError as exc:
            raise MapFileError(f"bad source: {exc}") from exc
    return replace(base, columns=columns, defaults={**base.defaults, **spec.get("defaults", {})},
                   delimiter=spec.get("delimiter", base.delimiter), source=source, rules=rules)


def _number(name: str, raw: str) -> float:
    try:
        value = float(raw.replace(",", "").strip())
    except ValueError:
        raise ValueError(f"{name} is not a number: {raw[:40]!r}") from None
    if not math.isfinite(value):
        raise ValueError(f"{name} is not a finite number: {raw[:40]!r}")
    return value


def observation_from_row(row: dict[str, str], fmt: SalaryFormat) -> SalaryObservation:
    """The observation in one row; ValueError says what is wrong with it."""
    def get(name: str) -> str:
        column = fmt.columns.get(name)
        value = row.get(column, "") if column else ""
        return (value or fmt.defaults.get(name, "")).strip()

    title, tag = get("title"), get("tag")
    amount = _number("pay", get("amount"))
    currency = get("currency").upper()
    if get("location"):
        location = parse_location(get("location"))
        if location is None:
            raise ValueError(f"unknown country in location {get('location')[:60]!r}")
        country, city, region = location.country, location.city, location.region
    else:
        country = country_code(get("country")) or ""
        if not country:
            raise ValueError(f"unknown country {get('country')[:40]!r}" if get("country") else "no country")
        city, region = get("city") or None, get("region") or None
    years = _number("years of experience", get("years_experience"))
    at_company = _number("years at company", get("years_at_company")) if get("years_at_company") else None
    base_amount = _number("base pay", get("base_amount")) if get("base_amount") else None
    year = int(_number("year", get("year"))) if get("year") else None
    role = get("role") or role_for(title, tag, fmt.rules)
    if not SLUG.match(role):
        raise ValueError(f"role {role[:40]!r} is not a slug (lowercase letters, digits and '-')")
    identity = [fmt.source.slug, get("company"), title, tag, amount, currency, country, city,
                region, years, at_company, base_amount, year]
    observation = SalaryObservation(
        key=hashlib.sha256(json.dumps(identity).encode()).hexdigest(), role=role, amount=amount,
        currency=currency, country=country, source=fmt.source.slug, raw_title=title, tag=tag or None,
        company=get("company") or None, city=city, region=region, base_amount=base_amount,
        years_experience=years, years_at_company=at_company, year=year)
    found = problems(observation)
    if found:
        raise ValueError(found[0].message)
    return observation


def _lines(handle: Any) -> Iterator[tuple[int, bytes]]:
    for number, raw in enumerate(handle, start=1):
        yield number, raw.rstrip(b"\r\n")


def parse_rows(path: Path, fmt: SalaryFormat, report: ImportReport,
               progress: Progress | None = None) -> Iterator[tuple[int, SalaryObservation]]:
    """(line number, observation) for each good row; bad rows go to `report`."""
    header: list[str] | None = None
    with open(path, "rb") as handle:
        for number, raw in _lines(handle):
            if progress is not None and number % 500 == 0:
                progress.update(handle.tell(), report.rows_read)
            if not raw.strip():
                continue
            if header is None:
                header = _header(raw, fmt, path)
                continue
            report.rows_read += 1
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                report.reject(path.name, number, f"invalid UTF-8 at byte {exc.start}")
                continue
            try:
                values = next(csv.reader([text], delimiter=fmt.delimiter, strict=True))
            except csv.Error as exc:
                report.reject(path.name, number, f"broken quoting: {exc}")
                continue
            if len(values) != len(header):
                report.reject(path.name, number,
                              f"expected {len(header)} columns, found {len(values)}")
                continue
            try:
                yield number, observation_from_row(dict(zip(header, values, strict=True)), fmt)
            except ValueError as exc:
                report.reject(path.name, number, str(exc))


def _header(raw: bytes, fmt: SalaryFormat, path: Path) -> list[str]:
    try:
        text = raw.decode("utf-8-sig")
        header = [h.strip() for h in next(csv.reader([text], delimiter=fmt.delimiter, strict=True))]
    except (UnicodeDecodeError, csv.Error) as exc:
        raise MapFileError(f"{path.name}: unreadable header line: {exc}") from exc
    missing = [col for col in fmt.columns.values() if col not in header]
    if missing:
        raise MapFileError(f"{path.name}: header lacks column(s) {', '.join(missing)}")
    return header


async def _write_batch(db: AsyncDatabase[dict[str, Any]], batch: list[tuple[int, dict[str, Any]]],
                       report: ImportReport, path: Path) -> None:
    try:
        result = await db[c.SALARY_OBSERVATIONS].insert_many([doc for _, doc in batch], ordered=False)
        inserted = len(result.inserted_ids)
        failed: set[int] = set()
    except BulkWriteError as exc:
        inserted = exc.details.get("nInserted", 0)
        failed = set()
        for error in exc.details.get("writeErrors", []):
            failed.add(error["index"])
            if error.get("code") == 11000:
                report.duplicates += 1
            else:
                report.reject(path.name, batch[error["index"]][0],
                              f"refused by the database (code {error.get('code')})")
    report.imported += inserted
    report.touched_roles.update(doc["role"] for i, (_, doc) in enumerate(batch) if i not in failed)


async def import_salaries(resources: Resources, path: Path, fmt: SalaryFormat,
                          progress_stream: TextIO | None = None) -> ImportReport:
    """Import a salary file, then queue the recompute of the roles it added to."""
    db = resources.db
    await c.ensure_collections(db)
    await db[c.SOURCES].update_one({"slug": fmt.source.slug},
                                   {"$set": {**fmt.source.to_document(),
                                             "retrieved": date.today().isoformat()}}, upsert=True)
    report = ImportReport(kind=f"salaries ({fmt.name}) {path.name}")
    batch_id, started = uuid.uuid4().hex, datetime.now(UTC)
    progress = Progress(f"importing {path.name}", path.stat().st_size, progress_stream)
    batch: list[tuple[int, dict[str, Any]]] = []
    for number, observation in parse_rows(path, fmt, report, progress):
        batch.append((number, replace(observation, import_batch=batch_id, created_at=started).to_document()))
        if len(batch) >= BATCH_SIZE:
            await _write_batch(db, batch, report, path)
            batch = []
    if batch:
        await _write_batch(db, batch, report, path)
    progress.finish()
    await _ensure_roles(db, report.touched_roles)
    await db[c.IMPORT_RUNS].insert_one({**report.to_document(), "file": path.name,
                                        "batch": batch_id, "started_at": started,
                                        "finished_at": datetime.now(UTC)})
    if await jobs.observations_written(resources.redis, report.touched_roles) is None:
        report.notes.append("  the summaries' recompute could not be queued (Redis did not answer); "
                            "run `careergraph recompute` later")
    return report


async def _ensure_roles(db: AsyncDatabase[dict[str, Any]], slugs: set[str]) -> None:
    """Roles named by imported rows exist, even before `careergraph seed` has run."""
    operations = [
        UpdateOne({"slug": slug}, {"$setOnInsert": {
            "slug": slug, "title": slug.replace("-", " ").title(), "family": "other",
            "origin": "import", "aliases": [], "skills": [], "related": [], "search_keys": [slug]}},
            upsert=True)
        for slug in sorted(slugs)
    ]
    if operations:
        await db[c.ROLES].bulk_write(operations, ordered=False)
