"""Finding the O*NET database's files by what they hold, not by what they are called.

O*NET releases rename files now and then (30.x's release notes list modified names); careergraph
reads the header line of every `.txt` file in the directory and takes, for each kind of file it
uses, the one whose header has that kind's columns (the most specific kind wins when a header
fits several). The release ("O*NET 29.2") is read from the directory's read-me. The import
report says which files were found and used, which optional ones were missing, and the import
refuses clearly when a required one is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from service.provenance import Source

COLUMNS = {
    "occupations": ["O*NET-SOC Code", "Title", "Description"],
    "alternate": ["O*NET-SOC Code", "Alternate Title"],
    "reported": ["O*NET-SOC Code", "Reported Job Title"],
    "zones": ["O*NET-SOC Code", "Job Zone"],
    "tasks": ["O*NET-SOC Code", "Task"],
    "related": ["O*NET-SOC Code", "Related O*NET-SOC Code", "Relatedness Tier", "Index"],
    "technology": ["O*NET-SOC Code", "Example", "Commodity Title", "Hot Technology", "In Demand"],
}
REQUIRED = ("occupations", "alternate", "technology")
NAMES_29 = {"occupations": "Occupation Data.txt", "alternate": "Alternate Titles.txt",
            "reported": "Sample of Reported Titles.txt", "zones": "Job Zones.txt",
            "tasks": "Task Statements.txt", "related": "Related Occupations.txt",
            "technology": "Technology Skills.txt"}
_RELEASE = re.compile(r"O\*NET\s+(\d+\.\d+)\s+Database")


class OnetDirectoryError(ValueError):
    """The directory is not an O*NET text database; the message says what is missing."""


@dataclass
class OnetFiles:
    directory: Path
    paths: dict[str, Path] = field(default_factory=dict)  # kind -> file
    release: str | None = None

    @property
    def missing(self) -> list[str]:
        return [kind for kind in COLUMNS if kind not in self.paths]

    def path(self, kind: str) -> Path | None:
        return self.paths.get(kind)

    def notes(self) -> list[str]:
        used = ", ".join(f"{kind}: {path.name}" for kind, path in sorted(self.paths.items()))
        lines = [f"  O*NET {self.release or '(release not stated)'}; files used: {used}"]
        if self.missing:
            lines.append(f"  optional files not found: {', '.join(self.missing)}")
        return lines

    def source(self) -> Source:
        release = self.release or "unknown"
        return Source(
            slug=f"onet-{release.replace('.', '-')}" if self.release else "onet",
            publisher="U.S. Department of Labor, Employment and Training Administration",
            title=f"O*NET {release} Database", url="https://www.onetcenter.org/database.html",
            published=date(2025, 2, 1) if release == "29.2" else None, licence="CC BY 4.0",
            note=f"O*NET {release} Database by the U.S. Department of Labor, Employment and Training "
                 "Administration, used under the CC BY 4.0 license")


def _header(path: Path) -> list[str]:
    try:
        with open(path, "rb") as handle:
            return handle.readline().decode("utf-8-sig", "replace").rstrip("\r\n").split("\t")
    except OSError:
        return []


def find_files(directory: Path) -> OnetFiles:
    """Which file holds what; OnetDirectoryError when a required kind is not there."""
    if not directory.is_dir():
        raise OnetDirectoryError(f"{directory} is not a directory")
    found = OnetFiles(directory)
    for path in sorted(directory.glob("*.txt")):
        header = set(_header(path))
        kinds = [kind for kind, columns in COLUMNS.items() if set(columns) <= header]
        if not kinds:
            continue
        kind = max(kinds, key=lambda k: len(COLUMNS[k]))
        current = found.paths.get(kind)
        if current is None or path.name == NAMES_29.get(kind):
            found.paths[kind] = path
    for name in ("Read Me.txt", "ReadMe.txt", "README.txt", "Read_Me.txt"):
        readme = directory / name
        if readme.is_file():
            match = _RELEASE.search(readme.read_text(encoding="utf-8", errors="replace")[:2000])
            found.release = match.group(1) if match else None
            break
    absent = [kind for kind in REQUIRED if kind not in found.paths]
    if absent:
        wanted = "; ".join(f"{kind} (columns {', '.join(COLUMNS[kind])})" for kind in absent)
        raise OnetDirectoryError(f"{directory} lacks O*NET file(s) for {wanted}: "
                                 "is it an O*NET text database?")
    return found
