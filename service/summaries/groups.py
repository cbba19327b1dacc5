"""From a role's cells to its published rows: every level, native and normalised, with figures.

A role's cells come from MongoDB keyed as `cells.cell_key` says, each a sorted array of amounts.
The levels, each keyed by currency (native rows never mix currencies):

| level | groups by |
| --- | --- |
| CELL | country x experience band |
| COUNTRY | country |
| BAND | experience band |
| ROLE | nothing: the role's total |
| REGION | country x region (ISO 3166-2), in countries where observations carry one |
| YEAR | the year observed |
| COUNTRY_YEAR | country x year |
| METRO | country x OEWS metro area (`official.metros`), of observations placed in one only |

Without `level`, reads return the first four. A normalised row (`normalized_to` USD or EUR) pools
every currency of its group into the target at the rate of each observation's year
(`service.official.fx`), and says how (`conversion`).

Figures are computed for every group of a level at once (`service.summaries.grouped`).

A cell key may carry a sixth element, whether the cell's amounts are submitted (protected) rather
than imported from a file their source publishes; levels ignore it. With a `PayBasis` the figures are
those the service publishes (`service.summaries.publication`): every figure is computed as above
from the amounts the basis gives (submitted ones on the coarse grid), except the percentiles of
groups with at least `fine_min` submitted amounts, read off the same amounts with each submitted one
spread over its grid cell (`Grid.spread_cells`). Without one, the
figures are exact.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from service.official.fx import RATE_BASIS, Factor, RateTable
from service.summaries.grid import Grid
from service.summaries.grouped import FIGURE_NAMES, grouped_figures, grouped_in_two_orders

DEFAULT_LEVELS = ("CELL", "COUNTRY", "BAND", "ROLE")
LEVELS = (*DEFAULT_LEVELS, "REGION", "YEAR", "COUNTRY_YEAR", "METRO")
DIMENSIONS = {"CELL": ("country", "experience_band"), "COUNTRY": ("country",), "BAND": ("experience_band",),
              "ROLE": (), "REGION": ("country", "region_code"), "YEAR": ("year",), "COUNTRY_YEAR": ("country", "year"),
              "METRO": ("country", "metro_code")}
CellKey = tuple[Any, ...]  # (country, region_code, experience_band, currency, year[, protected[, metro_code]])
_POSITION = {"country": 0, "region_code": 1, "experience_band": 2, "year": 4, "metro_code": 6}


@dataclass(frozen=True)
class PayBasis:
    """The amounts published figures are computed from: submitted amounts on `grid` (coarse), and
    spread over their cells for the percentiles of groups with at least `fine_min` submitted amounts."""

    grid: Grid
    fine_min: int


def is_protected(key: CellKey) -> bool:
    """Whether a cell holds submitted amounts (a key without the flag is taken as submitted)."""
    return bool(key[5]) if len(key) > 5 else True


def cell_order(row: dict[str, Any]) -> tuple[Any, ...]:
    return (row.get("normalized_to") or "", LEVELS.index(row["level"]), row["currency"],
            row.get("country") or "~", row.get("region_code") or "~", row.get("experience_band") or "~",
            row.get("year") or 0, row.get("metro_code") or "~")


@dataclass
class _Cells:
    """A role's cells as arrays: every amount (cells one after another), its cell's number, and
    each cell's key as a small integer per dimension (so levels group with numpy, not Python)."""

    keys: list[CellKey]
    sizes: np.ndarray
    amounts: np.ndarray
    cell_of: np.ndarray
    codes: np.ndarray  # (cells, 7): a number per key position, in the key's order (0: None, or a short key)
    in_region_level: np.ndarray  # cells of countries some of whose observations carry a region
    protected: np.ndarray  # cells of submitted amounts
    _groups: dict[tuple[str, bool], tuple[np.ndarray, list[tuple[Any, ...]]]]
    _made: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    spread: bool = False  # whether `published` spread the points (then no one order sorts both)

    @classmethod
    def of(cls, cells: dict[CellKey, np.ndarray]) -> _Cells:
        keys = list(cells)
        sizes = np.fromiter((cells[k].size for k in keys), dtype=np.int64, count=len(keys))
        amounts = np.concatenate([cells[k] for k in keys]) if keys else np.empty(0)
        codes = np.empty((len(keys), 7), dtype=np.int64)
        for position in range(7):
            numbers: dict[Any, int] = {None: 0}  # 0: none, so METRO's members are the cells coded above it
            codes[:, position] = [numbers.setdefault((*k, None, None)[position], len(numbers)) for k in keys]
        regioned = {k[0] for k in keys if k[1] is not None}
        return cls(keys, sizes, amounts.astype(np.float64, copy=False), np.repeat(np.arange(len(keys)), sizes),
                   codes, np.fromiter((k[0] in regioned for k in keys), dtype=bool, count=len(keys)),
                   np.fromiter((is_protected(k) for k in keys), dtype=bool, count=len(keys)), {})

    def published(self, basis: PayBasis | None) -> tuple[np.ndarray, np.ndarray | None]:
        """The amounts figures are computed from (cells one after another), and the fine ones
        (None without a basis: the exact amounts serve both). Made once per role."""
        if basis is None:
            return self.amounts, None
        if "published" not in self._made:
            coarse, fine, self.spread = basis.grid.published(self.amounts, self.protected[self.cell_of], self.cell_of,
                                                             self.keys, basis.fine_min)
            self._made["published"] = (coarse, fine)
        return self._made["published"]

    def level_groups(self, level: str, with_currency: bool) -> tuple[np.ndarray, list[tuple[Any, ...]]]:
        """Each cell's group number at `level` (-1: not in the level) and each group's values
        (the level's dimensions, and the currency first when `with_currency`)."""
        if (level, with_currency) not in self._groups:
            positions = ([3] if with_currency else []) + [_POSITION[d] for d in DIMENSIONS[level]]
            combined = np.zeros(len(self.keys), dtype=np.int64)
            for position in positions:
                combined = combined * (int(self.codes[:, position].max(initial=0)) + 1) + self.codes[:, position]
            member = self.in_region_level if level == "REGION" else self.codes[:, _POSITION["metro_code"]] > 0 \
                if level == "METRO" else np.ones(len(self.keys), dtype=bool)
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


@dataclass
class _Basis:
    """One currency basis's values in ascending order with each value's cell; its fine values in
    ascending order (None: exact figures) with theirs and the values in their order (both None when
    the fine values are in the order of the values); which cells count (the convertible ones)."""

    values: np.ndarray
    cell_of: np.ndarray
    fine: np.ndarray | None
    fine_cell_of: np.ndarray | None
    by_fine: np.ndarray | None
    counted: np.ndarray
    fine_min: int = 0

    @classmethod
    def ordered(cls, values: np.ndarray, cell_of: np.ndarray, fine: np.ndarray | None, counted: np.ndarray,
                fine_min: int, exact: np.ndarray | None = None) -> _Basis:
        """`exact`: the amounts the rounded ones came from, when their order may sort both."""
        if fine is None:
            order = np.argsort(values, kind="stable")
            return cls(values[order], cell_of[order], None, None, None, counted, fine_min)
        if exact is not None:  # both keep the amounts' order: one sort serves both
            order = np.argsort(exact, kind="stable")
            coarse, ordered_fine = values[order], fine[order]
            if np.all(coarse[1:] >= coarse[:-1]) and np.all(ordered_fine[1:] >= ordered_fine[:-1]):
                return cls(coarse, cell_of[order], ordered_fine, None, None, counted, fine_min)
        own = np.argsort(values, kind="stable")
        # in the coarse values' order the fine ones are nearly sorted already: timsort (numpy's
        # stable sort of floats) takes their long runs as they are
        order = own[np.argsort(fine[own], kind="stable")]
        return cls(values[own], cell_of[own], fine[order], cell_of[order], values[order], counted, fine_min)


def _level(cells: _Cells, level: str, basis: _Basis, with_currency: bool
           ) -> tuple[np.ndarray, list[tuple[Any, ...]], dict[str, np.ndarray]]:
    """A level's group number per cell, its groups' keys, and their figures over the basis's values."""
    number, keys = cells.level_groups(level, with_currency)
    values, of_value = basis.values, number[basis.cell_of]
    fine, of_fine, by_fine = basis.fine, None, basis.by_fine
    if basis.fine_cell_of is not None:
        of_fine = number[basis.fine_cell_of]
    if number.size and number.min() < 0:  # REGION: only some cells are in the level
        kept = of_value >= 0
        values, of_value = values[kept], of_value[kept]
        if of_fine is not None and fine is not None and by_fine is not None:
            inside = of_fine >= 0
            fine, of_fine, by_fine = fine[inside], of_fine[inside], by_fine[inside]
        elif fine is not None:
            fine = fine[kept]
    if fine is None:
        return number, keys, grouped_figures(values, of_value, len(keys))
    mine = cells.protected & basis.counted & (number >= 0)  # groups with enough submissions to spread
    marked = np.bincount(number[mine], weights=cells.sizes[mine], minlength=len(keys)) >= basis.fine_min
    if not marked.any():
        return number, keys, grouped_figures(values, of_value, len(keys))
    if of_fine is None or by_fine is None:
        return number, keys, grouped_figures(values, of_value, len(keys), fine, marked)
    return number, keys, grouped_in_two_orders(values, of_value, fine, of_fine, by_fine, len(keys), marked)


def native_rows(role: str, cells: _Cells, basis: PayBasis | None = None) -> list[dict[str, Any]]:
    coarse, fine = cells.published(basis)
    # of submitted amounts only, the amounts' own order sorts both, or when spread the spread values' own
    # order does (each lies in its point's cell); with rows of public files beside them, a point may pass a
    # public amount: each is sorted alone
    exact = (fine if cells.spread else cells.amounts) if basis is not None and cells.protected.all() else None
    ordered = _Basis.ordered(coarse, cells.cell_of, fine, np.ones(len(cells.keys), dtype=bool),
                             basis.fine_min if basis else 0, exact)
    rows = []
    for level in LEVELS:
        _, keys, figures = _level(cells, level, ordered, with_currency=True)
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


def normalised_rows(role: str, cells: _Cells, rates: RateTable, target: str, basis: PayBasis | None = None
                    ) -> tuple[list[dict[str, Any]], np.ndarray]:
    """Every level's rows in `target`, and the role's converted amounts (sorted; on the basis's coarse
    grid where it has one)."""
    factors = [rates.factor(key[3], key[4], target) for key in cells.keys]
    per_cell = np.array([f.value if f is not None else np.nan for f in factors])
    coarse, fine = cells.published(basis)
    factor = per_cell[cells.cell_of]
    converted = coarse * factor
    convertible = ~np.isnan(converted)
    ordered = _Basis.ordered(converted[convertible], cells.cell_of[convertible],
                             None if fine is None else (fine * factor)[convertible], ~np.isnan(per_cell),
                             basis.fine_min if basis else 0)
    values = ordered.values
    rows = []
    for level in LEVELS:
        number, keys, figures = _level(cells, level, ordered, with_currency=False)
        level_rows = _rows(level, keys, figures, {"role": role, "currency": target, "normalized_to": target},
                           with_currency=False)
        for row, conversion in zip(level_rows, _conversions(cells, number, len(keys), factors, rates, target),
                                   strict=True):
            row["conversion"] = {**conversion, "converted_count": row["count"]}
        rows.extend(level_rows)
    return rows, values


def summarise_role(role: str, cells: dict[CellKey, np.ndarray], rates: RateTable | None = None,
                   targets: tuple[str, ...] = (), basis: PayBasis | None = None
                   ) -> tuple[list[dict[str, Any]], dict[str, np.ndarray]]:
    """Every row of one role (native, then normalised to each target), sorted, with its figures
    (exact, or on `basis`), nothing withheld yet; and the role's amounts converted to each target."""
    arrays = _Cells.of(cells)
    rows = native_rows(role, arrays, basis)
    converted = {}
    for target in targets if rates is not None else ():
        normalised, amounts = normalised_rows(role, arrays, rates, target, basis)  # type: ignore[arg-type]
        rows.extend(normalised)
        converted[target] = amounts
    rows.sort(key=cell_order)
    return rows, converted
