"""Releases: a role's published figures change only in steps that never give one submission back.

The figures a role publishes are computed from its *released* observations, not from every stored
one. Rows of public files are released as soon as they are stored (anyone can read them at their
source). Every submitted row waits, held back (`visibility.HOLD` on its document), until a release
lets it in, and a withdrawn one stays in until a release lets it out. Each recompute of the role
takes a release:

1. Before the role is read, the previous release is settled in the store (`settle`): rows it let
   in lose their hold; rows it let out are deleted.
2. The released rows are what the run read of the role (`RoleCells`, exactly the role's rows up to
   a point of the change stream) less the rows held at that point: the held rows are read now, and
   the role's changes since the point (from the change stream, with each changed row as it was
   before) put back as they were then. (On a server without a change stream the role's count must
   be unchanged.) Anything that cannot be told is a `ReleaseConflict`: a later run takes the release.
3. Per atom (a cell: country x region x band x currency x year, of submitted rows), the waiting
   changes (held new rows and withdrawn released ones) go in together, and only when there are at
   least `min_changes` of them and the atom then holds 0 or at least `min_group` submitted rows;
   otherwise all of them wait. Changes no summary counts (part-time pay and the like) go straight in.

Every published group is a union of atoms (`disclosure`), so its figures, and any sum or difference
of figures of one release or of two, depend on 0 or at least `min_group` submitted rows, and change
by 0 or at least `min_changes` of them. The state of the last release is kept in the role's summary
document (`release`), written with its rows in one compare-and-set on its sequence number, so every
release follows from the one before it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from bson import ObjectId
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import OperationFailure

from service.employment import SUMMARISED
from service.salaries.visibility import HOLD, NEW, NEW_WITHDRAWN, WITHDRAWN
from service.store import database as c
from service.summaries import disclosure
from service.summaries.cells import CellKey, RoleCells, cell_key
from service.summaries.disclosure import GroupKey
from service.summaries.groups import is_protected

Db = AsyncDatabase[dict[str, Any]]
_FIELDS = {"country": 1, "region_code": 1, "experience_band": 1, "currency": 1, "year": 1, "amount": 1,
           "employment_type": 1, "public": 1, "metro_code": 1, HOLD: 1}


class ReleaseConflict(Exception):
    """The role's observations changed while its release was being taken: a later run takes it."""


class ReleaseMismatch(ReleaseConflict):
    """Rows held at the read are not among the rows the run read: the read (a role's roll-up) is not
    what the store held, and runs from it would postpone the release for ever, so the next run reads
    the role whole (`publication.publish_role`)."""


@dataclass(frozen=True)
class Rules:
    min_group: int  # submitted rows of an atom: 0 or at least this many
    min_changes: int  # changes of an atom at one release: 0 or at least this many


@dataclass
class ReleaseState:
    """The last release of a role: what it let in and out (settled by the next run), and the stored
    rows it leaves out, by year (for the demand's counts of roles a full run reuses)."""

    seq: int = 0
    admitted: list[ObjectId] = field(default_factory=list)
    removed: list[ObjectId] = field(default_factory=list)
    held_years: dict[str, int] = field(default_factory=dict)

    def to_document(self) -> dict[str, Any]:
        return {"seq": self.seq, "admitted": self.admitted, "removed": self.removed, "held_years": self.held_years}

    @classmethod
    def from_document(cls, doc: dict[str, Any] | None) -> ReleaseState | None:
        if not doc:
            return None
        return cls(seq=doc["seq"], admitted=list(doc.get("admitted") or ()), removed=list(doc.get("removed") or ()),
                   held_years=dict(doc.get("held_years") or {}))


@dataclass(frozen=True)
class Row:
    """A stored observation a release has to decide about."""

    id: ObjectId
    cell: CellKey
    amount: float | None  # None: pay the summaries do not count
    year: int | None
    hold: str | None

    @classmethod
    def of(cls, doc: dict[str, Any]) -> Row:
        counted = doc.get("employment_type") in SUMMARISED
        return cls(doc["_id"], cell_key(doc), float(doc["amount"]) if counted else None, doc.get("year"),
                   doc.get(HOLD))


@dataclass
class Prepared:
    """A role's next release: its released cells, the groups some of whose changes wait, the new
    state, the sequence number it follows, and the stored rows per year it leaves out."""

    cells: dict[CellKey, np.ndarray]
    held: set[GroupKey]
    state: ReleaseState
    base: int | None
    volume: Counter[Any]


def year_name(year: Any) -> str:
    return "null" if year is None else str(year)


def _amounts_by_cell(rows: list[Row]) -> dict[CellKey, list[float]]:
    by_cell: dict[CellKey, list[float]] = defaultdict(list)
    for row in rows:
        if row.amount is not None:
            by_cell[row.cell].append(row.amount)
    return by_cell


def _take_out(cells: dict[CellKey, np.ndarray], rows: list[Row]) -> dict[CellKey, np.ndarray]:
    """`cells` less the amounts of `rows` (one occurrence each); ReleaseMismatch when one is not there."""
    out = dict(cells)
    for cell, amounts in _amounts_by_cell(rows).items():
        have = out.get(cell)
        wanted = np.sort(np.asarray(amounts, dtype=np.float64))
        if have is None or have.size < wanted.size:
            raise ReleaseMismatch(f"held rows of {cell} are not among the observations read")
        # the k-th of equal amounts to take out is the k-th occurrence
        spots = np.searchsorted(have, wanted, side="left") + np.arange(wanted.size) - np.searchsorted(
            wanted, wanted, side="left")
        if spots.max() >= have.size or not np.array_equal(have[spots], wanted):
            raise ReleaseMismatch(f"held rows of {cell} are not among the observations read")
        out[cell] = np.delete(have, spots)
    return out


def _put_in(cells: dict[CellKey, np.ndarray], rows: list[Row]) -> dict[CellKey, np.ndarray]:
    """`cells` with the amounts of `rows` added, each cell kept sorted."""
    out = dict(cells)
    for cell, amounts in _amounts_by_cell(rows).items():
        have = out.get(cell, np.empty(0))
        out[cell] = np.sort(np.concatenate([have, np.asarray(amounts, dtype=np.float64)]), kind="stable")
    return out


async def settle(db: Db, previous: ReleaseState | None) -> None:
    """Carry out the previous release in the store (idempotent), before the role is read."""
    if previous is None:
        return
    observations = db[c.SALARY_OBSERVATIONS]
    if previous.admitted:
        await observations.update_many({"_id": {"$in": previous.admitted}, HOLD: NEW}, {"$unset": {HOLD: ""}})
        await observations.update_many({"_id": {"$in": previous.admitted}, HOLD: NEW_WITHDRAWN},
                                       {"$set": {HOLD: WITHDRAWN}})
    if previous.removed:
        await observations.delete_many({"_id": {"$in": previous.removed}})


_WATCHED = ("_id", "role", "country", "region_code", "experience_band", "currency", "year", "amount",
            "employment_type", "public", "metro_code", HOLD)


async def _as_they_were(db: Db, role: str, position: Any) -> dict[Any, dict[str, Any] | None]:
    """Each row of `role` changed after `position`, as it was at the position (None: not there yet),
    from the change stream's images. Raises ReleaseConflict when a change cannot be told."""
    shown = {f"fullDocumentBeforeChange.{name}": 1 for name in _WATCHED}
    pipeline: list[dict[str, Any]] = [{"$match": {"$or": [
        {"fullDocument.role": role}, {"fullDocumentBeforeChange.role": role},
        {"operationType": {"$in": ["update", "replace", "delete"]}, "fullDocumentBeforeChange": None},
        {"operationType": {"$nin": ["insert", "update", "replace", "delete"]}}]}},
        {"$project": {"operationType": 1, "documentKey": 1, **shown}}]
    then: dict[Any, dict[str, Any] | None] = {}
    try:
        async with await db[c.SALARY_OBSERVATIONS].watch(
                pipeline, full_document_before_change="whenAvailable", max_await_time_ms=1,
                batch_size=1000, start_after=position) as stream:
            while (change := await stream.try_next()) is not None:
                kind, before = change["operationType"], change.get("fullDocumentBeforeChange")
                if kind not in ("insert", "update", "replace", "delete") or (kind != "insert" and before is None):
                    raise ReleaseConflict(f"{role}: a change since the read cannot be told ({kind})")
                key = change["documentKey"]["_id"]
                if key not in then:  # the first change after the position: the row as it was there
                    then[key] = None if kind == "insert" else before
    except OperationFailure as exc:
        raise ReleaseConflict(f"{role}: the change stream refused the read's position ({exc.code})") from exc
    return then


async def _held(db: Db, found: RoleCells) -> list[Row]:
    """The role's held rows as they were when the run read it (see the module's docstring)."""
    observations = db[c.SALARY_OBSERVATIONS]
    now = {d["_id"]: d async for d in observations.find({"role": found.role, HOLD: {"$exists": True}}, _FIELDS)}
    if found.position is None:  # a server without a change stream
        if now and await observations.count_documents({"role": found.role}) != found.observations:
            raise ReleaseConflict(f"{found.role}: observations changed while its release was taken")
        return [Row.of(d) for d in now.values()]
    then = await _as_they_were(db, found.role, found.position)
    held = [d for key, d in now.items() if key not in then]
    held += [d for d in then.values() if d is not None and d.get("role") == found.role and HOLD in d]
    return [Row.of(d) for d in held]


def admit(candidates: list[Row], released: dict[CellKey, np.ndarray], rules: Rules) -> list[Row]:
    """The candidates a release lets in: per atom, all of its changes or none (see the module's
    docstring); changes no summary counts, always."""
    by_atom: dict[CellKey, list[Row]] = defaultdict(list)
    for row in candidates:
        if row.amount is not None:
            by_atom[row.cell].append(row)
    batch = [row for row in candidates if row.amount is None]
    for atom, rows in by_atom.items():
        now = int(released[atom].size) if atom in released else 0
        after = now + sum(1 for r in rows if r.hold == NEW) - sum(1 for r in rows if r.hold == WITHDRAWN)
        if len(rows) >= rules.min_changes and (after == 0 or after >= rules.min_group):
            batch.extend(rows)
    return batch


async def prepare(db: Db, found: RoleCells, previous: ReleaseState | None, rules: Rules,
                  convertible: dict[str, set[str]]) -> Prepared:
    """The role's next release from what the run read of it (`found`, after `settle`): see the
    module's docstring."""
    held = [r for r in await _held(db, found) if is_protected(r.cell)]  # a public row is never held
    released = _take_out(found.cells, [r for r in held if r.hold in (NEW, NEW_WITHDRAWN)])
    candidates = [r for r in held if r.hold in (NEW, WITHDRAWN)]
    batch = admit(candidates, released, rules)
    cells = _take_out(_put_in(released, [r for r in batch if r.hold == NEW]),
                      [r for r in batch if r.hold == WITHDRAWN])
    cells = {cell: amounts for cell, amounts in cells.items() if amounts.size}
    admitted = {r.id for r in batch}
    left_out = [r for r in held if (r.hold == NEW and r.id not in admitted) or r.hold == NEW_WITHDRAWN
                or (r.hold == WITHDRAWN and r.id in admitted)]
    state = ReleaseState(
        seq=(previous.seq if previous else 0) + 1,
        admitted=sorted(r.id for r in batch if r.hold == NEW),
        removed=sorted([r.id for r in batch if r.hold == WITHDRAWN] + [r.id for r in held if r.hold == NEW_WITHDRAWN]),
        held_years={year_name(y): n for y, n in Counter(r.year for r in left_out).items()})
    regioned = {cell[0] for cell in cells if cell[1] is not None}
    waiting = {g for r in candidates if r.id not in admitted and r.amount is not None
               for g in disclosure.groups_of_cell(r.cell, regioned, convertible)}
    return Prepared(cells, waiting, state, previous.seq if previous else None, Counter(r.year for r in left_out))
