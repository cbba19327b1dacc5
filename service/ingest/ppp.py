"""`careergraph import ppp FILE`: the World Bank's PPP conversion factors, in the World Bank's own CSV.

The indicator is PA.NUS.PPP, "PPP conversion factor, GDP (LCU per international $)", from the World
Development Indicators (CC BY 4.0). The file is the one data.worldbank.org gives for it,
`API_PA.NUS.PPP_DS2_en_csv_v2_<n>.csv` (or the zip it comes in): four preamble lines ("Data Source",
a blank line, "Last Updated Date", a blank line), then a header
`"Country Name","Country Code","Indicator Name","Indicator Code","1960",...` and one row a country
or aggregate, a value per year (empty when there is none), each line ending with a comma.

- A row of a country (its ISO 3166-1 alpha-3 code, or Kosovo's XKX) stores one factor per year that
  has one (`ppp_factors`, keyed by country and year; a newer file replaces them).
- A row of an aggregate (World, Euro area, High income, ...: a code that names no country) is
  skipped and counted; so is a country without a factor in any year (named in the report).
- A bad row (not the indicator, a code that is not three letters, a value that is not a positive
  number, the wrong number of cells) is rejected with its line; the good rows are imported.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pycountry
from pymongo import UpdateOne

from service.ingest.report import ImportReport
from service.official.ppp import INDICATOR, SOURCE_SLUG
from service.platform.resources import Resources
from service.provenance import Source
from service.store import database as c
from service.store import official_layout as o

HEADER_START = ("Country Name", "Country Code", "Indicator Name", "Indicator Code")
MAX_PREAMBLE = 10  # lines before the header
BATCH = 1000
ISO3_EXTRA = {"XKX": "XK"}  # the World Bank's code for Kosovo


class PppFileError(ValueError):
    """The file is not a World Bank indicator file; the message says why."""


@dataclass
class PppFile:
    updated: str | None = None
    factors: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)
    aggregates: list[str] = field(default_factory=list)
    without_factor: list[str] = field(default_factory=list)


def _text(path: Path) -> str:
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.startswith("API_") and n.endswith(".csv")]
            if not names:
                raise PppFileError(f"{path.name} holds no World Bank API_*.csv file")
            return archive.read(names[0]).decode("utf-8-sig")
    return path.read_text(encoding="utf-8-sig")


def _country(code: str) -> str | None:
    if code in ISO3_EXTRA:
        return ISO3_EXTRA[code]
    found = pycountry.countries.get(alpha_3=code)
    return str(found.alpha_2) if found is not None else None


def read_factors(path: Path, report: ImportReport) -> PppFile:
    """The factors of the file; bad rows go to `report` with their lines."""
    try:
        lines = list(csv.reader(io.StringIO(_text(path))))
    except (UnicodeDecodeError, csv.Error, zipfile.BadZipFile) as exc:
        raise PppFileError(f"{path.name} is not a readable World Bank CSV file ({exc})") from None
    found = PppFile()
    start = None
    for number, row in enumerate(lines[:MAX_PREAMBLE], start=1):
        cells = [cell.strip() for cell in row]
        if cells[:1] == ["Last Updated Date"] and len(cells) > 1:
            found.updated = cells[1]
        if tuple(cells[:4]) == HEADER_START:
            start = number
            break
    if start is None:
        raise PppFileError(f"{path.name}: no header \"Country Name\",\"Country Code\",\"Indicator Name\","
                           f"\"Indicator Code\" in its first {MAX_PREAMBLE} lines (a World Bank API_ file)")
    header = [cell.strip() for cell in lines[start - 1]]
    years = {i: int(name) for i, name in enumerate(header) if re.fullmatch(r"(19|20)\d\d", name)}
    if not years:
        raise PppFileError(f"{path.name}: the header names no year columns")
    for number, row in enumerate(lines[start:], start=start + 1):
        if not any(cell.strip() for cell in row):
            continue
        report.records_read += 1
        problem = _row_problem(row, header, years)
        if problem:
            report.reject(path.name, number, problem)
            continue
        name, code = row[0].strip(), row[1].strip()
        country = _country(code)
        if country is None:
            found.aggregates.append(code)
            report.skipped += 1
            continue
        values = {year: float(row[i]) for i, year in years.items() if row[i].strip()}
        if not values:
            found.without_factor.append(f"{name} ({country})")
            report.skipped += 1
            continue
        for year, factor in values.items():
            found.factors[(country, year)] = {"country": country, "iso3": code, "name": name, "year": year,
                                              "factor": factor}
        report.imported += 1
    return found


def _row_problem(row: list[str], header: list[str], years: dict[int, int]) -> str | None:
    if len(row) not in (len(header), len(header) + 1) or (len(row) > len(header) and row[-1].strip()):
        return f"expected {len(header)} cells, found {len(row)}"
    code, indicator = row[1].strip(), row[3].strip()
    if indicator != INDICATOR:
        return f"indicator {indicator[:40]!r} is not {INDICATOR} (PPP conversion factor, GDP)"
    if not re.fullmatch(r"[A-Z0-9]{3}", code):
        return f"country code {code[:20]!r} is not a three-character World Bank code"
    for i, year in years.items():
        text = row[i].strip()
        if not text:
            continue
        try:
            value = float(text)
        except ValueError:
            return f"{year}: {text[:20]!r} is not a number"
        if not (math.isfinite(value) and value > 0):
            return f"{year}: a conversion factor must be a positive number, got {text[:20]!r}"
    return None


def _source(path: Path, found: PppFile) -> Source:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return Source(slug=SOURCE_SLUG, publisher="World Bank",
                  title="PPP conversion factor, GDP (LCU per international $) (PA.NUS.PPP), World Development "
                        "Indicators",
                  url="https://data.worldbank.org/indicator/PA.NUS.PPP", licence="CC BY 4.0",
                  published=date.fromisoformat(found.updated) if found.updated and re.fullmatch(
                      r"\d{4}-\d{2}-\d{2}", found.updated) else None,
                  retrieved=date.today(), note=f"read from {path.name}, sha256 {digest}; the World Bank's data, "
                                                "careergraph's conversions")


async def import_ppp(resources: Resources, path: Path) -> ImportReport:
    """Load a World Bank PA.NUS.PPP file; the factors it holds replace the stored ones."""
    await c.ensure_collections(resources.db)
    report = ImportReport(kind=f"World Bank PPP conversion factors ({path.name})")
    found = read_factors(path, report)
    source = _source(path, found)
    await resources.db[c.SOURCES].update_one({"slug": source.slug}, {"$set": source.to_document()}, upsert=True)
    ops = [UpdateOne({"country": country, "year": year}, {"$set": {**doc, "source": source.slug}}, upsert=True)
           for (country, year), doc in sorted(found.factors.items())]
    for begin in range(0, len(ops), BATCH):
        await resources.db[o.PPP_FACTORS].bulk_write(ops[begin:begin + BATCH], ordered=False)
    report.notes.append(f"  {len(found.factors)} factors of {report.imported} countries, "
                        f"{min((y for _, y in found.factors), default='-')}-"
                        f"{max((y for _, y in found.factors), default='-')}; last updated {found.updated or '?'}")
    if found.aggregates:
        report.notes.append(f"  {len(found.aggregates)} aggregates skipped (not countries): "
                            f"{', '.join(found.aggregates[:12])}{' ...' if len(found.aggregates) > 12 else ''}")
    if found.without_factor:
        report.notes.append(f"  {len(found.without_factor)} countries without a factor in any year: "
                            f"{', '.join(found.without_factor)}")
    return report
