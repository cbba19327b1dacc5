"""The pay grid: every cell is too wide to pin an amount within 1%, the coarse grid keeps amounts in
order, and the spread of the points over their cells stays in each cell and hangs on the points only."""

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
def test_the_coarse_grid_keeps_order_and_each_amount_in_its_cell(values: list[float]) -> None:
    grid = Grid("R40")
    ordered = np.sort(np.asarray(values))
    coarse = grid.coarse(ordered)
    assert np.all(np.diff(coarse) >= 0)
    for amount, point in zip(ordered, coarse, strict=True):
        low, high = grid.cell(float(point))
        assert low * (1 - 1e-12) <= amount <= high * (1 + 1e-12)


def test_points_are_the_preferred_numbers() -> None:
    grid = Grid("R40")
    found = grid.coarse(np.array([142_357.0, 99_000.0, 120_000.0, 1_234.0, 9_700_000.0]))
    assert found.tolist() == [140_000.0, 100_000.0, 118_000.0, 1_250.0, 9_500_000.0]


@given(values=st.lists(amounts, min_size=1, max_size=200))
def test_spread_values_stay_in_the_cell_and_hang_on_the_points_only(values: list[float]) -> None:
    """A spread value lies in its point's cell, and amounts on the same points spread alike."""
    grid = Grid("R40")
    points = grid.coarse(np.asarray(values))
    spread = grid.spread(points)
    for point, value in zip(points, spread, strict=True):
        low, high = grid.cell(float(point))
        assert low * (1 - 1e-12) <= value < high * (1 + 1e-12)
    others = np.array([grid.cell(float(p))[0] * 1.0001 for p in points])  # other amounts, same cells
    assert np.array_equal(grid.spread(grid.coarse(others)), spread)


def test_a_points_amounts_spread_over_its_whole_cell() -> None:
    grid = Grid("R40")
    low, high = grid.cell(140_000.0)
    spread = np.sort(grid.spread(np.full(1023, 140_000.0)))
    assert [round(v) for v in grid.spread(np.full(3, 140_000.0))] == [round(np.sqrt(low * high)),
                                                                      round(low * (high / low) ** 0.25),
                                                                      round(low * (high / low) ** 0.75)]
    assert np.all(np.abs(np.log(spread / low) / np.log(high / low) - np.arange(1, 1024) / 1024) < 1e-9)
