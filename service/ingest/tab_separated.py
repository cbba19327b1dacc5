"""Tab-separated files with one header row (the O*NET text database): rows streamed one at a time,
bad rows reported with their line number. A row comes as the values of the columns asked for, in
the order asked (a tuple, not a mapping: the O*NET files have 130,000 rows)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from service.ingest.report import ImportReport


class MissingColumns(ValueError):
    """A file lacks columns the importer needs (or its header cannot be read); the message says which."""


def read_rows(path: Path, columns: list[str], report: ImportReport) -> Iterator[tuple[int, tuple[str, ...]]]:
    """(line, the `columns`' values, stripped) for each well-formed row of a tab-separated file; bad
    rows go to the report."""
    with open(path, "rb") as handle:
        header: list[str] | None = None
        wanted: list[int] = []
        for number, raw in enumerate(handle, start=1):
            line = raw.rstrip(b"\r\n")
            if not line.strip():
                continue
            if header is None:
                try:
                    header = line.decode("utf-8-sig").split("\t")
                except UnicodeDecodeError as exc:
                    raise MissingColumns(f"{path.name}: its header is not UTF-8 (byte {exc.start})") from None
                missing = [col for col in columns if col not in header]
                if missing:
                    raise MissingColumns(f"{path.name} lacks column(s) {', '.join(missing)}")
                wanted = [header.index(col) for col in columns]
                continue
            report.records_read += 1
            try:
                values = line.decode("utf-8").split("\t")
            except UnicodeDecodeError as exc:
                report.reject(path.name, number, f"invalid UTF-8 at byte {exc.start}")
                continue
            if len(values) != len(header):
                report.reject(path.name, number, f"expected {len(header)} columns, found {len(values)}")
                continue
            yield number, tuple([values[i].strip() for i in wanted])
