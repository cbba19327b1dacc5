"""From a role's cells to its published rows: every level, native and normalised, with figures.

A role's cells come from MongoDB keyed (country, region code, band, currency, year), each a sorted
array of amounts. The levels, each keyed by currency (native rows never mix currencies):

| level | groups by |
| --- | --- |
| CELL | country x experience band |
| COUNTRY | country |
| BAND | experience band |
| ROLE | nothing: the role's total |
| REGION | country x region (ISO 3166-2), in countries where observations carry one |
| YEAR | the year observed |
| COUNTRY_YEAR | country x year |

Without `level`, reads return the first four. A normalised row (`normalized_to` USD or EUR) pools
every currency of its group into the target at the rate of each observation's year
(`service.official.fx`), and says how (`conversion`).

Figures are computed for every group of a level at once: the role's amounts are put in value order
once per currency basis (native, or converted to a target), then grouped by a stable sort on the
group number, which keeps each group in value order; sums come from `np.add.reduceat`, and the
percentiles are numpy's default ("linear", Hyndman and Fan type 7) read off each group's sorted
run with numpy's own interpolation. The standard deviation is the population one (ddof=0), from
the deviations from each group's mean (two passes, as numpy does).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np

from service.official.fx import RATE_BASIS, Factor, RateTable
from service.summaries import disclosure

DEFAULT_LEVELS = ("CELL", "COUNTRY", "BAND", "ROLE")
LEVELS = (*DEFAULT_LEVELS, "REGION", "YEAR", "COUNTRY_YEAR")
PERCENTILES = {"p10": 0.10, "p25": 0.25, "median": 0.50, "p75": 0.75, "p90": 0.90}
DIMENSIONS = {"CELL": ("country", "experience_band"), "COUNTRY": ("country",), "BAND": ("experience_band",),
              "ROLE": (), "REGION": ("country", "region_code"), "YEAR": ("year",), "COUNTRY_YEAR": ("country", "year")}
FIGURE_NAMES = ("mean", "stddev", "min", "max", *PERCENTILES)
CellKey = tuple[Any, ...]  # (country, region_code, experience_band, currency, year)
_POSITION = {"country": 0, "region_code": 1, "experience_band": 2, "year": 4}


def cell_order(row: dict[str, Any]) -> tuple[Any, ...]:
    return (row.get("normalized_to") or "", LEVELS.index(row["level"]), row["currency"],
            row.get("country") or "~", row.get("region_code") or "~", row.get("experience_band") or "~",
            row.get("year") or 0)


def grouped_figures(values: np.ndarray, group: np.ndarray, groups: int) -> dict[str, np.ndarray]:
    """count and every figure of each group 0..groups-1, for `values` in ascending order and
    `group` (a number per value). A group with no values has count 0 and NaN figures."""
    # stable: each group stays in value order (radix sort when the group numbers fit 16 bits)
    v = values if groups <= 1 else values[np.argsort(group.astype(np.uint16) if groups <= 0xFFFF else group,
                                                     kind="stable")]
    counts = np.bincount(group, minlength=groups)
    present = np.flatnonzero(counts)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))[present]
    n = counts[present]
    out = {name: np.full(groups, np.nan) for name in FIGURE_NAMES}
    out["count"] = counts
    if not present.size:
        return out
    mean = np.add.reduceat(v, starts) / n
    deviation = v - np.repeat(mean, n)
    out["mean"][present] = mean
    out["stddev"][present] = np.sqrt(np.add.reduceat(deviation * deviation, starts) / n)
    out["min"][present], out["max"][present] = v[starts], v[starts + n - 1]
    for name, q in PERCENTILES.items():  # numpy's "linear" method and its `_lerp`, per group
        h = (n - 1) * q
        lo = h.astype(np.int64)
        a, b = v[starts + lo], v[starts + np.minimum(lo + 1, n - 1)]
        t = h - lo
        out[name][present] = np.where(t >= 0.5, b - (b - a) * (1 - t), a + (b - a) * t)
    return out


@dataclass
class _Cells:
    """A role's cells as arrays: every amount (cells one after another), its cell's number, and
    each cell's key as a small integer per dimension (so levels group with numpy, not Python)."""

    keys: list[CellKey]
    sizes: np.ndarray
    amounts: np.ndarray
    cell_of: np.ndarray
    codes: np.ndarray  # (cells, 5): a number per key position, in the key's order
    in_region_level: np.ndarray  # cells of countries some of whose observations carry a region
    _groups: dict[tuple[str, bool], tuple[np.ndarray, list[tuple[Any, ...]]]]

    @classmethod
    def of(cls, cells: dict[CellKey, np.ndarray]) -> _Cells:
        keys = list(cells)
        sizes = np.fromiter((cells[k].size for k in keys), dtype=np.int64, count=len(keys))
        amounts = np.concatenate([cells[k] for k in keys]) if keys else np.empty(0)
        codes = np.empty((len(keys), 5), dtype=np.int64)
        for position in range(5):
            numbers: dict[Any, int] = {}
            codes[:, position] = [numbers.setdefault(k[position], len(numbers)) for k in keys]
        regioned = {k[0] for k in keys if k[1] is not None}
        return cls(keys, sizes, amounts.astype(np.float64, copy=False), np.repeat(np.arange(len(keys)), sizes),
                   codes, np.fromiter((k[0] in regioned for k in keys), dtype=bool, count=len(keys)), {})

    def level_groups(self, level: str, with_currency: bool) -> tuple[np.ndarray, list[tuple[Any, ...]]]:
        """Each cell's group number at `level` (-1: not in the level) and each group's values
        (the level's dimensions, and the currency first when `with_currency`)."""
        if (level, with_currency) not in self._groups:
            positions = ([3] if with_currency else []) + [_POSITION[d] for d in DIMENSIONS[level]]
            combined = np.zeros(len(self.keys), dtype=np.int64)
            for position in positions:
                combined = combined * (int(self.codes[:, position].max(initial=0)) + 1) + self.codes[:, position]
            member = self.in_region_level if level == "REGION" else np.ones(len(self.keys), dtype=bool)
            number = np.full(len(self.keys), -1, dtype=np.int64)
            _, first, inverse = np.unique(combined[member], return_index=True, return_inverse=True)
            number[member] = inverse.reshape(-1)
            members = np.flatnonzero(member)
            group_keys = [tuple(self.keys[members[i]][p] for p in positions) for i in first.tolist()]
            self._groups[(level, with_currency)] = (number, group_keys)
        return self._groups[(level, with_currency)]


def _rows(level: str, group_keys: list[tuple[Any, ...]], figures: dict[str, np.ndarray],
          base: dict[str, Any], with_currency: bool) -> list[dict[str, Any]]:
    """One row per group; a key is the level's dimension values, after the currency when
    `with_currency`."""
    lists = {name: figures[name].tolist() for name in FIGURE_NAMES}
    counts = figures["count"].tolist()
    rows = []
    for i, key in enumerate(group_keys):
        count = int(counts[i])
        values = key[1:] if with_currency else key
        row = {**base, "level": level, **dict(zip(DIMENSIONS[level], values, strict=True)), "count": count}
        if with_currency:
            row["currency"] = key[0]
        row.update({name: lists[name][i] if count else None for name in FIGURE_NAMES})
        rows.append(row)
    return rows


def _ordered(values: np.ndarray, cell_of: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(values, kind="stable")
    return values[order], cell_of[order]


def _level(cells: _Cells, level: str, values: np.ndarray, cell_of: np.ndarray, with_currency: bool
           ) -> tuple[np.ndarray, list[tuple[Any, ...]], dict[str, np.ndarray]]:
    """A level's group number per cell, its groups' keys, and their figures over `values`."""
    number, keys = cells.level_groups(level, with_currency)
    of_value = number[cell_of]
    if number.size and number.min() < 0:  # REGION: only some cells are in the level
        kept = of_value >= 0
        values, of_value = values[kept], of_value[kept]
    return number, keys, grouped_figures(values, of_value, len(keys))


def native_rows(role: str, cells: _Cells) -> list[dict[str, Any]]:
    values, cell_of = _ordered(cells.amounts, cells.cell_of)
    rows = []
    for level in LEVELS:
        _, keys, figures = _level(cells, level, values, cell_of, with_currency=True)
        rows.extend(_rows(level, keys, figures, {"role": role, "normalized_to": None}, with_currency=True))
    return rows


def _conversions(cells: _Cells, number: np.ndarray, groups: int, factors: list[Factor | None], rates: RateTable,
                 target: str) -> list[dict[str, Any]]:
    """Each group's `conversion`: the years whose rates it used, what it could not convert and why,
    and how many observations of no stated year it converted, at which years' rates."""
    years: list[list[int]] = [[] for _ in range(groups)]
    unknown_year = [0] * groups
    unknown_year_rates: dict[int, set[int]] = defaultdict(set)
    used: dict[int, set[str]] = defaultdict(set)  # only groups that need one get a set
    unconvertible = [0] * groups
    missing: dict[int, set[str]] = defaultdict(set)
    year_of = np.array([f.year if f is not None else -1 for f in factors], dtype=np.int64)
    converted = (year_of >= 0) & (number >= 0)
    span = int(year_of.max(initial=0)) + 1  # one integer per (group, year) pair: np.unique on a flat array
    for pair in np.unique(number[converted] * span + year_of[converted]).tolist():  # ascending: years sorted
        years[pair // span].append(pair % span)
    if rates.sources:  # an operator's rates are in use: say whose, per group
        for i in np.flatnonzero(converted).tolist():
            used[number[i]].add(cells.keys[i][3])
    for i in np.flatnonzero(converted).tolist():
        if cells.keys[i][4] is None:  # no year of its own: converted at the latest rates
            unknown_year[number[i]] += int(cells.sizes[i])
            unknown_year_rates[number[i]].add(int(year_of[i]))
    for i in np.flatnonzero((year_of < 0) & (number >= 0)).tolist():
        unconvertible[number[i]] += int(cells.sizes[i])
        missing[number[i]].add(cells.keys[i][3])
    none: set[str] = set()
    return [{"currency": target, "rate_source": rates.source_for(used.get(g, none)), "rate_basis": RATE_BASIS,
             "years": years[g], "converted_count": None, "unconvertible_count": unconvertible[g],
             "unconvertible_currencies": sorted(missing.get(g, none)),
             "unconvertible_reasons": {c: rates.reason(c) for c in sorted(missing.get(g, none))},
             "unknown_year_count": unknown_year[g], "unknown_year_rates": sorted(unknown_year_rates.get(g, ()))}
            for g in range(groups)]


def normalised_rows(role: str, cells: _Cells, rates: RateTable, target: str
                    ) -> tuple[list[dict[str, Any]], np.ndarray]:
    """Every level's rows in `target`, and the role's converted amounts (sorted)."""
    factors = [rates.factor(key[3], key[4], target) for key in cells.keys]
    per_cell = np.array([f.value if f is not None else np.nan for f in factors])
    converted = cells.amounts * per_cell[cells.cell_of]
    convertible = ~np.isnan(converted)
    values, cell_of = _ordered(converted[convertible], cells.cell_of[convertible])
    rows = []
    for level in LEVELS:
        number, keys, figures = _level(cells, level, values, cell_of, with_currency=False)
        level_rows = _rows(level, keys, figures, {"role": role, "currency": target, "normalized_to": target},
                           with_currency=False)
        for row, conversion in zip(level_rows, _conversions(cells, number, len(keys), factors, rates, target),
                                   strict=True):
            row["conversion"] = {**conversion, "converted_count": row["count"]}
        rows.extend(level_rows)
    return rows, values


def summarise_role(role: str, cells: dict[CellKey, np.ndarray], min_cell_size: int,
                   rates: RateTable | None = None, targets: tuple[str, ...] = ()
                   ) -> tuple[list[dict[str, Any]], dict[str, np.ndarray]]:
    """Every row of one role (native, then normalised to each target), withheld where they must be,
    sorted; and the role's amounts converted to each target."""
    arrays = _Cells.of(cells)
    rows = native_rows(role, arrays)
    converted = {}
    for target in targets if rates is not None else ():
        normalised, amounts = normalised_rows(role, arrays, rates, target)  # type: ignore[arg-type]
        rows.extend(normalised)
        converted[target] = amounts
    rows.sort(key=cell_order)
    return disclosure.withhold(rows, min_cell_size), converted
