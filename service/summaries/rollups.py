"""Each role's roll-up: its cells at a position of the change stream, so that the next run of the
role reads only the changes committed after it, whatever process wrote them.

A roll-up is a role's cells (`cells.RoleCells`: each cell's sorted full-time amounts, how many
observations of every employment type each cell key has, the newest `_id` for the reuse
fingerprint) and the position (`positions`) up to which it holds every observation of the role.
It is kept in `salary_rollups` with its amounts as float64 bytes in parts of `PART_VALUES`, so a
cell of any size spans parts and no document holds more than one part. A run of a role:
1. takes the roll-up: this worker's copy of it when the stored one is the one the copy grew from
   (its generation), else the stored one;
2. reads the role's changes after the roll-up's position and applies them (`positions`);
3. when there is no roll-up, or its position cannot be used (see `positions.Lost`), reads the role
   whole (`cell_reads`, each chunk at a snapshot) and applies the changes after the earliest
   chunk's time, which puts the new roll-up exactly at the stream's position; the reason is given
   back for the run's record.

Roll-ups are written after every whole read, and after changes once they reach `REWRITE_SHARE` of
the stored roll-up (at least `REWRITE_MIN`), so a run after one submission writes nothing here.
A worker keeps the cells of the roles it last ran in memory (at most `MEMORY_VALUES` amounts).
careergraph's own edits in place (undoing an import, moving old identities) drop the roll-ups of
the roles they touch, and `careergraph recompute --from-scratch` drops them all.
"""

from __future__ import annotations

import hashlib
import uuid
import weakref
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from bson import Binary
from pymongo import DeleteMany, ReplaceOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from service.employment import SUMMARISED
from service.store import database as c
from service.summaries import cell_reads, cells, positions, salary_stats
from service.summaries.cells import RoleCells

Db = AsyncDatabase[dict[str, Any]]
PART_VALUES = 1_000_000  # float64s per stored part: 8 MB, under MongoDB's 16 MB document
REWRITE_MIN = 1_000
REWRITE_SHARE = 0.02
MEMORY_VALUES = 2_000_000  # amounts kept in a worker's memory across runs: 16 MB
NO_ROLLUP = "no roll-up yet"
FROM_SCRATCH = "from scratch"


@dataclass
class _Kept:
    generation: str
    cells: RoleCells
    since_stored: int  # changes applied since the stored roll-up


_memory: OrderedDict[tuple[str, str], _Kept] = OrderedDict()  # (db, role) -> this worker's newest copy
_streams: weakref.WeakKeyDictionary[Any, bool] = weakref.WeakKeyDictionary()


@cache
def layout() -> str:
    """A digest of what decides a roll-up's content: a roll-up from other code is not used."""
    digest = hashlib.sha256(repr(SUMMARISED).encode())
    for module in (cells, cell_reads, positions):  # how cells are read and changed
        digest.update(Path(str(module.__file__)).read_bytes())
    digest.update(Path(__file__).read_bytes())  # how they are stored
    return digest.hexdigest()[:16]


@dataclass
class Fresh:
    """A role's cells now, how many observations (or changes) were read for them, and why the
    role was read whole (None: from its roll-up)."""

    cells: RoleCells
    read: int
    read_whole: str | None = None


async def load(db: Db, role: str) -> RoleCells | None:
    """The role's stored roll-up, or None when there is none whole, of this code's layout, with a position."""
    docs = [d async for d in db[c.SALARY_ROLLUPS].find({"role": role}).sort("part", 1)]
    if not docs:
        return None
    head = docs[0]
    whole = [d["part"] for d in docs] == list(range(head["parts"])) and all(
        d["generation"] == head["generation"] for d in docs)
    if not whole or head["layout"] != layout() or head.get("position") is None:
        return None
    parts = [np.frombuffer(d["amounts"], dtype="<f8") for d in docs]
    amounts = np.concatenate(parts) if len(parts) > 1 else parts[0]
    sizes = head["sizes"]
    if sum(sizes) != amounts.size:
        return None
    found = RoleCells(role, through=head.get("newest"), observed_through=head.get("observed_through"),
                      position=head["position"])
    offsets = np.concatenate(([0], np.cumsum(sizes, dtype=np.int64))).tolist()
    for i, (key, size, seen) in enumerate(zip(head["keys"], sizes, head["seen"], strict=True)):
        cell = tuple(key)
        if size:
            found.cells[cell] = amounts[offsets[i]:offsets[i + 1]]
        found.seen[cell] = seen
    return found


async def store(db: Db, found: RoleCells) -> str | None:
    """Replace the role's roll-up with `found` (a new generation, returned; parts of an older one
    that remain are removed). Cells without a position are not kept: the role's roll-up goes."""
    if found.position is None:
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
            doc.update({"position": found.position, "newest": found.through, "observed_through": found.observed_through,
                        "observations": found.observations, "keys": [list(k) for k in keys], "sizes": sizes,
                        "seen": [found.seen[k] for k in keys]})
        operations.append(ReplaceOne({"role": found.role, "part": part}, doc, upsert=True))
    operations.append(DeleteMany({"role": found.role, "part": {"$gte": parts}}))
    await db[c.SALARY_ROLLUPS].bulk_write(operations, ordered=True)
    return generation


def worth_storing(stored: int, changes: int) -> bool:
    """Whether a run should write the role's roll-up again: enough changed since the stored one."""
    return changes >= max(REWRITE_MIN, REWRITE_SHARE * stored)


async def has_change_stream(db: Db) -> bool:
    """Whether the server keeps a change stream (a replica set or `mongos`; not a standalone)."""
    client = db.client
    if client not in _streams:
        hello = await client.admin.command("hello")
        _streams[client] = "setName" in hello or hello.get("msg") == "isdbgrid"
    return _streams[client]


async def fresh(db: Db, role: str, observations: AsyncCollection[dict[str, Any]] | None = None,
                from_scratch: bool = False) -> Fresh:
    """The role's cells now: from its roll-up and the changes after it, else read whole (see the
    module's docstring). `observations` is where whole reads go (a secondary, say); changes are
    read from the primary, so a run sees every write acknowledged before it."""
    if from_scratch:
        return await whole(db, role, FROM_SCRATCH, observations)
    head = await db[c.SALARY_ROLLUPS].find_one({"role": role, "part": 0},
                                               {"generation": 1, "layout": 1, "observations": 1})
    slot = (db.name, role)
    kept = _memory.pop(slot, None)
    if head is None or head["layout"] != layout():
        return await whole(db, role, NO_ROLLUP if head is None else "roll-up of other code", observations)
    generation = head["generation"]
    since = kept.since_stored if kept is not None and kept.generation == generation else 0
    base = kept.cells if kept is not None and kept.generation == generation else await load(db, role)
    if base is None:
        return await whole(db, role, "roll-up torn or without a position", observations)
    try:
        changes = await positions.changes_since(db[c.SALARY_OBSERVATIONS], role, base.position)
        now = positions.apply(base, changes)
    except positions.Lost as lost:
        return await whole(db, role, lost.reason, observations)
    since += changes.read
    if worth_storing(head["observations"], since):
        generation, since = await store(db, now) or generation, 0
    _remember(slot, _Kept(generation, now, since))
    return Fresh(now, changes.read)


async def whole(db: Db, role: str, reason: str, observations: AsyncCollection[dict[str, Any]] | None = None
                ) -> Fresh:
    """Read the role whole and store its roll-up, at the stream's position when the server keeps
    one (else the role is read whole every run, and `reason` says so)."""
    source = observations if observations is not None else db[c.SALARY_OBSERVATIONS]
    streams = await has_change_stream(db)
    read = await cell_reads.read_whole(source, role, at_snapshot=streams)
    found = read.cells.finish()
    total = found.observations
    newest = await salary_stats.newest_observation(db, role)
    if newest is not None:
        found.through, found.observed_through = newest["_id"], newest.get("created_at")
    if not streams:
        reason = positions.POSITION_REFUSED[40573]
    else:
        try:
            start = min(chunk.at for chunk in read.chunks if chunk.at is not None)
            changes = await positions.changes_since(db[c.SALARY_OBSERVATIONS], role, start, read.chunks)
            found = positions.apply(found, changes)
            total += changes.read
        except positions.Lost as lost:  # published as read; the next run reads the role whole again
            reason = f"{reason}; then {lost.reason}"
    generation = await store(db, found)
    if generation is not None:
        _remember((db.name, role), _Kept(generation, found, 0))
    return Fresh(found, total, reason)


def _remember(slot: tuple[str, str], kept: _Kept) -> None:
    if kept.cells.amounts > MEMORY_VALUES:
        return
    _memory[slot] = kept
    held = sum(k.cells.amounts for k in _memory.values())
    while held > MEMORY_VALUES:
        _, dropped = _memory.popitem(last=False)
        held -= dropped.cells.amounts


async def forget(db: Db, roles: Sequence[str] | None = None) -> None:
    """Drop the roll-ups of `roles` (every role when None): their next runs read them whole."""
    await db[c.SALARY_ROLLUPS].delete_many({} if roles is None else {"role": {"$in": list(roles)}})
