"""Currency normalisation: the ECB importer against the file it reads, and normalised summaries
against numpy over amounts converted by the documented rule (computed here, independently)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.ingest.fx import import_fx
from service.official.fx import RateTable, load_rates
from service.platform.resources import Resources
from service.store import database as c
from service.store import official_layout as o
from service.summaries.salary_stats import DIMENSIONS, PERCENTILES, compute_salary_cells
from tests.factories.official_files import write_ecb_csv
from tests.factories.servers import Servers, SyncDatabase

# Daily rates per euro, by currency and year: JPY only in 2023, VND never (unconvertible).
DAILY = {"USD": {2022: [1.05, 1.07, 1.03], 2023: [1.08, 1.10], 2024: [1.09, 1.07, 1.08, 1.06]},
         "GBP": {2022: [0.85, 0.86], 2023: [0.87, 0.86, 0.88], 2024: [0.84, 0.85]},
         "JPY": {2023: [150.1, 152.3, 149.0]}}
YEARS = sorted({y for by_year in DAILY.values() for y in by_year})


def mean(currency: str, year: int) -> float | None:
    if currency == "EUR":
        return 1.0
    days = DAILY.get(currency, {}).get(year)
    return float(np.mean(days)) if days else None


def reference_factor(currency: str, year: int | None, target: str) -> tuple[float, int] | None:
    """The documented rule, written out: the observation's own year, else the nearest year with
    both rates (the later one on a tie), else (no year) the latest."""
    if currency == target:
        return 1.0, year if year is not None else max(YEARS)
    both = [y for y in YEARS if mean(currency, y) and mean(target, y)]
    if not both:
        return None
    chosen = max(both) if year is None else sorted(both, key=lambda y: (abs(y - year), -y))[0]
    return mean(target, chosen) / mean(currency, chosen), chosen  # type: ignore[operator]


def table() -> RateTable:
    return RateTable(years={y: {cur: m for cur in DAILY if (m := mean(cur, y))} for y in YEARS})


@pytest.fixture(scope="module")
def loop(servers: Servers) -> Iterator[SyncDatabase]:
    opened = SyncDatabase(servers, "t_normalised_pay")
    yield opened
    opened.close()


observations = st.lists(st.fixed_dictionaries({
    "role": st.sampled_from(["backend-developer", "data-engineer"]), "country": st.sampled_from(["US", "GB", None]),
    "experience_band": st.sampled_from(["mid", "senior", None]), "region_code": st.just(None),
    "currency": st.sampled_from(["USD", "EUR", "GBP", "JPY", "VND"]),
    "year": st.sampled_from([2021, 2022, 2023, 2024, 2026, None]),
    "amount": st.one_of(st.floats(min_value=1, max_value=5_000_000, allow_nan=False),
                        st.sampled_from([50_000.0, 90_000.0])),
}), min_size=1, max_size=50)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=observations, target=st.sampled_from(["USD", "EUR"]))
def test_normalised_rows_match_numpy_over_converted_amounts(loop: SyncDatabase, rows: list[dict[str, Any]],
                                                            target: str) -> None:
    collection = loop.db[c.SALARY_OBSERVATIONS]
    loop.run(collection.delete_many({}))
    now = datetime.now(UTC)
    loop.run(collection.insert_many([{**row, "content_hash": str(i), "source": "test", "created_at": now}
                                     for i, row in enumerate(rows)]))
    by_role = loop.run(compute_salary_cells(loop.db, None, 1, table(), targets=(target,)))
    expected: dict[tuple[Any, ...], dict[str, Any]] = defaultdict(
        lambda: {"values": [], "unconvertible": 0, "currencies": set(), "years": set(), "unknown_year": 0,
                 "unknown_year_rates": set()})
    for row in rows:
        factor = reference_factor(row["currency"], row["year"], target)
        for level in ("CELL", "COUNTRY", "BAND", "ROLE", "YEAR", "COUNTRY_YEAR"):
            group = expected[(level, row["role"], *(row[d] for d in DIMENSIONS[level]))]
            if factor is None:
                group["unconvertible"] += 1
                group["currencies"].add(row["currency"])
            else:
                group["values"].append(float(row["amount"]) * factor[0])
                group["years"].add(factor[1])
                if row["year"] is None:  # no year of its own: stated apart, with the rates' year
                    group["unknown_year"] += 1
                    group["unknown_year_rates"].add(factor[1])
    found = {(r["level"], r["role"], *(r[d] for d in DIMENSIONS[r["level"]])): r
             for rows_of_role in by_role.values() for r in rows_of_role if r.get("normalized_to") == target}
    assert set(found) == set(expected)
    for key, want in expected.items():
        row, values = found[key], np.sort(np.asarray(want["values"]))
        conversion = row["conversion"]
        assert (conversion["converted_count"], conversion["unconvertible_count"]) == (values.size, want["unconvertible"])
        assert set(conversion["unconvertible_currencies"]) == want["currencies"]
        assert set(conversion["years"]) == want["years"]
        assert conversion["unknown_year_count"] == want["unknown_year"]
        assert conversion["unknown_year_rates"] == sorted(want["unknown_year_rates"])
        assert row["count"] == values.size and row["currency"] == target
        if values.size == 0:
            assert row["mean"] is None
            continue
        assert not row["withheld"]  # a minimum of one withholds nothing with figures
        assert row["mean"] == pytest.approx(values.mean(), rel=1e-12)
        assert row["stddev"] == pytest.approx(values.std(), rel=1e-9, abs=float(values.max()) * 1e-12)
        for name, q in PERCENTILES.items():
            assert row[name] == pytest.approx(np.percentile(values, q * 100), rel=1e-12), name


def test_native_rows_are_unchanged_by_normalisation(loop: SyncDatabase) -> None:
    collection = loop.db[c.SALARY_OBSERVATIONS]
    loop.run(collection.delete_many({}))
    now = datetime.now(UTC)
    loop.run(collection.insert_many([{"role": "backend-developer", "country": "GB", "experience_band": "mid",
                                      "currency": "GBP", "year": 2023, "amount": 60_000.0 + i, "content_hash": str(i),
                                      "source": "test", "created_at": now} for i in range(6)]))
    (rows,) = loop.run(compute_salary_cells(loop.db, None, 1, table())).values()
    native = [r for r in rows if r["level"] == "ROLE" and r.get("normalized_to") is None]
    assert [(r["currency"], r["mean"]) for r in native] == [("GBP", 60_002.5)]
    (usd,) = [r for r in rows if r["level"] == "ROLE" and r.get("normalized_to") == "USD"]
    assert usd["mean"] == pytest.approx(60_002.5 * mean("USD", 2023) / mean("GBP", 2023))  # type: ignore[operator]


async def test_the_ecb_file_is_stored_as_published(resources: Resources, tmp_path: Path) -> None:
    path = write_ecb_csv(tmp_path / "eurofxref-hist.csv", DAILY)
    with open(path, "a") as handle:
        handle.write("2021-13-01,1.0,1.0,1.0,\n2021-06-01,nan,1.0,1.0,\n")
    report = await import_fx(resources, path)
    assert report.rejected_count == 2 and {r.line for r in report.rejections} == {
        len(path.read_text().splitlines()) - 1, len(path.read_text().splitlines())}
    assert report.accounted
    rates = await load_rates(resources.db)
    for currency, by_year in DAILY.items():
        for year, days in by_year.items():
            assert rates.per_eur(year, currency) == pytest.approx(np.mean(days), rel=1e-12)
    assert rates.per_eur(2022, "JPY") is None  # N/A days are not rates
    assert rates.factor("VND", 2023, "USD") is None and "publishes no reference rate for VND" in rates.reason("VND")
    source = await resources.db[c.SOURCES].find_one({"slug": "ecb-eurofxref"})
    assert source is not None and source["publisher"] == "European Central Bank"
    again = await import_fx(resources, path)
    assert again.imported == 0 and again.updated == report.imported  # same days, nothing new
    assert await resources.db[o.FX_DAILY].count_documents({}) == report.imported


async def test_an_operator_supplies_rates_the_ecb_does_not_publish(resources: Resources, tmp_path: Path) -> None:
    await import_fx(resources, write_ecb_csv(tmp_path / "eurofxref-hist.csv", DAILY))
    await import_fx(resources, write_ecb_csv(tmp_path / "vnd-rates.csv", {"VND": {2023: [27_000.0, 27_400.0]}}))
    rates = await load_rates(resources.db)
    factor = rates.factor("VND", 2023, "USD")
    assert factor is not None and factor.value == pytest.approx(mean("USD", 2023) / 27_200.0)
    assert rates.source_for({"VND", "GBP"}) == "ecb-eurofxref; fx-vnd-rates"
    assert rates.per_eur(2023, "USD") == pytest.approx(mean("USD", 2023))  # the ECB's days kept
