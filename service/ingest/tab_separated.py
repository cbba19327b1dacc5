"""Tab-separated files with one header row (the O*NET text database): rows streamed one at a time,
bad rows reported with their line number."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from service.ingest.report import ImportReport


class MissingColumns(ValueError):
    """A file lacks columns the importer needs; the message names them."""


def read_rows(path: Path, columns: list[str], report: ImportReport) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row) for each well-formed row of a tab-separated file; bad rows go to the report."""
    with open(path, "rb") as handle:
        header: list[str] | None = None
        for number, raw in enumerate(handle, start=1):
            line = raw.rstrip(b"\r\n")
            if not line.strip():
                continue
            if header is None:
                header = line.decode("utf-8-sig").split("\t")
                missing = [col for col in columns if col not in header]
                if missing:
                    raise MissingColumns(f"{path.name} lacks column(s) {', '.join(missing)}")
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
            yield number, dict(zip(header, (v.strip() for v in values), strict=True))
