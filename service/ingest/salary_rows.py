"""One record of a salary file to one observation, or a reason why not.

Cells are read through the format: the column's text, else the default; "missing" texts are
empty; value maps replace a cell's text; a multi-valued field is split and its first value that
fits is used. A currency cell may hold the code and then a name ("EUR European Euro", "USD\\tUnited
States dollar"): the code is what counts. An observation's identity (`identity_key`) is the
source's row id where the format maps one; otherwise the hash of every column of the record
(mapped or not, so two people who differ in a column careergraph does not use are two
observations) plus, for `occurrence` formats, how many identical records came before it in the
file. Re-importing a file therefore adds nothing, and two people are never merged.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from service.catalog.titles import TitleIndex
from service.ingest.role_mapping import Routed, route
from service.ingest.salary_formats import PAY_PERIODS, CellReader, SalaryFormat
from service.official.metros import MetroIndex
from service.places import Location, country_code, parse_location, region_code
from service.salaries.model import SalaryObservation, problems
from service.salaries.visibility import NEW, is_public

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_CURRENCY_CODE = re.compile(r"^\s*([A-Za-z]{3})(?:\b|$)")
_NUMBER_NOISE = re.compile(r"[,\s$€£¥]")


@dataclass(frozen=True)
class Parsed:
    observation: SalaryObservation
    routed: Routed


def _number(name: str, raw: str) -> float:
    try:
        value = float(_NUMBER_NOISE.sub("", raw))
    except ValueError:
        raise ValueError(f"{name} is not a number: {raw[:40]!r}") from None
    if not math.isfinite(value):
        raise ValueError(f"{name} is not a finite number: {raw[:40]!r}")
    return value


def currency_of(cell: str) -> str:
    """The ISO code at the start of a currency cell ("EUR European Euro" -> "EUR")."""
    found = _CURRENCY_CODE.match(cell)
    return found.group(1).upper() if found else cell.strip().upper()


class Cells:
    """A record's cells as the format reads them."""

    def __init__(self, row: dict[str, str], fmt: SalaryFormat, readers: dict[str, CellReader]) -> None:
        self.row, self.fmt, self.readers = row, fmt, readers
        self._read: dict[str, list[str]] = {}  # each cell is read once, however often it is asked for

    def all(self, name: str) -> list[str]:
        found = self._read.get(name)
        if found is None:
            reader = self.readers.get(name)
            found = self._read[name] = reader.read(self.row, self.fmt.missing) if reader is not None else []
        return found

    def get(self, name: str) -> str:
        values = self.all(name)
        return values[0].strip() if values else ""

    def number(self, name: str, label: str) -> float | None:
        text = self.get(name)
        return _number(label, text) if text else None


# The text of json.dumps(value, ensure_ascii=False), whose every call builds this encoder again.
_JSON = json.JSONEncoder(ensure_ascii=False)


def canonical(row: dict[str, str]) -> str:
    """A record's every column, in one text that two identical records share."""
    return _JSON.encode(sorted(row.items()))


def identity_key(row: dict[str, str], fmt: SalaryFormat, occurrence: int, text: str | None = None) -> str:
    """See the module's docstring; `occurrence` is 1 for the first of identical records, and
    `text` the record's `canonical` text when the caller has it already."""
    if fmt.identity == "row_id":
        material = _JSON.encode([fmt.source.slug, "row", row.get(fmt.columns["row_id"], "").strip()])
    else:  # the JSON of [slug, sorted items(, occurrence)], written around the record's text
        tail = f", {occurrence}]" if fmt.identity == "occurrence" else "]"
        material = f"[{_JSON.encode(fmt.source.slug)}, {text or canonical(row)}{tail}"
    return hashlib.sha256(material.encode()).hexdigest()


def record_digest(row: dict[str, str], text: str | None = None) -> str:
    """What makes two records identical (to count occurrences)."""
    return hashlib.sha256((text or canonical(row)).encode()).hexdigest()


def _place(cells: Cells, locate: Callable[[str], Location | None]) -> tuple[str, str | None, str | None, str | None]:
    """(country, city, region, region code); ValueError when the country cannot be told."""
    if cells.get("location"):
        location = locate(cells.get("location"))
        if location is None:
            raise ValueError(f"unknown country in location {cells.get('location')[:60]!r}")
        return location.country, location.city, location.region, location.region_code
    given = cells.get("country")
    country = country_code(given) if given else None
    if country is None:
        raise ValueError(f"unknown country {given[:40]!r}" if given else "no country")
    region = cells.get("region") or None
    return country, cells.get("city") or None, region, region_code(country, region) if region else None


def _per_year(cells: Cells) -> int:
    """What the record's pay is multiplied by to be annual (its `pay_period`; 1 when it has none)."""
    period = cells.get("pay_period")
    if not period:
        return 1
    times = PAY_PERIODS.get(period.lower())
    if times is None:
        raise ValueError(f"unknown pay period {period[:20]!r}; known: {', '.join(PAY_PERIODS)}")
    return times


def _experience(cells: Cells) -> tuple[float | None, str | None, str | None]:
    """(years, band, level): years when the file says them, else the band of the level's code."""
    years = cells.number("years_experience", "years of experience")
    level = cells.get("experience_level") or None
    band = None
    if years is None and level is not None:
        band = cells.fmt.bands.get(level)
        if band is None and cells.fmt.bands:
            raise ValueError(f"unknown experience level {level[:20]!r}; known: {', '.join(cells.fmt.bands)}")
    return years, band, level


K = TypeVar("K")
V = TypeVar("V")


def _remembered(memo: dict[K, V], key: K, make: Callable[[], V]) -> V:
    """`memo[key]`, made on first use; a memo of `RowParser.MEMO_MAX` values starts again."""
    if key not in memo:
        if len(memo) >= RowParser.MEMO_MAX:
            memo.clear()
        memo[key] = make()
    return memo[key]


class RowParser:
    """A file's records into observations. What repeats from record to record (routing a title and
    tag to a role, reading a location, placing a U.S. city in a metro area) is worked out once per
    distinct value: a file of 30,000 records has a few thousand distinct titles and locations."""

    MEMO_MAX = 100_000  # distinct values remembered; beyond, the memos start again

    def __init__(self, fmt: SalaryFormat, index: TitleIndex | None = None, metros: MetroIndex | None = None) -> None:
        self.fmt, self.index, self.today, self.readers = fmt, index, date.today(), fmt.readers()
        self.metros = metros if metros else None  # an empty index places nothing
        self._routes: dict[tuple[tuple[str, ...], str], Routed] = {}
        self._places: dict[str, Location | None] = {}
        self._metros: dict[tuple[str | None, str | None], str | None] = {}

    def route(self, titles: list[str], tag: str) -> Routed:
        return _remembered(self._routes, (tuple(titles), tag),
                           lambda: route(titles, tag, self.fmt.rules, self.index))

    def locate(self, text: str) -> Location | None:
        return _remembered(self._places, text, lambda: parse_location(text))

    def metro(self, city: str | None, region_iso: str | None) -> str | None:
        if self.metros is None or not city:
            return None
        metros = self.metros
        return _remembered(self._metros, (city, region_iso), lambda: metros.place(city, region_iso))

    def observation(self, row: dict[str, str], occurrence: int = 1, text: str | None = None) -> Parsed:
        """The observation in one record (`text`: its `canonical` text, when known); ValueError
        says what is wrong with it."""
        fmt = self.fmt
        cells = Cells(row, fmt, self.readers)
        amount = cells.number("amount", "pay")
        if amount is None:
            raise ValueError("no pay given")
        per_year = _per_year(cells)
        base = cells.number("base_amount", "base pay")
        country, city, region, region_iso = _place(cells, self.locate)
        years, band, level = _experience(cells)
        titles, tag, given_role = cells.all("title"), cells.get("tag"), cells.get("role")
        routed = Routed(given_role, titles[0] if titles else "", "given") if given_role \
            else self.route(titles, tag)
        if not SLUG.match(routed.role):
            raise ValueError(f"role {routed.role[:40]!r} is not a slug (lowercase letters, digits and '-')")
        remote = cells.number("remote_ratio", "remote ratio")
        year = cells.number("year", "year")
        published = cells.number("published_amount", "published amount")
        observation = SalaryObservation(
            key=identity_key(row, fmt, occurrence, text), role=routed.role, amount=amount * per_year,
            currency=currency_of(cells.get("currency")), country=country, source=fmt.source.slug,
            raw_title=routed.title, tag=tag or None, company=cells.get("company") or None, city=city,
            region=region, region_code=region_iso, base_amount=None if base is None else base * per_year,
            years_experience=years, experience_band=band, experience_level=level,
            years_at_company=cells.number("years_at_company", "years at company"),
            year=int(year) if year is not None else None, employment_type=cells.get("employment_type") or None,
            company_size=cells.get("company_size") or None,
            remote_ratio=int(remote) if remote is not None else None, published_amount=published,
            published_currency=currency_of(cells.get("published_currency")) or None
            if published is not None else None,
            row_id=cells.get("row_id") or None, metro_code=self.metro(city, region_iso) if country == "US" else None,
            # a file its source does not publish row by row: its rows wait for a release like submissions
            release_hold=None if is_public(fmt.source.slug) else NEW)
        found = problems(observation, self.today)
        if found:
            raise ValueError(found[0].message)
        return Parsed(observation, routed)


def observation_from_row(row: dict[str, str], fmt: SalaryFormat, index: TitleIndex | None = None,
                         occurrence: int = 1, text: str | None = None, metros: MetroIndex | None = None) -> Parsed:
    """One record's observation (see `RowParser.observation`)."""
    return RowParser(fmt, index, metros).observation(row, occurrence, text)
