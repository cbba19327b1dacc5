"""Figures of many groups at once: count, mean, standard deviation, min, max and percentiles of
every group of a level, from one array of values in ascending order and a group number per value.

Figures are computed for every group of a level at once: the role's amounts are put in value order
once per currency basis (native, or converted to a target), then grouped by a stable sort on the
group number, which keeps each group in value order; sums come from `np.add.reduceat`, and the
percentiles are numpy's default ("linear", Hyndman and Fan type 7) read off each group's sorted
run with numpy's own interpolation. The standard deviation is the population one (ddof=0), from
the deviations from each group's mean (two passes, as numpy does).
"""

from __future__ import annotations

import numpy as np

PERCENTILES = {"p10": 0.10, "p25": 0.25, "median": 0.50, "p75": 0.75, "p90": 0.90}
FIGURE_NAMES = ("mean", "stddev", "min", "max", *PERCENTILES)


def _group_order(group: np.ndarray, groups: int) -> np.ndarray | None:
    """The stable order that puts values (ascending) in group order, each group still ascending
    (a radix sort when the group numbers fit 16 bits); None for a single group."""
    return None if groups <= 1 else np.argsort(group.astype(np.uint16) if groups <= 0xFFFF else group,
                                               kind="stable")


def _percentiles(out: dict[str, np.ndarray], v: np.ndarray, counts: np.ndarray, which: np.ndarray) -> None:
    """The percentiles of the groups `which` (indexes) from `v` (grouped, ascending within each group):
    numpy's "linear" method and its `_lerp`, per group."""
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))[which]
    n = counts[which]
    for name, q in PERCENTILES.items():
        h = (n - 1) * q
        lo = h.astype(np.int64)
        a, b = v[starts + lo], v[starts + np.minimum(lo + 1, n - 1)]
        t = h - lo
        out[name][which] = np.where(t >= 0.5, b - (b - a) * (1 - t), a + (b - a) * t)


def grouped_figures(values: np.ndarray, group: np.ndarray, groups: int, fine: np.ndarray | None = None,
                    marked: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """count and every figure of each group 0..groups-1, for `values` in ascending order and
    `group` (a number per value). A group with no values has count 0 and NaN figures. With `fine`
    (a value per value, ascending in the same order) the percentiles of the groups `marked` flags
    are read off their fine values instead."""
    order = _group_order(group, groups)
    v = values if order is None else values[order]
    counts = np.bincount(group, minlength=groups)
    out = _empty(counts)
    present = np.flatnonzero(counts)
    if not present.size:
        return out
    _moments(out, v, counts, present)
    out["min"][present], out["max"][present] = _first_last(v, counts, present)
    if fine is None or marked is None:
        _percentiles(out, v, counts, present)
        return out
    _percentiles(out, v, counts, np.flatnonzero(~marked & (counts > 0)))
    _percentiles(out, fine if order is None else fine[order], counts, np.flatnonzero(marked & (counts > 0)))
    return out


def _empty(counts: np.ndarray) -> dict[str, np.ndarray]:
    out = {name: np.full(counts.size, np.nan) for name in FIGURE_NAMES}
    out["count"] = counts
    return out


def _moments(out: dict[str, np.ndarray], v: np.ndarray, counts: np.ndarray, present: np.ndarray) -> None:
    """Mean and population standard deviation of each present group of `v` (grouped, any order)."""
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))[present]
    n = counts[present]
    mean = np.add.reduceat(v, starts) / n
    deviation = v - np.repeat(mean, n)
    out["mean"][present] = mean
    out["stddev"][present] = np.sqrt(np.add.reduceat(deviation * deviation, starts) / n)


def _first_last(v: np.ndarray, counts: np.ndarray, present: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))[present]
    return v[starts], v[starts + counts[present] - 1]


def grouped_in_two_orders(values: np.ndarray, group: np.ndarray, fine: np.ndarray, fine_group: np.ndarray,
                          by_fine: np.ndarray, groups: int, marked: np.ndarray) -> dict[str, np.ndarray]:
    """`grouped_figures` where the fine values have an order of their own (`fine`, ascending, each
    with its group in `fine_group`, and `by_fine` the values in that order): the groups are formed
    once, in the fine order, for counts, means, deviations and the marked groups' percentiles; only
    the other groups' values are grouped again, in their own order, for theirs."""
    order = _group_order(fine_group, groups)
    counts = np.bincount(fine_group, minlength=groups)
    out = _empty(counts)
    present = np.flatnonzero(counts)
    if not present.size:
        return out
    v = by_fine if order is None else by_fine[order]
    _moments(out, v, counts, present)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))[present]
    out["min"][present] = np.minimum.reduceat(v, starts)
    out["max"][present] = np.maximum.reduceat(v, starts)
    _percentiles(out, fine if order is None else fine[order], counts, np.flatnonzero(marked & (counts > 0)))
    rest = ~marked
    if (rest & (counts > 0)).any():
        keep = rest[group]
        v, g = values[keep], group[keep]
        order = _group_order(g, groups)
        _percentiles(out, v if order is None else v[order], np.bincount(g, minlength=groups),
                     np.flatnonzero(rest & (counts > 0)))
    return out
