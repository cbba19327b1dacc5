"""Reading a role's observations whole, in bounded chunks of its index.

The role's entries of the `(role, _id, country, region_code, experience_band, currency, year,
employment_type, amount)` index (`database.ROLE_CELLS_INDEX`) are read in chunks of at most
`CHUNK` entries, newest `_id` first. A chunk is an `_id` range: one pipeline takes the next
`CHUNK` entries below where the last chunk ended (`$sort` in the index's order, `$limit`) and
`$group`s them, pushing each cell's amounts of that chunk only, and the lowest `_id` it read; the
next chunk starts below that. So no document or message ever holds more
than a chunk's amounts, whatever the size of a cell (a chunk's amounts are merged into the role's
cells by `cells.CellParts`), and every round trip is bounded: a chunk answers after reading at
most `CHUNK` entries, never after reading the whole role, and runs under its own deadline
(`DEADLINE_S`), not the client's request-sized socket timeout. The index covers every field the group
reads, so no document is fetched (three times faster than fetching the role's documents through
the `(role, _id)` index at 1,000,000 observations, and the chunks come in the index's order).

With `at_snapshot`, each chunk is read at a snapshot (read concern "snapshot"), and the chunk
keeps that snapshot's cluster time (`snapshot_time`: the server's `atClusterTime`, never the
session's operation time, which can be later): every change to the chunk's range committed at or
before that time is in it, none after (`positions` makes a whole read exact at a position with that).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pymongo
from bson import Binary, Decimal128, Int64, MaxKey, MinKey, ObjectId, Timestamp
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import OperationFailure

from service.store.database import ROLE_CELLS_INDEX_NAME
from service.summaries.cells import CellParts, summarised

CHUNK = 200_000  # index entries per chunk: at most 200,000 amounts (about 3 MB) in one answer
#: Each chunk's (and each change stream read's) own deadline, instead of the client's request-sized
#: socket timeout: bounded work that only a server that stopped answering takes this long over.
DEADLINE_S = 300.0
BAD_VALUE = 2  # MongoDB's code for a hint that names no index
SNAPSHOT_TOO_OLD = 239
SNAPSHOT_TRIES = 3
GROUP_KEY = {"c": "$country", "r": "$region_code", "b": "$experience_band", "u": "$currency", "y": "$year",
             "e": "$employment_type", "p": "$public", "m": "$metro_code"}
Collection = AsyncCollection[dict[str, Any]]


#: MongoDB compares values of different types by type first, and a range query (`$lt`) stays in
#: its value's type; so chunks are ranges within one type, the types taken in the index's order.
#: (rank in MongoDB's order, `$type` names, the Python types of its values)
BRACKETS: tuple[tuple[int, tuple[str, ...], tuple[type, ...]], ...] = (
    (11, ("maxKey",), (MaxKey,)), (10, ("timestamp",), (Timestamp,)), (9, ("date",), (datetime,)),
    (8, ("bool",), (bool,)), (7, ("objectId",), (ObjectId,)), (6, ("binData",), (bytes, Binary)),
    (5, ("object",), (dict,)), (4, ("string", "symbol"), (str,)),
    (3, ("double", "int", "long", "decimal"), (int, float, Int64, Decimal128)), (2, ("null",), (type(None),)),
    (1, ("minKey",), (MinKey,)))
IDS = BRACKETS[4]  # what careergraph's writes make
OTHER_TYPES = [name for bracket in BRACKETS if bracket is not IDS for name in bracket[1]]


@dataclass(frozen=True)
class Chunk:
    """A range of the role's `_id`s within one type (`rank`, as MongoDB orders types; `low`
    inclusive, `high` exclusive; None: to the end of the type) and the cluster time it was read at
    (None: not a snapshot read)."""

    rank: int
    low: Any
    high: Any
    at: Timestamp | None


@dataclass
class WholeRead:
    cells: CellParts
    chunks: list[Chunk]


async def read_whole(collection: Collection, role: str, at_snapshot: bool = False) -> WholeRead:
    """Every observation of `role`, chunk by chunk (see the module's docstring)."""
    parts = CellParts(role)
    chunks: list[Chunk] = []
    await _read_type(collection, role, IDS, parts, chunks, at_snapshot)
    # ids careergraph does not make (a restore, say): every other type by name, which the index
    # bounds (`$not` would read every entry of the role)
    others = {"role": role, "_id": {"$type": OTHER_TYPES}}
    if await _find(collection, others) is not None:
        for bracket in BRACKETS:
            if bracket is not IDS:
                await _read_type(collection, role, bracket, parts, chunks, at_snapshot)
    return WholeRead(parts, chunks)


async def _read_type(collection: Collection, role: str, bracket: tuple[int, tuple[str, ...], tuple[type, ...]],
                     parts: CellParts, chunks: list[Chunk], at_snapshot: bool) -> None:
    rank, names, _ = bracket
    high: Any = None
    while True:
        match: dict[str, Any] = {"role": role, "_id": {"$type": list(names)}}
        if high is not None:
            match["_id"]["$lt"] = high
        with pymongo.timeout(DEADLINE_S):
            at, low = await _read_chunk(collection, match, parts, at_snapshot)
        chunks.append(Chunk(rank, low, high, at))
        if low is None:
            return
        high = low


def bson_rank(value: Any) -> int:
    """The rank of a value's type in MongoDB's order."""
    for rank, _, kinds in BRACKETS:
        if isinstance(value, kinds):  # bool comes before the numbers, which it is a kind of in Python
            return rank
    raise TypeError(f"no BSON type for a {type(value).__name__}")


async def _find(collection: Collection, match: dict[str, Any]) -> Any:
    try:
        return await collection.find_one(match, {"_id": 1}, hint=ROLE_CELLS_INDEX_NAME)
    except OperationFailure as exc:
        if not _missing_index(exc):
            raise
        return await collection.find_one(match, {"_id": 1})


async def _lowest(collection: Collection, match: dict[str, Any], docs: list[dict[str, Any]], entries: int) -> Any:
    """The lowest `_id` of a full chunk: from its groups, or (values Python cannot order, such as
    documents) the index entry where it ended."""
    try:
        return min(doc["low"] for doc in docs)
    except TypeError:
        cursor = collection.find(match, {"_id": 1}).sort("_id", -1).skip(entries - 1).limit(1)
        return (await cursor.to_list())[0]["_id"]


def _missing_index(exc: OperationFailure) -> bool:
    """A database without careergraph's indexes: the planner chooses."""
    return exc.code == BAD_VALUE and "hint" in str(exc)


def _fold(parts: CellParts, docs: Sequence[Mapping[str, Any]]) -> None:
    for doc in docs:
        key = doc["_id"]
        amounts = doc["a"]
        cell = (key.get("c"), key.get("r"), key.get("b"), key["u"], key.get("y"), not key.get("p"), key.get("m"))
        parts.add(cell, amounts, len(amounts), summarised({"employment_type": key.get("e")}))


async def _read_chunk(collection: Collection, match: dict[str, Any], parts: CellParts, at_snapshot: bool
                      ) -> tuple[Timestamp | None, Any]:
    """Fold the next chunk of `match` (its first CHUNK entries in the index's order) into `parts`;
    its snapshot's cluster time (when `at_snapshot`), and its lowest `_id` (None: the last chunk)."""
    pipeline: list[dict[str, Any]] = [
        {"$match": match}, {"$sort": {"_id": -1}}, {"$limit": CHUNK},
        {"$group": {"_id": GROUP_KEY, "a": {"$push": "$amount"}, "low": {"$min": "$_id"}}}]
    at: Timestamp | None = None
    if not at_snapshot:
        docs = await _group(collection, pipeline, None)
    else:
        docs, at = await _at_snapshot(collection, pipeline)
    entries = sum(len(doc["a"]) for doc in docs)
    low = await _lowest(collection, match, docs, entries) if entries >= CHUNK else None
    _fold(parts, docs)
    return at, low


async def _at_snapshot(collection: Collection, pipeline: list[dict[str, Any]]
                       ) -> tuple[list[dict[str, Any]], Timestamp | None]:
    for attempt in range(SNAPSHOT_TRIES):
        async with collection.database.client.start_session(snapshot=True) as session:
            try:
                docs = await _group(collection, pipeline, session)
            except OperationFailure as exc:  # the chunk outlived the server's snapshot history
                if exc.code != SNAPSHOT_TOO_OLD or attempt == SNAPSHOT_TRIES - 1:
                    raise
                continue
            return docs, snapshot_time(session)
    raise AssertionError("unreachable")


def snapshot_time(session: AsyncClientSession) -> Timestamp:
    """The cluster time a snapshot session read at: the `atClusterTime` the server answered its first
    read with, which the driver keeps to read the rest at the same snapshot. Not the session's
    `operation_time`: for a read that is the primary's last applied write, which under concurrent
    writers is later than the snapshot (the snapshot is the majority-committed one; writes applied but
    not yet majority-committed are in neither), so changes started after it would skip those writes.
    PyMongo keeps that time in `_snapshot_time` and has no public name for it."""
    at = getattr(session, "_snapshot_time", None)
    if not isinstance(at, Timestamp):
        raise RuntimeError("the driver kept no snapshot time for a snapshot read (PyMongo changed?)")
    return at


async def _group(collection: Collection, pipeline: list[dict[str, Any]], session: AsyncClientSession | None
                 ) -> list[dict[str, Any]]:
    """The chunk's groups (all of them before any is folded in: a chunk that fails halfway
    leaves nothing behind)."""
    options: dict[str, Any] = {"allowDiskUse": True, "session": session, "batchSize": 1000}
    try:
        cursor = await collection.aggregate(pipeline, hint=ROLE_CELLS_INDEX_NAME, **options)
    except OperationFailure as exc:
        if not _missing_index(exc):
            raise
        cursor = await collection.aggregate(pipeline, **options)
    return await cursor.to_list()
