"""Reading a delimited file record by record, as a person would count them.

A record is one line, or several when a quoted field holds line breaks. A line that leaves a
quote open is joined with the lines after it (at most `MAX_RECORD_LINES`) only if that closes the
quote *and* gives a record with the header's number of cells; otherwise the line alone is
rejected ("broken quoting") and the lines after it are read as records of their own. So a stray
quote costs one record, never the rest of the file. Each record keeps the number of the line it
starts on, which is what rejection reports say.
"""

from __future__ import annotations

import csv
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from service.ingest.salary_formats import MapFileError, SalaryFormat

MAX_RECORD_LINES = 20
BROKEN = "broken quoting: a quote opened and never closed"


@dataclass(frozen=True)
class Record:
    line: int  # where it starts
    text: str | None  # None when it could not be read (see `problem`)
    problem: str | None = None
    end: int = 0  # bytes read so far (for progress)


def cells(text: str, fmt: SalaryFormat) -> list[str]:
    """The record's cells; csv.Error for quoting the csv module cannot read."""
    return next(csv.reader([text], delimiter=fmt.delimiter, strict=True))


def _decode(data: bytes, first: bool) -> tuple[str | None, str | None]:
    try:
        return data.decode("utf-8-sig" if first else "utf-8"), None
    except UnicodeDecodeError as exc:
        return None, f"invalid UTF-8 at byte {exc.start}"


def _closes(text: str, fmt: SalaryFormat, width: int) -> bool:
    if text.count('"') % 2:
        return False
    try:
        return len(cells(text, fmt)) == width
    except csv.Error:
        return False


class RecordReader:
    """The header (`header`), then `records()` for the rest."""

    def __init__(self, handle: BinaryIO, fmt: SalaryFormat, path: Path) -> None:
        self.handle, self.fmt, self.path = handle, fmt, path
        self.lines: Iterator[tuple[int, bytes]] = (
            (n, raw.rstrip(b"\r\n")) for n, raw in enumerate(handle, start=1))
        self.header = self._header()
        missing = [col for col in fmt.columns.values() if col not in self.header]
        if missing:
            raise MapFileError(f"{path.name}: header lacks column(s) {', '.join(missing)}")

    def _header(self) -> list[str]:
        for number, line in self.lines:
            if not line.strip():
                continue
            text, _ = _decode(line, number == 1)
            if text is None:
                break
            try:
                return [h.strip() for h in cells(text, self.fmt)]
            except csv.Error as exc:
                raise MapFileError(f"{self.path.name}: unreadable header line: {exc}") from exc
        raise MapFileError(f"{self.path.name}: no readable header line")


    def records(self) -> Iterator[Record]:
        width = len(self.header)
        waiting: deque[tuple[int, bytes]] = deque()
        while True:
            if not waiting:
                nxt = next(self.lines, None)
                if nxt is None:
                    return
                waiting.append(nxt)
            number, line = waiting.popleft()
            if not line.strip():
                continue
            text, problem = _decode(line, False)
            if text is None or text.count('"') % 2 == 0:
                yield Record(number, text, problem, self.handle.tell())
                continue
            joined, used = text, list[tuple[int, bytes]]()
            while len(used) < MAX_RECORD_LINES - 1:
                nxt = waiting.popleft() if waiting else next(self.lines, None)
                if nxt is None:
                    break
                used.append(nxt)
                more, _ = _decode(nxt[1], False)
                joined = f"{joined}\n{more or ''}"
                if _closes(joined, self.fmt, width):
                    yield Record(number, joined, None, self.handle.tell())
                    break
            if used and _closes(joined, self.fmt, width):
                continue
            yield Record(number, None, BROKEN, self.handle.tell())
            waiting.extendleft(reversed(used))  # read them again, each on its own


def fitted_format(path: Path, fmt: SalaryFormat) -> tuple[SalaryFormat, list[tuple[str, str]]]:
    """`fmt` fitted to the file's header (`SalaryFormat.fitted`): the optional fields whose column
    the file lacks are left out, and named."""
    with open(path, "rb") as handle:
        return fmt.fitted(RecordReader(handle, replace(fmt, columns={}), path).header)
