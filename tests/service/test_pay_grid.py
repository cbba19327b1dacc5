"""The pay grid: every cell is too wide to pin an amount within 1%, the fine rounding moves none by
more than 0.5%, and both keep amounts in order (so one sort serves the figures of both)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.summaries.grid import GRIDS, Grid

amounts = st.floats(min_value=100.0, max_value=1e9, allow_nan=False, allow_infinity=False)


@pytest.mark.parametrize("name", GRIDS)
def test_no_cell_fits_within_one_percent_of_an_amount_in_it(name: str) -> None:
    grid = Grid(name)
    # a cell [low, high) fits within +-1% of some x in it only if high / low < 1.01 / 0.99
    assert grid.narrowest_cell() > 1.01 / 0.99
    points = np.unique(grid.coarse(np.geomspace(100, 1e8, 200_000)))
    for point in points:
        low, high = grid.cell(float(point))
        assert low < point < high and high / low > 1.01 / 0.99


@given(values=st.lists(amounts, min_size=1, max_size=50))
def test_rounding_keeps_order_and_stays_in_the_cell(values: list[float]) -> None:
    grid = Grid("R40")
    ordered = np.sort(np.asarray(values))
    coarse, fine = grid.coarse(ordered), grid.fine(ordered)
    assert np.all(np.diff(coarse) >= 0) and np.all(np.diff(fine) >= 0)
    assert np.all(np.abs(fine / ordered - 1) <= 0.005 + 1e-12)
    for amount, point in zip(ordered, coarse, strict=True):
        low, high = grid.cell(float(point))
        assert low * (1 - 1e-12) <= amount <= high * (1 + 1e-12)


def test_points_are_the_preferred_numbers() -> None:
    grid = Grid("R40")
    found = grid.coarse(np.array([142_357.0, 99_000.0, 120_000.0, 1_234.0, 9_700_000.0]))
    assert found.tolist() == [140_000.0, 100_000.0, 118_000.0, 1_250.0, 9_500_000.0]
    assert Grid.fine(np.array([142_357.0, 99_950.0, 1_234.5])).tolist() == [142_000.0, 100_000.0, 1_230.0]
