"""The `cpi` wheel's own database, read straight with sqlite3: what tests check real pay against."""

from __future__ import annotations

import sqlite3
from importlib import metadata
from pathlib import Path

import pytest


def wheel_db() -> Path:
    """The wheel's cpi.db; skips the test when the wheel is not installed (`make test` installs it)."""
    try:
        found = Path(str(metadata.distribution("cpi").locate_file("cpi/cpi.db")))
    except metadata.PackageNotFoundError:
        pytest.skip("the cpi wheel is not installed (`make test` installs it)")
    if not found.is_file():
        pytest.skip("the cpi wheel has no cpi.db")
    return found


def annual(database: Path, series: str, year: int) -> float | None:
    """BLS's annual average (period M13) of a series in a year, or None."""
    with sqlite3.connect(database) as connection:
        row = connection.execute("select value from indexes where series = ? and year = ? and period = 'M13'",
                                 (series, year)).fetchone()
    return None if row is None else float(row[0])
