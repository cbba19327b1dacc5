"""Atoms of disclosure: a release changes each atom by 0 or at least `min_changes` submitted rows and
leaves it with 0 or at least `min_group`; every published group is a union of atoms, as the engine
builds its rows (so any figure, or difference of figures, covers whole atoms)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
from bson import ObjectId
from hypothesis import given, settings
from hypothesis import strategies as st

from service.official.fx import RateTable
from service.salaries.visibility import NEW, WITHDRAWN
from service.summaries import disclosure, groups
from service.summaries.release import Row, Rules, admit

REGIONS = {"US": ["US-TX", "US-CA", None], "DE": [None], "GB": [None], None: [None]}
atom_keys = st.tuples(st.sampled_from(["US", "DE", "GB", None]), st.integers(0, 2),
                      st.sampled_from(["entry", "mid", None]), st.sampled_from(["USD", "EUR", "GBP"]),
                      st.sampled_from([2023, 2024, None]), st.booleans()
                      ).map(lambda k: (k[0], REGIONS[k[0]][k[1] % len(REGIONS[k[0]])], *k[2:]))


@settings(max_examples=300, deadline=None)
@given(released=st.dictionaries(atom_keys, st.integers(min_value=0, max_value=12), max_size=8),
       changes=st.lists(st.tuples(st.integers(0, 7), st.sampled_from([NEW, WITHDRAWN]), st.booleans()),
                        max_size=40),
       k=st.integers(min_value=2, max_value=6))
def test_a_release_changes_an_atom_by_none_or_enough(released: dict[tuple[Any, ...], int],
                                                     changes: list[tuple[int, str, bool]], k: int) -> None:
    atoms = sorted(released, key=repr) or [("US", None, "mid", "USD", 2024, True)]
    cells = {a: np.sort(np.arange(1.0, n + 1)) * 1000 for a, n in released.items() if n}
    candidates = []
    for i, (which, hold, counted) in enumerate(changes):
        atom = atoms[which % len(atoms)]
        candidates.append(Row(ObjectId(), atom, float(i + 1) if counted else None, atom[4], hold))
    batch = admit(candidates, cells, Rules(k, k))
    taken = {r.id for r in batch}
    by_atom: dict[tuple[Any, ...], list[Row]] = defaultdict(list)
    for row in candidates:
        if row.amount is None:
            assert row.id in taken  # pay no figure counts goes straight in
        else:
            by_atom[row.cell].append(row)
    for atom, rows in by_atom.items():
        inside = [r.id in taken for r in rows]
        assert all(inside) or not any(inside)  # all of an atom's changes, or none
        if all(inside):
            before = cells[atom].size if atom in cells else 0
            after = before + sum(r.hold == NEW for r in rows) - sum(r.hold == WITHDRAWN for r in rows)
            assert len(rows) >= k and (after == 0 or after >= k)


@settings(max_examples=100, deadline=None)
@given(cells=st.dictionaries(atom_keys, st.integers(min_value=1, max_value=4), min_size=1, max_size=20))
def test_every_published_group_is_a_union_of_atoms(cells: dict[tuple[Any, ...], int]) -> None:
    """The groups `disclosure` says an atom belongs to are exactly the rows the engine builds from
    it: every row's count is the sum of its atoms', native and pooled, at every level."""
    amounts = {cell: np.arange(1.0, n + 1) * 10_000 for cell, n in cells.items()}
    rates = RateTable(years={2024: {"USD": 1.1, "GBP": 0.85}})
    convertible = {t: {c for c in ("USD", "EUR", "GBP") if rates.factor(c, None, t) is not None}
                   for t in ("USD", "EUR")}
    rows, _ = groups.summarise_role("r", amounts, rates, ("USD", "EUR"))
    regioned = {cell[0] for cell in cells if cell[1] is not None}
    expected: dict[tuple[Any, ...], int] = defaultdict(int)
    for cell, n in cells.items():
        for key in disclosure.groups_of_cell(cell, regioned, convertible):
            expected[key] += n
    assert {disclosure.key_of(r): r["count"] for r in rows if r["count"]} == dict(expected)
