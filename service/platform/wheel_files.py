"""Data files inside installed wheels (the official data careergraph reads but never runs)."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path


def wheel_file(distribution: str, inside: str) -> Path | None:
    """`inside` (a path within the installed `distribution`), or None when either is missing."""
    try:
        found = Path(str(metadata.distribution(distribution).locate_file(inside)))
    except metadata.PackageNotFoundError:
        return None
    return found if found.is_file() else None
