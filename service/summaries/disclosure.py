"""Which of a role's groups show figures in a release, and why the rest do not.

Every group the service publishes (every level, native and pooled into a currency) is a union of
the engine's cells, country x region x experience band x currency x year x metro area, each split into submitted
rows and rows of public files. Those cells are the *atoms* of disclosure: a release lets submitted
rows into an atom only so that it then holds 0 or at least `CAREERGRAPH_MIN_CELL_SIZE` of them, and
only in steps of at least `CAREERGRAPH_RELEASE_CHANGES` rows in or out (`service.summaries.release`).
So any published figure, any difference of two figures (two views of one release, where one group
holds another or not, pooled or native, or two versions of one group), and any sum or difference of
many, covers whole atoms and their steps: the submitted rows it depends on are never 1 to k-1.
That holds whatever groups happen to contain one another in the data, which suppressing the
smallest sibling cannot promise (docs/privacy.md shows two ways it fails).

What is left here: a group shows figures with at least `min_group` observations; fewer are not
enough to say anything (the counts are still shown).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from service.summaries.groups import DIMENSIONS, LEVELS, CellKey, is_protected

GroupKey = tuple[Any, ...]  # (normalized_to, level, currency, *the level's dimension values)

TOO_FEW = "fewer observations than the minimum"
REASONS = {"TOO_FEW": TOO_FEW}
EXACT_FIGURES = ("mean", "stddev", "min", "max", "p10", "p25", "median", "p75", "p90")
_POSITION = {"country": 0, "region_code": 1, "experience_band": 2, "year": 4, "metro_code": 6}


def key_of(row: dict[str, Any]) -> GroupKey:
    """A published row's group."""
    return (row.get("normalized_to"), row["level"], row["currency"], *(row.get(d) for d in DIMENSIONS[row["level"]]))


def groups_of_cell(cell: CellKey, regioned: set[Any], convertible: dict[str, set[str]]) -> list[GroupKey]:
    """The groups a cell belongs to: at every level, native and pooled into each target of
    `convertible` that converts its currency; REGION only in `regioned` countries, METRO only for a
    cell placed in a metro area."""
    bases = [(None, cell[3])] + [(target, target) for target, codes in convertible.items() if cell[3] in codes]
    metro = cell[_POSITION["metro_code"]] if len(cell) > _POSITION["metro_code"] else None
    return [(target, level, currency, *(cell[_POSITION[d]] for d in DIMENSIONS[level])) for level in LEVELS
            if (level != "REGION" or cell[0] in regioned) and (level != "METRO" or metro is not None)
            for target, currency in bases]


def submitted_by_group(cells: dict[CellKey, int], convertible: dict[str, set[str]]) -> dict[GroupKey, int]:
    """Each group's number of submitted rows, from each cell's count."""
    live = {cell: n for cell, n in cells.items() if n > 0}
    regioned = {cell[0] for cell in live if cell[1] is not None}
    found: dict[GroupKey, int] = defaultdict(int)
    for cell, n in live.items():
        if is_protected(cell):
            for key in groups_of_cell(cell, regioned, convertible):
                found[key] += n
    return dict(found)


def reason_to_hide(count: int, min_group: int) -> str | None:
    """Why a group of `count` released observations shows no figures (a key of REASONS), or None."""
    return "TOO_FEW" if count < min_group else None


def mark_exact(rows: list[dict[str, Any]], min_group: int) -> list[dict[str, Any]]:
    """Exact rows (`live: true`, admins only): a group under the minimum shows its count only."""
    for row in rows:
        row["sufficient"] = row["count"] >= min_group
        row["withheld"] = not row["sufficient"]
        row["withheld_reason"] = None if row["sufficient"] else TOO_FEW
        if row["withheld"]:
            row.update(dict.fromkeys(EXACT_FIGURES))
    return rows
