"""The place a decision is about: the nation, a state or a metro area, with the crowd group that
covers it (a summary row) and its OEWS area."""

from __future__ import annotations

from dataclasses import dataclass

from service.official.oews_model import NATIONAL_AREA, area_code
from service.summaries.comparison import POSTAL_OF


@dataclass(frozen=True)
class Place:
    area: str  # OEWS area code
    kind: str  # NATIONAL, STATE or METRO
    region_code: str | None  # ISO 3166-2 of a state

    @classmethod
    def of(cls, area: str) -> Place:
        """"US", a state ("TX", "US-TX") or an OEWS area code; BadUserInput otherwise."""
        code = area_code(area)
        if code == NATIONAL_AREA:
            return cls(code, "NATIONAL", None)
        if code in POSTAL_OF:
            return cls(code, "STATE", f"US-{POSTAL_OF[code]}")
        return cls(code, "METRO", None)

    def label(self) -> str:
        return {"NATIONAL": "US", "STATE": self.region_code or self.area}.get(self.kind, self.area)
