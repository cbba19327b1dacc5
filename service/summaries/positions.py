"""A role's position in commit order: what its roll-up holds, as a point of MongoDB's change stream.

Observation ids are made by the client (`insert_many` in each API process), so ids from two
processes are not in the order their writes were committed, and "everything after the newest
`_id`" misses writes. The change stream is in commit order (on a replica set, and through
`mongos`): a roll-up keeps the resume token up to which it holds every observation of its role,
and a role's run reads the role's changes after that token, and nothing else.

- A change is an insert (added), a deletion (taken out, from its pre-image: the collection keeps
  pre- and post-images, `database.PRE_IMAGES`), or an edit (its old version out, its new one in).
- A whole read (`cell_reads`) reads each chunk of the role at a snapshot; the changes after the
  earliest chunk's cluster time are then applied to each chunk only when they came after that
  chunk's own time, so the cells are exactly the role's observations up to the stream's position.
- The position is no longer usable when the oplog has moved past it (history lost), when the token
  is not the server's, when a change cannot be attributed (a deletion or edit whose pre-image is
  gone, a dropped or renamed collection), or on a server with no change stream (a standalone
  `mongod`). The role is then read whole, once, and the run's record says why (`Lost.reason`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import pymongo
from bson import ObjectId, Timestamp
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import OperationFailure

from service.summaries.cell_reads import DEADLINE_S, Chunk, bson_rank
from service.summaries.cells import CellParts, RoleCells, cell_key, summarised

Collection = AsyncCollection[dict[str, Any]]
FIELDS = ("role", "country", "region_code", "experience_band", "currency", "year", "employment_type", "public",
          "metro_code", "amount", "created_at")
CHANGES = ("insert", "update", "replace", "delete")
BATCH = 1000
#: Errors that pass (a failover, a shutdown, a timeout): the run fails and is retried. Any other
#: refusal of the stream is for good, and the role is read whole.
TRANSIENT = {6, 7, 50, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436}
POSITION_REFUSED = {
    286: "the oplog no longer holds the position (history lost)",
    280: "the change stream cannot resume from the position",
    260: "the position is not a valid resume token",
    50811: "the position is not a valid resume token",
    40573: "the server has no change stream (not a replica set)",
}


class Lost(Exception):
    """The position cannot be used: the role must be read whole (`reason` says why)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def after(at: Timestamp) -> Timestamp:
    """The first cluster time after `at` (a change stream starts at the time it is given)."""
    return Timestamp(at.time, at.inc + 1) if at.inc < 0xFFFFFFFF else Timestamp(at.time + 1, 0)


def _pipeline(role: str) -> list[dict[str, Any]]:
    shown = {f"{image}.{name}": 1 for image in ("fullDocument", "fullDocumentBeforeChange") for name in FIELDS}
    return [
        {"$match": {"$or": [
            {"fullDocument.role": role}, {"fullDocumentBeforeChange.role": role},
            {"operationType": {"$in": list(CHANGES[1:])}, "fullDocumentBeforeChange": None},  # cannot tell whose
            {"operationType": {"$nin": list(CHANGES)}},  # drop, rename, invalidate: everyone's
        ]}},
        {"$project": {"operationType": 1, "clusterTime": 1, "documentKey": 1, **shown}},
    ]


@dataclass
class Changes:
    """A role's changes since a position: what to add, what to take out, and the new position."""

    role: str
    added: CellParts
    removed: list[dict[str, Any]] = field(default_factory=list)
    read: int = 0
    position: Any = None
    newest: Any = None
    observed_through: datetime | None = None

    def add(self, doc: dict[str, Any], change_id: Any) -> None:
        self.added.add(_key(doc), [float(doc["amount"])], 1, summarised(doc))
        if isinstance(change_id, ObjectId) and (self.newest is None or change_id > self.newest):
            self.newest = change_id
        created = doc.get("created_at")
        if created is not None and (self.observed_through is None or created > self.observed_through):
            self.observed_through = created


def _key(doc: dict[str, Any]) -> tuple[Any, ...]:
    return cell_key(doc)


async def changes_since(collection: Collection, role: str, start: Any, chunks: Sequence[Chunk] = ()) -> Changes:
    """The role's changes after `start` (a resume token, or a cluster time: changes after it),
    up to the stream's present. With `chunks` (a whole read's), a change that the chunk holding
    its document had already read is skipped. Raises Lost."""
    where: dict[str, Any] = ({"start_after": start} if isinstance(start, dict)
                             else {"start_at_operation_time": after(start)})
    try:
        with pymongo.timeout(DEADLINE_S):
            return await _read(collection, role, where, chunks)
    except OperationFailure as exc:
        if exc.code in TRANSIENT or exc.has_error_label("ResumableChangeStreamError"):
            raise
        name = (exc.details or {}).get("codeName", exc.code)
        raise Lost(POSITION_REFUSED.get(exc.code or 0, f"the change stream refused the position ({name})")) from exc


async def _read(collection: Collection, role: str, where: dict[str, Any], chunks: Sequence[Chunk]) -> Changes:
    found = Changes(role, CellParts(role))
    async with await collection.watch(
            _pipeline(role), full_document="whenAvailable", full_document_before_change="whenAvailable",
            max_await_time_ms=1, batch_size=BATCH, **where) as stream:
        while (change := await stream.try_next()) is not None:
            if chunks and _already_read(change, chunks):
                continue
            _take(found, role, change)
        found.position = stream.resume_token
    return found


def _take(found: Changes, role: str, change: dict[str, Any]) -> None:
    kind = change["operationType"]
    if kind not in CHANGES:
        raise Lost(f"the observations collection had a {kind} event")
    before, now = change.get("fullDocumentBeforeChange"), change.get("fullDocument")
    if kind != "insert" and before is None:
        raise Lost(f"an observation's {kind} came without its pre-image")
    if kind in ("update", "replace") and now is None:
        raise Lost(f"an observation's {kind} came without its post-image")
    found.read += 1
    if before is not None and before.get("role") == role:
        found.removed.append(before)
    if now is not None and now.get("role") == role:
        found.add(now, change["documentKey"]["_id"])


def apply(base: RoleCells, changes: Changes) -> RoleCells:
    """`base` with `changes` applied (a new RoleCells at the changes' position; `base` is left as
    it was). Raises Lost when a deletion takes out what `base` does not hold."""
    added = changes.added.finish()
    merged = base.copy()
    for key, seen in added.seen.items():
        merged.seen[key] = merged.seen.get(key, 0) + seen
    for key, amounts in added.cells.items():
        old = merged.cells.get(key)
        merged.cells[key] = amounts if old is None else _merge_sorted(old, amounts)
    for doc in changes.removed:
        if not merged.remove(doc):
            raise Lost("a deletion took out an observation the roll-up does not hold")
    merged.position = changes.position
    if changes.newest is not None and (merged.through is None or _later(changes.newest, merged.through)):
        merged.through = changes.newest
    if changes.observed_through is not None and (
            merged.observed_through is None or changes.observed_through > merged.observed_through):
        merged.observed_through = changes.observed_through
    return merged


def _merge_sorted(old: np.ndarray, new: np.ndarray) -> np.ndarray:
    return np.insert(old, np.searchsorted(old, new, side="right"), new)


def _later(a: Any, b: Any) -> bool:
    try:
        return bool(a > b)
    except TypeError:  # ids of different types: the fingerprint will tell
        return False


# -- which chunk of a whole read holds a document ---------------------------------------------------

def _already_read(change: dict[str, Any], chunks: Sequence[Chunk]) -> bool:
    """Whether the chunk whose range holds the changed document was read at or after the change."""
    at, place = change["clusterTime"], change["documentKey"]["_id"]
    try:
        rank = bson_rank(place)
        for chunk in chunks:
            if chunk.rank != rank or (chunk.low is not None and place < chunk.low) or (
                    chunk.high is not None and not place < chunk.high):
                continue
            if chunk.at is None:
                raise Lost("a chunk of the whole read has no snapshot time")
            return bool(at <= chunk.at)
    except TypeError:
        raise Lost(f"an observation's _id is a {type(place).__name__}, which this reader cannot place in a chunk"
                   ) from None
    raise Lost("no chunk of the whole read holds a changed observation")
