"""Reading a role's observations whole, in bounded chunks of its index.

The role's entries of the `(role, _id, country, region_code, experience_band, currency, year,
employment_type, amount)` index (`database.ROLE_CELLS_INDEX`) are read in chunks of at most
`CHUNK` entries, newest `_id` first. A chunk is an `_id` range: its lower end is the entry
`CHUNK - 1` past where the last chunk ended (a skip over index entries), and one `$group` reads
it, pushing each cell's amounts of that chunk only. So no document or message ever holds more
than a chunk's amounts, whatever the size of a cell (a chunk's amounts are merged into the role's
cells by `cells.CellParts`), and every round trip is bounded: a chunk answers after reading at
most `CHUNK` entries, never after reading the whole role, and runs under its own deadline
(`DEADLINE_S`), not the client's request-sized socket timeout. The index covers every field the group
reads, so no document is fetched (three times faster than fetching the role's documents through
the `(role, _id)` index at 1,000,000 observations, and the chunks come in the index's order).

With `at_snapshot`, each chunk is read at a snapshot (read concern "snapshot"), and the chunk
keeps its cluster time: every change to the chunk's range committed at or before that time is in
it, none after (`positions` makes a whole read exact at a position with that).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pymongo
from bson import Timestamp
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
             "e": "$employment_type"}
Collection = AsyncCollection[dict[str, Any]]


@dataclass(frozen=True)
class Chunk:
    """An `_id` range of the role (`low` inclusive, `high` exclusive; None: unbounded) and the
    cluster time it was read at (None: not a snapshot read)."""

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
    high: Any = None
    while True:
        match: dict[str, Any] = {"role": role}
        if high is not None:
            match["_id"] = {"$lt": high}
        with pymongo.timeout(DEADLINE_S):
            low = await _lower_end(collection, match)
            if low is not None:
                match["_id"] = {**match.get("_id", {}), "$gte": low}
            chunks.append(Chunk(low, high, await _read_chunk(collection, match, parts, at_snapshot)))
        if low is None:
            return WholeRead(parts, chunks)
        high = low


async def _lower_end(collection: Collection, match: dict[str, Any]) -> Any:
    """The `_id` of the entry CHUNK - 1 past the first that `match` takes (None: fewer remain)."""
    def query(hinted: bool) -> Any:
        cursor = collection.find(match, {"_id": 1}).sort("_id", -1).skip(CHUNK - 1).limit(1)
        return cursor.hint(ROLE_CELLS_INDEX_NAME) if hinted else cursor

    try:
        found = await query(True).to_list()
    except OperationFailure as exc:
        if not _missing_index(exc):
            raise
        found = await query(False).to_list()
    return found[0]["_id"] if found else None


def _missing_index(exc: OperationFailure) -> bool:
    """A database without careergraph's indexes: the planner chooses."""
    return exc.code == BAD_VALUE and "hint" in str(exc)


def _fold(parts: CellParts, docs: Sequence[Mapping[str, Any]]) -> None:
    for doc in docs:
        key = doc["_id"]
        amounts = doc["a"]
        cell = (key.get("c"), key.get("r"), key.get("b"), key["u"], key.get("y"))
        parts.add(cell, amounts, len(amounts), summarised({"employment_type": key.get("e")}))


async def _read_chunk(collection: Collection, match: dict[str, Any], parts: CellParts,
                      at_snapshot: bool) -> Timestamp | None:
    """Fold one chunk into `parts`; its snapshot's cluster time when `at_snapshot`."""
    pipeline: list[dict[str, Any]] = [{"$match": match}, {"$group": {"_id": GROUP_KEY, "a": {"$push": "$amount"}}}]
    if not at_snapshot:
        _fold(parts, await _group(collection, pipeline, None))
        return None
    for attempt in range(SNAPSHOT_TRIES):
        async with collection.database.client.start_session(snapshot=True) as session:
            try:
                docs = await _group(collection, pipeline, session)
            except OperationFailure as exc:  # the chunk outlived the server's snapshot history
                if exc.code != SNAPSHOT_TOO_OLD or attempt == SNAPSHOT_TRIES - 1:
                    raise
                continue
            at = session.operation_time  # a snapshot read's operation time is its snapshot's
        _fold(parts, docs)
        return at
    raise AssertionError("unreachable")


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
