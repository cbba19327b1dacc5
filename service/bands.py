"""Experience bands, following the articles' salary brackets.

| band        | years of experience | half-open interval |
| ----------- | ------------------- | ------------------ |
| entry       | under 1             | [0, 1)             |
| early       | 1-3                 | [1, 4)             |
| mid         | 4-6                 | [4, 7)             |
| experienced | 7-9                 | [7, 10)            |
| senior      | 10 and more         | [10, inf)          |

The articles give whole-year brackets with gaps between them (1-3, then 4-6). Fractional years
fall in the bracket of the whole years completed: 3.9 years is still "early" (three full years),
4.0 is "mid". So each band is a half-open interval and every value from 0 up has exactly one band.
"""

from __future__ import annotations

import math
from enum import StrEnum


class ExperienceBand(StrEnum):
    ENTRY = "entry"
    EARLY = "early"
    MID = "mid"
    EXPERIENCED = "experienced"
    SENIOR = "senior"


#: (band, lower bound inclusive, upper bound exclusive) in years.
BAND_BOUNDS: tuple[tuple[ExperienceBand, float, float], ...] = (
    (ExperienceBand.ENTRY, 0.0, 1.0),
    (ExperienceBand.EARLY, 1.0, 4.0),
    (ExperienceBand.MID, 4.0, 7.0),
    (ExperienceBand.EXPERIENCED, 7.0, 10.0),
    (ExperienceBand.SENIOR, 10.0, math.inf),
)

MAX_YEARS = 60.0


def experience_band(years: float) -> ExperienceBand:
    """The band for `years` of experience; ValueError outside 0-60 or for NaN."""
    if not (0.0 <= years <= MAX_YEARS):
        raise ValueError(f"years of experience must be between 0 and {MAX_YEARS:g}, got {years!r}")
    for band, low, high in BAND_BOUNDS:
        if low <= years < high:
            return band
    raise AssertionError("unreachable: the bands cover [0, inf)")
