"""The salary pipeline against a numpy reference, on hypothesis-generated observations."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.store import database as c
from service.summaries import disclosure
from service.summaries.salary_stats import DIMENSIONS, LEVELS, PERCENTILES, compute_salary_cells
from tests.factories.servers import Servers, SyncDatabase

ROLES = ["backend-developer", "data-engineer"]
COUNTRIES = ["US", "DE", None]
BANDS = ["entry", "mid", "senior", None]
CURRENCIES = ["USD", "EUR"]
REGIONS = {"US": ["US-TX", "US-CA", None], "DE": ["DE-BY", None], None: [None]}
METROS = {"US": ["0012420", "0019100", None], "DE": [None], None: [None]}  # Austin, Dallas; OEWS codes

amounts = st.one_of(
    st.floats(min_value=1, max_value=5_000_000, allow_nan=False, allow_infinity=False),
    st.integers(min_value=1, max_value=900_000),  # stored as int: the validator allows it
    st.sampled_from([48_000.0, 120_000.0, 120_000.5]),  # ties
)
observations = st.lists(st.fixed_dictionaries({
    "role": st.sampled_from(ROLES), "country": st.sampled_from(COUNTRIES),
    "experience_band": st.sampled_from(BANDS), "currency": st.sampled_from(CURRENCIES), "amount": amounts,
    "region_choice": st.integers(min_value=0, max_value=2), "year": st.sampled_from([2023, 2024, None]),
    "metro_choice": st.integers(min_value=0, max_value=2),
}).map(lambda row: {**{k: v for k, v in row.items() if k not in ("region_choice", "metro_choice")},
                    "region_code": REGIONS[row["country"]][row["region_choice"] % len(REGIONS[row["country"]])],
                    "metro_code": METROS[row["country"]][row["metro_choice"] % len(METROS[row["country"]])]}),
    min_size=1, max_size=60)


@pytest.fixture(scope="module")
def loop(servers: Servers) -> Iterator[SyncDatabase]:
    opened = SyncDatabase(servers, "t_salary_stats")
    yield opened
    opened.close()


def expected_groups(rows: list[dict[str, Any]]) -> dict[tuple[Any, ...], np.ndarray]:
    """What every level should hold: REGION rows only in countries where some observation of the
    role (in any currency) has a region; METRO rows only of observations placed in a metro area."""
    regioned = {(row["role"], row["country"]) for row in rows if row["region_code"]}
    groups: dict[tuple[Any, ...], list[float]] = defaultdict(list)
    for row in rows:
        for level in LEVELS:
            if (level == "REGION" and (row["role"], row["country"]) not in regioned) or \
                    (level == "METRO" and row["metro_code"] is None):
                continue
            key = (level, row["role"], row["currency"], *(row[d] for d in DIMENSIONS[level]))
            groups[key].append(float(row["amount"]))
    return {key: np.asarray(values) for key, values in groups.items()}


def key_of(cell: dict[str, Any]) -> tuple[Any, ...]:
    return (cell["level"], cell["role"], cell["currency"], *(cell[d] for d in DIMENSIONS[cell["level"]]))


def compute(loop: SyncDatabase, rows: list[dict[str, Any]], min_cell_size: int) -> list[dict[str, Any]]:
    collection = loop.db[c.SALARY_OBSERVATIONS]
    loop.run(collection.delete_many({}))
    now = datetime.now(UTC)
    loop.run(collection.insert_many([{**row, "content_hash": str(i), "source": "test", "created_at": now}
                                     for i, row in enumerate(rows)]))
    by_role = loop.run(compute_salary_cells(loop.db, None, min_cell_size))
    return [cell for cells in by_role.values() for cell in cells]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=observations, min_cell_size=st.integers(min_value=1, max_value=6))
def test_every_figure_matches_numpy(loop: SyncDatabase, rows: list[dict[str, Any]], min_cell_size: int) -> None:
    cells = compute(loop, rows, min_cell_size)
    expected = expected_groups(rows)
    assert sorted(map(key_of, cells), key=repr) == sorted(expected, key=repr)
    for cell in cells:
        values = expected[key_of(cell)]
        scale = float(values.max())
        assert cell["count"] == values.size
        assert cell["sufficient"] is (values.size >= min_cell_size)
        assert cell["withheld"] or cell["sufficient"]  # a group under the minimum is never shown
        if cell["withheld"]:
            assert all(cell[name] is None for name in disclosure.EXACT_FIGURES)
            continue
        assert cell["mean"] == pytest.approx(values.mean(), rel=1e-12)
        assert cell["stddev"] == pytest.approx(values.std(), rel=1e-9, abs=scale * 1e-12)
        assert cell["min"] == values.min() and cell["max"] == values.max()
        for name, q in PERCENTILES.items():
            assert cell[name] == pytest.approx(np.percentile(values, q * 100), rel=1e-12), name


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=observations)
def test_roll_ups_agree_with_their_cells(loop: SyncDatabase, rows: list[dict[str, Any]]) -> None:
    cells = compute(loop, rows, 1)
    by_level: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for cell in cells:
        by_level[cell["level"]].append(cell)
    for role_cell in by_level["ROLE"]:
        scope = (role_cell["role"], role_cell["currency"])
        for level in ("CELL", "COUNTRY", "BAND"):
            parts = [x for x in by_level[level] if (x["role"], x["currency"]) == scope]
            assert sum(x["count"] for x in parts) == role_cell["count"]
            assert min(x["min"] for x in parts) == role_cell["min"]
            assert max(x["max"] for x in parts) == role_cell["max"]
            weighted = sum(x["mean"] * x["count"] for x in parts) / role_cell["count"]
            assert weighted == pytest.approx(role_cell["mean"], rel=1e-9)


def test_small_cells_hide_every_figure_but_keep_their_count(loop: SyncDatabase) -> None:
    rows = [{"role": "backend-developer", "country": "US", "experience_band": "mid", "currency": "USD",
             "amount": amount} for amount in (100_000.0, 120_000.0, 140_000.0)]
    rows += [{"role": "backend-developer", "country": "DE", "experience_band": "mid", "currency": "USD",
              "amount": 90_000.0 + i} for i in range(5)]
    cells = {key_of(cell): cell for cell in compute(loop, rows, 5)}
    small = cells[("CELL", "backend-developer", "USD", "US", "mid")]
    assert (small["count"], small["sufficient"], small["withheld"]) == (3, False, True)
    assert all(small[name] is None for name in disclosure.EXACT_FIGURES)
    beside = cells[("CELL", "backend-developer", "USD", "DE", "mid")]  # exact rows: only the minimum applies
    assert beside["sufficient"] and not beside["withheld"]
    assert cells[("BAND", "backend-developer", "USD", "mid")]["median"] == 90_003.5  # 8 values
