"""What a published summary may show without identifying anyone.

- **Primary:** a group of fewer than `min_cell_size` observations is `withheld`: its count is
  shown, every figure (mean, stddev, minimum, maximum, percentiles) is not. With one person in a
  group, its mean is that person's pay; with two, mean and stddev give both amounts.
- **Complementary:** counts and means of published groups add up. When a published roll-up has
  exactly one withheld part along one of its dimensions (a COUNTRY row over its bands, regions or
  years, a BAND row over its countries, a YEAR row over its countries, the ROLE row over countries,
  bands or years), the withheld part's sum (and sum of squares)
  would be the roll-up's minus the others'. So the smallest other part is withheld too (or, when
  the withheld part is the roll-up's only one, the roll-up, which equals it), and this is repeated
  until no published roll-up has a lone withheld part. A normalised group with nothing convertible
  (count 0) holds nobody's pay, so it never makes its siblings withheld.

Rows are dictionaries as `salary_stats` builds them: `level`, `currency`, the level's dimensions
and the figures. Native rows keep currencies apart and normalised rows pool them into one, so
parts and wholes share a currency (and a target).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

FIGURES = ("mean", "stddev", "min", "max", "p10", "p25", "median", "p75", "p90")
#: (whole's level, part's level, the dimensions a part shares with its whole)
PARTITIONS = (
    ("COUNTRY", "CELL", ("country",)),
    ("BAND", "CELL", ("experience_band",)),
    ("ROLE", "COUNTRY", ()),
    ("ROLE", "BAND", ()),
    ("COUNTRY", "REGION", ("country",)),
    ("ROLE", "YEAR", ()),
    ("COUNTRY", "COUNTRY_YEAR", ("country",)),
    ("YEAR", "COUNTRY_YEAR", ("year",)),
)


COMPLEMENTARY = "withheld so that a withheld neighbour cannot be derived from the totals"


def _smallest_first(row: dict[str, Any]) -> tuple[int, str, str, str, str]:
    return (row["count"], str(row.get("country")), str(row.get("experience_band")), str(row.get("region_code")),
            str(row.get("year")))


def _hide(row: dict[str, Any], reason: str) -> None:
    row["withheld"] = True
    row["withheld_reason"] = reason
    row.update(dict.fromkeys(FIGURES))


def _partitions(rows: list[dict[str, Any]]) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """(whole, its parts) for every partition of every roll-up row."""
    by_level: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_level[row["level"]].append(row)
    found = []
    for whole_level, part_level, shared in PARTITIONS:
        parts: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
        for part in by_level[part_level]:
            parts[(part.get("role"), part["currency"], part.get("normalized_to"),
                   *(part.get(d) for d in shared))].append(part)
        for whole in by_level[whole_level]:
            key = (whole.get("role"), whole["currency"], whole.get("normalized_to"), *(whole.get(d) for d in shared))
            if key in parts:  # a country with no REGION rows has no regions to add up
                found.append((whole, parts[key]))
    return found


def withhold(rows: list[dict[str, Any]], min_cell_size: int) -> list[dict[str, Any]]:
    """Mark `rows` (in place, and return them) with `sufficient` and `withheld`."""
    for row in rows:
        row["sufficient"] = row["count"] >= min_cell_size
        row["withheld"], row["withheld_reason"] = False, None
        if not row["sufficient"]:
            _hide(row, "fewer observations than the minimum")
    partitions = _partitions(rows)
    changed = True
    while changed:
        changed = False
        for whole, parts in partitions:
            hidden = [p for p in parts if p["withheld"] and p["count"]]  # an empty part gives nothing away
            if whole["withheld"] or len(hidden) != 1:
                continue
            shown = [p for p in parts if not p["withheld"]]
            # with siblings shown, the smallest goes too; with none, the total is the part itself
            _hide(min(shown, key=_smallest_first) if shown else whole, COMPLEMENTARY)
            changed = True
    return rows
