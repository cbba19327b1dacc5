"""The pay grid: the values a submitted amount is rounded to before any figure is computed from it.

Every published figure of a group is computed from its amounts as the grid gives them
(`service.summaries.publication`): an imported row from a file its source already publishes keeps
its amount, and a submitted amount counts as the point of the grid it falls nearest to. So whatever
an attacker combines (two versions, two views, amounts of his own placed beside a victim's and
moved release after release), a figure depends on a submitted amount only through its grid point,
and the amount can never be told more finely than the cell of that point.

- **Coarse:** a series of preferred numbers (ISO 3: R20, R40 or R80, the setting
  `CAREERGRAPH_PAY_GRID`), each decade split into 20, 40 or 80 steps of about the same ratio, with
  round values (R40: 100, 106, 112, 118, 125, ... 950, then 1,000). A cell runs from the geometric
  middle between a point and the one below to the one between it and the one above. Every cell of
  R40 is at least 5.4% wide (R20: 11.2%, R80: 2.4%), wider than the 2.02% that would fit within
  +-1% of an amount in it: no amount can be pinned within 1% by its cell. R40 moves an amount by at
  most 3.5% (R20 6.9%, R80 1.8%).
- **Spread:** the percentiles of groups with at least `CAREERGRAPH_FINE_GRID_MIN` submitted amounts
  (1,000), where a median must stay within 1% of the exact one, are read off each coarse point spread
  evenly over its cell: the points' amounts are taken as lying across the cell, as a statistical
  agency interpolates a median within an income bracket. The j-th amount on a point (in the order
  the amounts come, counted over the role) stands at the fraction vdc(j) of its cell (in logarithms),
  vdc being the base-2 van der Corput sequence (1/2, 1/4, 3/4, 1/8, ...), whose every run of
  consecutive terms is spread evenly, so a group made of whole cells gets an even spread too. A spread
  value depends on how many amounts lie on each point, never on an amount within its cell.
  Rounding amounts to three figures instead (0.5%) gave a victim's amount back: sybil submissions
  below and above the victim made it a large group's median (tests/schema/test_sybil_percentiles.py).

Amounts are positive (the model refuses others); the arrays here are float64.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

#: ISO 3 preferred numbers (rounded values), in hundredths, one decade.
SERIES = {
    "R20": (100, 112, 125, 140, 160, 180, 200, 224, 250, 280, 315, 355, 400, 450, 500, 560, 630, 710, 800, 900),
    "R40": (100, 106, 112, 118, 125, 132, 140, 150, 160, 170, 180, 190, 200, 212, 224, 236, 250, 265, 280, 300,
            315, 335, 355, 375, 400, 425, 450, 475, 500, 530, 560, 600, 630, 670, 710, 750, 800, 850, 900, 950),
    "R80": (100, 103, 106, 109, 112, 115, 118, 122, 125, 128, 132, 136, 140, 145, 150, 155, 160, 165, 170, 175,
            180, 185, 190, 195, 200, 206, 212, 218, 224, 230, 236, 243, 250, 258, 265, 272, 280, 290, 300, 307,
            315, 325, 335, 345, 355, 365, 375, 387, 400, 412, 425, 437, 450, 462, 475, 487, 500, 515, 530, 545,
            560, 580, 600, 615, 630, 650, 670, 690, 710, 730, 750, 775, 800, 825, 850, 875, 900, 925, 950, 975),
}
GRIDS = tuple(SERIES)


@dataclass(frozen=True)
class Grid:
    """One series of preferred numbers, and the spread of its points over their cells."""

    name: str

    @property
    def points(self) -> np.ndarray:
        """The decade's points and the next decade's first, in hundredths."""
        return np.array([*SERIES[self.name], 1000], dtype=np.float64)

    @property
    def bounds(self) -> np.ndarray:
        """log10 of each cell's upper bound within a decade (of mantissas 1-10): the geometric middles."""
        logs = np.log10(self.points / 100)
        return (logs[:-1] + logs[1:]) / 2

    def coarse(self, amounts: np.ndarray) -> np.ndarray:
        """Each amount's point of the series. Monotone: sorted amounts stay sorted."""
        if not amounts.size:
            return amounts.astype(np.float64)
        logs = np.log10(amounts)
        decade = np.floor(logs)
        index = np.searchsorted(self.bounds, logs - decade, side="left")
        # hundredths times 10^(decade-2): exact in float64 for every plausible amount (>= 100)
        return self.points[index] * np.power(10.0, decade - 2)

    def spread(self, points: np.ndarray) -> np.ndarray:
        """Each of `points` (values of `coarse`, in the order the amounts come) moved into its cell:
        the j-th occurrence of a point (j = 1, 2, ...) to the fraction vdc(j) of the cell, in logarithms.
        Depends on the points and how often each occurs before, nothing else."""
        if not points.size:
            return points.astype(np.float64)
        logs = np.log10(points)
        decade = np.floor(logs + 1e-12)
        index = np.searchsorted(self.bounds, logs - decade, side="left")
        bounds = self.bounds
        low = np.where(index > 0, bounds[np.maximum(index - 1, 0)], bounds[-1] - 1) + decade
        high = bounds[np.minimum(index, bounds.size - 1)] + decade
        point_id = (decade - decade.min()) * (bounds.size + 1) + index  # a small integer per point
        order = np.argsort(point_id.astype(np.uint16) if point_id.max() <= 0xFFFF else point_id, kind="stable")
        ordered = point_id[order]  # (a radix sort, where it fits 16 bits)
        starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
        run_start = np.repeat(starts, np.diff(np.concatenate((starts, [ordered.size]))))
        occurrence = np.empty(points.size, dtype=np.int64)
        occurrence[order] = np.arange(ordered.size) - run_start + 1
        return np.power(10.0, low + van_der_corput(occurrence) * (high - low))

    def published(self, amounts: np.ndarray, mine: np.ndarray, cell_of: np.ndarray, keys: list[tuple[Any, ...]],
                  fine_min: int) -> tuple[np.ndarray, np.ndarray, bool]:
        """The amounts (cells one after another) with the submitted ones (`mine`) on their points, the
        same spread over their cells when at least `fine_min` are submitted (else on their points too),
        and whether they were spread."""
        coarse, fine = amounts.copy(), amounts.copy()
        coarse[mine] = self.coarse(amounts[mine])
        spread = int(np.count_nonzero(mine)) >= fine_min
        fine[mine] = self.spread_cells(coarse[mine], cell_of[mine], keys) if spread else coarse[mine]
        return coarse, fine, spread

    def spread_cells(self, points: np.ndarray, cell_of: np.ndarray, keys: list[tuple[Any, ...]]) -> np.ndarray:
        """`spread(points)` with the points counted cell after cell, the cells (`keys`, numbered by
        `cell_of`) in `spread_order`, so the spread does not hang on the order cells were read in."""
        rank = np.empty(len(keys), dtype=np.int64)
        rank[sorted(range(len(keys)), key=lambda i: spread_order(keys[i]))] = np.arange(len(keys))
        order = np.argsort(rank[cell_of].astype(np.uint16) if len(keys) <= 0xFFFF else rank[cell_of], kind="stable")
        out = np.empty_like(points)
        out[order] = self.spread(points[order])
        return out

    def cell(self, point: float) -> tuple[float, float]:
        """The amounts that round to `point` (a point of the series): (lowest, highest), the
        lowest included, the highest not, up to float rounding at the edges."""
        decade = np.floor(np.log10(point) + 1e-12)
        mantissa = point / 10 ** decade * 100
        index = int(np.argmin(np.abs(self.points[:-1] - mantissa)))
        bounds = self.bounds
        low = bounds[index - 1] if index else bounds[-1] - 1
        return float(10 ** (decade + low)), float(10 ** (decade + bounds[index]))

    def narrowest_cell(self) -> float:
        """The smallest ratio highest / lowest of any cell of the series."""
        logs = np.concatenate(([self.bounds[-1] - 1], self.bounds))
        return float(10 ** np.min(np.diff(logs)))


def spread_order(key: tuple[Any, ...]) -> tuple[tuple[bool, str], ...]:
    """The order cells are taken in when their points are spread: by key, None first."""
    return tuple((value is not None, str(value)) for value in key)


def _reversed_bits(j: np.ndarray, bits: int) -> np.ndarray:
    """The `bits` low binary digits of each j mirrored after the point, as a fraction."""
    out = np.zeros(j.size, dtype=np.float64)
    rest, weight = j.astype(np.int64), 0.5
    for _ in range(bits):
        out += (rest & 1) * weight
        rest, weight = rest >> 1, weight / 2
    return out


_LOW16 = _reversed_bits(np.arange(1 << 16), 16)  # a lookup per 16 binary digits


def van_der_corput(j: np.ndarray) -> np.ndarray:
    """The base-2 van der Corput sequence's j-th terms (0 <= j < 2^48): j's binary digits mirrored
    after the point (1 -> 1/2, 2 -> 1/4, 3 -> 3/4, 4 -> 1/8)."""
    j = j.astype(np.int64)
    return _LOW16[j & 0xFFFF] + _LOW16[(j >> 16) & 0xFFFF] / 65536.0 + _LOW16[(j >> 32) & 0xFFFF] / 65536.0 ** 2
