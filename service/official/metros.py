"""Placing crowd observations in OEWS metropolitan areas by their city.

The rule: a U.S. observation whose city is one of the principal cities an OEWS metro area's title
names, in one of the states the title names, is in that area ("Austin, TX" is in "Austin-Round
Rock-San Marcos, TX", OEWS area 0012420). Names are compared folded (`places.place_key`: case,
accents, punctuation, Saint/St., Fort/Ft.); a principal city written "A/B" matches A or B, and one
with a hyphen in its own name ("Nashville-Davidson") matches its first part too. A city two areas'
titles name in the same state goes to the area whose first state it is, and, if that does not
decide, to the area it is the first-named city of; otherwise to none. Nonmetropolitan areas name
no cities. Cities no title names (Redmond, WA is in the Seattle area but not in its title) stay at
state level, and importers count them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from service.official.oews_model import Area
from service.places import metro_title, place_key

if TYPE_CHECKING:  # the salary parsing process unpickles an index: it needs no driver
    from pymongo.asynchronous.database import AsyncDatabase


def _names(city: str) -> set[str]:
    """The folded names a principal city of a title answers to."""
    found = set()
    for part in city.split("/"):
        found.add(place_key(part))
        if "-" in part:
            found.add(place_key(part.split("-")[0]))
    return {name for name in found if name}


@dataclass
class MetroIndex:
    """(folded city, USPS state) -> OEWS metro area code, and each area's title. Small (about a
    thousand keys) and plain, so that it travels to the salary parsing process."""

    codes: dict[tuple[str, str], str] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, areas: Iterable[Area]) -> MetroIndex:
        claims: dict[tuple[str, str], list[tuple[int, int, str]]] = {}
        titles = {}
        for area in areas:
            title = metro_title(area.name) if area.type == "METRO" else None
            if title is None:
                continue
            titles[area.code] = area.name
            named = [(i, city) for i, city in enumerate(title.cities)]
            if "--" not in title.whole and "-" in title.whole:
                named.append((len(title.cities), title.whole))  # "Winston-Salem, NC" is one city
            for position, city in named:
                for name in _names(city):
                    for rank, state in enumerate(title.states):
                        claims.setdefault((name, state), []).append((rank, position, area.code))
        codes = {}
        for key, claimed in claims.items():
            best = min(claimed)
            if sum(1 for c in claimed if c[:2] == best[:2] and c[2] != best[2]) == 0:
                codes[key] = best[2]
        return cls(codes, titles)

    def place(self, city: str | None, region_code: str | None) -> str | None:
        """The OEWS metro area code of a U.S. city ("Austin", "US-TX"), or None."""
        if not city or not region_code or not region_code.startswith("US-"):
            return None
        return self.codes.get((place_key(city), region_code[3:]))

    def __len__(self) -> int:
        return len(self.titles)


async def load_metro_index(db: AsyncDatabase[dict[str, Any]]) -> MetroIndex:
    """The index of the metro areas stored by the OEWS import (empty before one)."""
    from service.store import official_layout as o

    return MetroIndex.of([Area.from_document(doc) async for doc in db[o.AREAS].find({"type": "METRO"})])
