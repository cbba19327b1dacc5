"""Each role's roll-up: what the last full read of its observations found, so that the next run
of the role reads only the observations stored since.

A roll-up is a role's cells as `salary_stats.read_cells` returns them (each cell's sorted
full-time amounts, the count of every observation per cell key, the newest `_id` read), kept in
`salary_rollups` (amounts as float64 bytes, in parts under MongoDB's document limit). A run of the
role then
1. reads the observations whose `_id` is greater than the roll-up's newest (the role index, so
   a handful of documents after one submission), then
2. counts the role's observations up to the newest `_id` it has now seen (a count scan of the
   role's index entries, no document read), and
3. uses the roll-up only when that count is the roll-up's plus what step 1 read: every observation
   is then in exactly one of the two. An insert that was given its `_id` before the roll-up's
   newest but stored after it (another API process, a retried write), a deletion, or a part of the
   roll-up from another write makes the counts differ, and the role is read whole again.

What a count cannot see: an observation edited in place, or a deletion balanced by a late insert.
careergraph's own edits (undoing an import, moving old identities) forget the roll-ups of the roles
they touch; after an edit by hand, `careergraph recompute --from-scratch` forgets them all.

Roll-ups are rewritten when what came after them reaches `REWRITE_SHARE` of them (at least
`REWRITE_MIN` observations), so a run after one submission writes nothing here. A worker keeps the
cells of the roles it last ran in memory (at most `MEMORY_VALUES` amounts): while the stored
roll-up is the one they grew from (its generation), the next run starts from them and reads none
of the stored amounts; the count check above applies all the same.
"""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from bson import Binary
from pymongo import DeleteMany, ReplaceOne
from pymongo.asynchronous.database import AsyncDatabase

from service.employment import SUMMARISED
from service.store import database as c
from service.summaries import salary_stats
from service.summaries.salary_stats import RoleCells

Db = AsyncDatabase[dict[str, Any]]
T = TypeVar("T")
PART_VALUES = 1_000_000  # float64s per stored part: 8 MB, under MongoDB's 16 MB document
REWRITE_MIN = 1_000
REWRITE_SHARE = 0.02
MEMORY_VALUES = 2_000_000  # amounts kept in a worker's memory across runs: 16 MB

_memory: OrderedDict[tuple[str, str], tuple[str, RoleCells]] = OrderedDict()  # (db, role) -> (generation, cells)


@cache
def layout() -> str:
    """A digest of what decides a roll-up's content: a roll-up from other code is not used."""
    digest = hashlib.sha256(repr(SUMMARISED).encode())
    digest.update(Path(str(salary_stats.__file__)).read_bytes())  # how cells are read
    digest.update(Path(__file__).read_bytes())  # how they are stored
    return digest.hexdigest()[:16]


async def load(db: Db, role: str) -> RoleCells | None:
    """The role's stored roll-up, or None when there is none whole and of this code's layout."""
    docs = [d async for d in db[c.SALARY_ROLLUPS].find({"role": role}).sort("part", 1)]
    if not docs:
        return None
    head = docs[0]
    whole = [d["part"] for d in docs] == list(range(head["parts"])) and all(
        d["generation"] == head["generation"] for d in docs)
    if not whole or head["layout"] != layout() or head.get("through") is None:
        return None
    parts = [np.frombuffer(d["amounts"], dtype="<f8") for d in docs]
    amounts = np.concatenate(parts) if len(parts) > 1 else parts[0]
    sizes = head["sizes"]
    if sum(sizes) != amounts.size:
        return None
    found = RoleCells(role, through=head["through"], observed_through=head.get("observed_through"))
    offsets = np.concatenate(([0], np.cumsum(sizes, dtype=np.int64))).tolist()
    for i, (key, size, seen) in enumerate(zip(head["keys"], sizes, head["seen"], strict=True)):
        cell = tuple(key)
        if size:
            found.cells[cell] = amounts[offsets[i]:offsets[i + 1]]
        found.seen[cell] = seen
    return found


async def store(db: Db, found: RoleCells) -> str | None:
    """Replace the role's roll-up with `found` (a new generation, returned; parts of an older one
    that remain are removed)."""
    if found.through is None:
        await forget(db, [found.role])
        return None
    keys = list(found.seen)
    sizes = [int(found.cells[k].size) if k in found.cells else 0 for k in keys]
    parts_of = [found.cells[k] for k in keys if k in found.cells]
    data = np.ascontiguousarray(np.concatenate(parts_of) if parts_of else np.empty(0), dtype="<f8")
    parts = max(1, -(-data.size // PART_VALUES))
    generation = uuid.uuid4().hex
    operations: list[Any] = []
    for part in range(parts):
        doc: dict[str, Any] = {
            "role": found.role, "part": part, "parts": parts, "generation": generation, "layout": layout(),
            "amounts": Binary(data[part * PART_VALUES:(part + 1) * PART_VALUES].tobytes())}
        if part == 0:
            doc.update({"through": found.through, "observed_through": found.observed_through,
                        "observations": found.observations, "keys": [list(k) for k in keys], "sizes": sizes,
                        "seen": [found.seen[k] for k in keys]})
        operations.append(ReplaceOne({"role": found.role, "part": part}, doc, upsert=True))
    operations.append(DeleteMany({"role": found.role, "part": {"$gte": parts}}))
    await db[c.SALARY_ROLLUPS].bulk_write(operations, ordered=True)
    return generation


@dataclass
class Extended:
    """A roll-up and what came after it, merged; `check` is the count that says whether to use it."""

    cells: RoleCells
    read: int
    check: Callable[[], Awaitable[bool]]


async def extend(db: Db, base: RoleCells) -> Extended | None:
    """The role's cells now, if the count check passes: `base` and the observations stored after
    it (see the module's docstring); and how many observations were read."""
    observations = db[c.SALARY_OBSERVATIONS]
    if base.through is None:
        return None
    tail: list[RoleCells] = []

    async def collect(found: RoleCells) -> None:
        tail.append(found)

    read = await salary_stats.read_cells(observations, [base.role], False, collect, after=base.through)
    newest = base.through
    merged = RoleCells(base.role, dict(base.cells), dict(base.seen), base.through, base.observed_through)
    for found in tail:
        if found.through is not None and found.through > newest:
            newest = found.through
        for key, seen in found.seen.items():
            merged.add(key, found.cells.get(key, np.empty(0)), seen, found.through, found.observed_through)

    async def check() -> bool:
        counted = await observations.count_documents({"role": base.role, "_id": {"$lte": newest}})
        return bool(counted == base.observations + read)

    return Extended(merged, read, check)


def worth_storing(stored: int, now: int) -> bool:
    """Whether a run should write the role's roll-up again: enough came after the stored one."""
    return now - stored >= max(REWRITE_MIN, REWRITE_SHARE * stored)


async def current(db: Db, role: str, use: Callable[[RoleCells], Awaitable[T]]) -> tuple[RoleCells, int, T] | None:
    """The role's cells now, from its roll-up (or this worker's newer copy of it) and what came
    after; how many observations were read; and what `use` made of the cells, which runs beside
    the count check (its result is dropped when the check fails). Writes the roll-up again when
    `worth_storing`. None when there is no usable roll-up: the role must be read whole."""
    head = await db[c.SALARY_ROLLUPS].find_one({"role": role, "part": 0},
                                               {"generation": 1, "layout": 1, "observations": 1})
    slot = (db.name, role)
    kept = _memory.pop(slot, None)
    if head is None or head["layout"] != layout():
        return None
    generation = head["generation"]
    base = kept[1] if kept is not None and kept[0] == generation else await load(db, role)
    extended = await extend(db, base) if base is not None else None
    if extended is None:
        return None
    passed, made = await asyncio.gather(extended.check(), use(extended.cells))
    if not passed:
        return None
    found = extended.cells
    if worth_storing(head["observations"], found.observations):
        generation = await store(db, found) or generation
    _remember(slot, generation, found)
    return found, extended.read, made


def _remember(slot: tuple[str, str], generation: str, found: RoleCells) -> None:
    size = sum(cells.size for cells in found.cells.values())
    if size > MEMORY_VALUES:
        return
    _memory[slot] = (generation, found)
    held = sum(sum(v.size for v in kept.cells.values()) for _, kept in _memory.values())
    while held > MEMORY_VALUES:
        _, (_, dropped) = _memory.popitem(last=False)
        held -= sum(v.size for v in dropped.cells.values())


async def forget(db: Db, roles: Sequence[str] | None = None) -> None:
    """Drop the roll-ups of `roles` (every role when None): their next runs read them whole."""
    await db[c.SALARY_ROLLUPS].delete_many({} if roles is None else {"role": {"$in": list(roles)}})
