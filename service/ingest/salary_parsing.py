"""A salary file's records to batches of documents to insert, parsed here or in a process of its own.

Parsing is Python work that holds the GIL, so in the importer's process it shares one core with
the driver that stores the batches. A file of `PROCESS_MIN_BYTES` or more is parsed by a child
(`python -m service.ingest.salary_parsing`) that sends each batch as BSON, with what the report
needs to hear (records read, repeats, rejected records with their lines and progress); the
importer only inserts the batches, so parsing and storing run on two cores. A smaller file is
parsed in a thread: the child's start-up (about half a second) would cost more than it saves.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import itertools
import os
import pickle
import struct
import sys
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, ClassVar

import bson
from bson.raw_bson import RawBSONDocument

from service.catalog.titles import TitleIndex
from service.ingest import salary_records
from service.ingest.report import ImportReport
from service.ingest.salary_formats import SalaryFormat
from service.ingest.salary_rows import Parsed, RowParser, canonical, record_digest
from service.official.metros import MetroIndex
from service.salaries.model import SalaryObservation

BATCH_SIZE = 2000
PROCESS_MIN_BYTES = 1_000_000
_FRAME = struct.Struct(">Q")  # the length of each pickled frame between the importer and the child


def parse_rows(path: Path, fmt: SalaryFormat, report: ImportReport, index: TitleIndex | None = None,
               progress: Callable[[int, int], None] | None = None, metros: MetroIndex | None = None
               ) -> Iterator[tuple[int, Parsed]]:
    """(line, parsed observation) for each good record; bad records go to `report`, and every 500
    records `progress(bytes read, records read)` is told. With `metros`, U.S. records are placed
    in metro areas by their city."""
    seen: Counter[str] = Counter()
    parser = RowParser(fmt, index, metros)
    with open(path, "rb") as handle:
        reader = salary_records.RecordReader(handle, fmt, path)
        header = reader.header
        for record in reader.records():
            report.records_read += 1
            if progress is not None and report.records_read % 500 == 0:
                progress(record.end, report.records_read)
            row = _row(record, header, fmt, report, path)
            if row is None:
                continue
            text = canonical(row)
            digest = record_digest(row, text)
            seen[digest] += 1
            if fmt.identity == "row" and seen[digest] > 1:
                report.duplicates += 1  # a repeat of a record of this file: the same observation
                continue
            try:
                yield record.line, parser.observation(row, seen[digest], text)
            except ValueError as exc:
                report.reject(path.name, record.line, str(exc), record.text)


def _row(record: salary_records.Record, header: list[str], fmt: SalaryFormat, report: ImportReport,
         path: Path) -> dict[str, str] | None:
    if record.text is None:
        report.reject(path.name, record.line, record.problem or "unreadable")
        return None
    try:
        values = salary_records.cells(record.text, fmt)
    except csv.Error as exc:
        report.reject(path.name, record.line, f"broken quoting: {exc}", record.text)
        return None
    if len(values) != len(header):
        report.reject(path.name, record.line, f"expected {len(header)} columns, found {len(values)}",
                      record.text)
        return None
    return dict(zip(header, values, strict=True))


@dataclass
class Batch:
    """Good records ready to insert: each one's line, document and (role, routed role, routed
    title, place: `place_of`); `observations` only when parsed in this process (re-keying legacy
    identities needs them)."""
    lines: list[int]
    documents: list[Any]  # dicts, or RawBSONDocument from the child
    routes: list[tuple[str, str, str, str]]
    observations: list[SalaryObservation] | None = None

    def __len__(self) -> int:
        return len(self.lines)

    def without(self, keys: set[str]) -> Batch:
        """The batch less the observations whose identity is in `keys`."""
        assert self.observations is not None
        kept = [i for i, o in enumerate(self.observations) if o.key not in keys]
        return Batch([self.lines[i] for i in kept], [self.documents[i] for i in kept],
                     [self.routes[i] for i in kept], [self.observations[i] for i in kept])


UNPLACED = "~"  # the start of a place that is a U.S. city no metro area's title names


def place_of(observation: SalaryObservation) -> str:
    """Where a U.S. record with a city went: its metro area's code, or "~City, ST" when no area's
    title names the city; "" for the others."""
    if observation.metro_code:
        return observation.metro_code
    if observation.country == "US" and observation.city:
        return f"{UNPLACED}{observation.city}, {observation.region or '?'}"
    return ""


def batch_of(chunk: list[tuple[int, Parsed]], stamp: dict[str, Any]) -> Batch:
    return Batch([line for line, _ in chunk], [{**p.observation.to_document(), **stamp} for _, p in chunk],
                 [(p.observation.role, p.routed.role, p.routed.title, place_of(p.observation)) for _, p in chunk],
                 [p.observation for _, p in chunk])


def next_batch(rows: Iterator[tuple[int, Parsed]], stamp: dict[str, Any]) -> Batch:
    return batch_of(list(itertools.islice(rows, BATCH_SIZE)), stamp)


@dataclass
class Tally:
    """What the child's parsing of one batch tells the report."""
    records_read: int = 0
    duplicates: int = 0
    rejections: list[tuple[str, int, str, str | None]] = field(default_factory=list)  # file, line, reason, record
    progress: tuple[int, int] | None = None  # (bytes read, records read)

    def tell(self, report: ImportReport, progress: Callable[[int, int], None]) -> None:
        report.records_read += self.records_read
        report.duplicates += self.duplicates
        for file, line, reason, record in self.rejections:
            report.reject(file, line, reason, record)
        if self.progress is not None:
            progress(*self.progress)


class _ChildReport(ImportReport):
    """The child's report: what parsing tells it waits to be sent with the next batch (`tally`)."""

    def __init__(self) -> None:
        super().__init__(kind="parsing")
        self.pending: list[tuple[str, int, str, str | None]] = []
        self.progress: tuple[int, int] | None = None
        self._told = (0, 0)  # records read and duplicates already sent

    def reject(self, file: str, line: int, reason: str, record: str | None = None) -> None:
        self.pending.append((file, line, reason, record))

    def note_progress(self, done_bytes: int, records: int) -> None:
        self.progress = (done_bytes, records)

    def tally(self) -> Tally:
        """What is new since the last tally."""
        tally = Tally(self.records_read - self._told[0], self.duplicates - self._told[1], self.pending, self.progress)
        self._told, self.pending, self.progress = (self.records_read, self.duplicates), [], None
        return tally


def _send(out: BinaryIO, item: object) -> None:
    frame = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(_FRAME.pack(len(frame)) + frame)
    out.flush()


def _child(source: BinaryIO, out: BinaryIO) -> None:
    """The child's side: read the request, send ("batch", BSON documents, routes, lines, tally)
    frames, then ("end",), or ("error", exception)."""
    try:
        size, = _FRAME.unpack(source.read(_FRAME.size))
        path, fmt, index, metros, stamp, batch_size = pickle.loads(source.read(size))
        report = _ChildReport()
        rows = parse_rows(path, fmt, report, index, report.note_progress, metros)
        while True:
            batch = batch_of(list(itertools.islice(rows, batch_size)), stamp)
            # BSON without _id: MongoDB gives each document its ObjectId (8 us a document in Python)
            _send(out, ("batch", [bson.encode(d) for d in batch.documents], batch.routes, batch.lines,
                        report.tally()))
            if not batch:
                break
        _send(out, ("end",))
    except Exception as exc:  # the importer raises it; one that cannot travel becomes its text
        try:
            pickle.dumps(exc)
        except Exception:
            exc = RuntimeError(f"{type(exc).__name__}: {exc}")
        _send(out, ("error", exc))


async def _frames(stream: asyncio.StreamReader) -> AsyncIterator[Any]:
    while True:
        try:
            size, = _FRAME.unpack(await stream.readexactly(_FRAME.size))
            yield pickle.loads(await stream.readexactly(size))
        except asyncio.IncompleteReadError:  # an OSError: the command line reports it in one line
            raise ChildProcessError("the parsing process ended before the end of the file") from None


class ParsingProcess:
    """The child, started before the importer's own set-up so that its start-up overlaps it."""

    command: ClassVar[tuple[str, ...]] = (sys.executable, "-m", __name__)

    def __init__(self, child: asyncio.subprocess.Process) -> None:
        self.child = child
        self.ahead: asyncio.Queue[Any] = asyncio.Queue(maxsize=1)  # the child is one batch ahead

    @classmethod
    @contextlib.asynccontextmanager
    async def started(cls) -> AsyncIterator[ParsingProcess]:
        """A parsing process, stopped on leaving the block however it is left."""
        root = str(Path(__file__).resolve().parents[2])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)}
        child = await asyncio.create_subprocess_exec(*cls.command, env=env,
                                                     stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
        parser = cls(child)
        assert child.stdout is not None
        reader = asyncio.create_task(parser._read(child.stdout))
        try:
            yield parser
        finally:
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reader
            if child.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    child.kill()
            await child.wait()

    async def _read(self, stream: asyncio.StreamReader) -> None:
        try:
            async for frame in _frames(stream):
                await self.ahead.put(frame)
                if frame[0] != "batch":
                    return
        except Exception as exc:
            await self.ahead.put(("error", exc))

    async def batches(self, path: Path, fmt: SalaryFormat, index: TitleIndex | None,
                      stamp: dict[str, Any], metros: MetroIndex | None = None) -> AsyncIterator[tuple[Batch, Tally]]:
        """The file's batches, each with what parsing it told the report (the last one may be empty)."""
        assert self.child.stdin is not None
        request = pickle.dumps((path, fmt, index, metros, stamp, BATCH_SIZE), protocol=pickle.HIGHEST_PROTOCOL)
        self.child.stdin.write(_FRAME.pack(len(request)) + request)
        await self.child.stdin.drain()
        self.child.stdin.close()
        while (frame := await self.ahead.get())[0] == "batch":
            _, documents, routes, lines, tally = frame
            yield Batch(lines, [RawBSONDocument(d) for d in documents], routes), tally
        if frame[0] == "error":
            raise frame[1]


if __name__ == "__main__":  # run as a script, this file is not the module whose classes travel
    from service.ingest import salary_parsing

    salary_parsing._child(sys.stdin.buffer, sys.stdout.buffer)
