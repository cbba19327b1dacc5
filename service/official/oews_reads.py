"""Reading official wages: by the roles' occupations and a place, areas by name, occupations' groups.

Batch functions take many keys and answer in the same order (for the API's DataLoaders): the
official wages of 50 roles' occupations in one area type are one query.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from service.errors import BadUserInput
from service.official.oews_model import ALL_INDUSTRIES, NATIONAL_AREA, Area, OfficialWage, area_code, onet_to_soc
from service.store import official_layout as o

Db = AsyncDatabase[dict[str, Any]]
RELEASE_TTL_S = 60.0
MAX_WAGES = 100
_releases: dict[str, tuple[float, str | None]] = {}


async def current_release(db: Db) -> str | None:
    """The newest OEWS release in this database (looked up once a minute per process)."""
    cached = _releases.get(db.name)
    if cached is not None and time.monotonic() - cached[0] < RELEASE_TTL_S:
        return cached[1]
    newest = await db[o.OFFICIAL_WAGES].find_one({}, {"release": 1}, sort=[("release", -1)])
    found = newest["release"] if newest else None
    _releases[db.name] = (time.monotonic(), found)
    return found


def forget_release(db: Db) -> None:
    """After an import: the next read looks the newest release up again."""
    _releases.pop(db.name, None)


@dataclass(frozen=True)
class WageQuery:
    """Which figures of a role's occupations: one area, or every area of a type; one industry."""

    occupations: tuple[str, ...]  # SOC codes
    area: str | None = None
    area_type: str | None = None  # NATIONAL, STATE, METRO
    industry: str = ALL_INDUSTRIES
    first: int = 20

    @classmethod
    def for_role(cls, onet_codes: tuple[str, ...], area: str | None, area_type: str | None,
                 industry: str | None, first: int) -> WageQuery:
        if not 1 <= first <= MAX_WAGES:
            raise BadUserInput(f"`first` must be between 1 and {MAX_WAGES}", field="first")
        if area is not None:
            area = area_code(area)
        if industry is not None and not re.fullmatch(r"[0-9A-Z-]{6}", industry):
            raise BadUserInput("an industry is a 6-character OEWS industry code", field="industry")
        if area is None and area_type is None:
            area = NATIONAL_AREA
        occupations = tuple(sorted({onet_to_soc(code) for code in onet_codes}))
        return cls(occupations, area, area_type, industry or ALL_INDUSTRIES, first)


async def wages_for(db: Db, queries: list[WageQuery]) -> list[list[OfficialWage]]:
    """The figures each query asks for, one MongoDB query per distinct place and industry."""
    release = await current_release(db)
    grouped: dict[tuple[Any, ...], list[WageQuery]] = defaultdict(list)
    for query in queries:
        grouped[(query.area, query.area_type, query.industry)].append(query)
    found: dict[tuple[Any, ...], list[OfficialWage]] = {}
    for (area, area_type, industry), members in grouped.items():
        codes = sorted({code for q in members for code in q.occupations})
        condition: dict[str, Any] = {"occupation": {"$in": codes}, "industry": industry, "release": release}
        if area is not None:
            condition["area"] = area
        if area_type is not None:
            condition["area_type"] = area_type
        rows: dict[str, list[OfficialWage]] = defaultdict(list)
        async for doc in db[o.OFFICIAL_WAGES].find(condition).sort([("occupation", 1), ("area", 1)]):
            rows[doc["occupation"]].append(OfficialWage.from_document(doc))
        found[(area, area_type, industry)] = [w for code in codes for w in rows.get(code, [])]
    out = []
    for query in queries:
        wanted = set(query.occupations)
        pool = found[(query.area, query.area_type, query.industry)]
        out.append([w for w in pool if w.occupation in wanted][:query.first])
    return out


async def areas_by_code(db: Db, codes: list[str]) -> list[Area | None]:
    found = {d["code"]: Area.from_document(d) async for d in db[o.AREAS].find({"code": {"$in": codes}})}
    return [found.get(code) for code in codes]


async def find_areas(db: Db, search: str | None, area_type: str | None, first: int) -> list[Area]:
    if not 1 <= first <= MAX_WAGES:
        raise BadUserInput(f"`first` must be between 1 and {MAX_WAGES}", field="first")
    condition: dict[str, Any] = {}
    if area_type is not None:
        condition["type"] = area_type
    if search:
        text = search.strip()
        if not text or len(text) > 100:
            raise BadUserInput("search text must be 1-100 characters", field="search")
        condition["name"] = {"$regex": re.escape(text), "$options": "i"}
    cursor = db[o.AREAS].find(condition).sort([("type", 1), ("name", 1)]).limit(first)
    return [Area.from_document(d) async for d in cursor]


async def occupations_by_code(db: Db, codes: list[str]) -> list[dict[str, Any] | None]:
    found = {d["code"]: d async for d in db[o.OCCUPATIONS].find({"code": {"$in": codes}}, {"_id": 0})}
    return [found.get(code) for code in codes]


def group_codes(code: str) -> list[tuple[str, str]]:
    """The SOC groups an occupation belongs to: [("major", "15-0000"), ("minor", "15-1200"), ("broad", "15-1250")]."""
    digits = code.replace("-", "")
    return [("major", f"{digits[:2]}-0000"), ("minor", f"{digits[:2]}-{digits[2:4]}00"),
            ("broad", f"{digits[:2]}-{digits[2:5]}0")]


async def industries_by_code(db: Db, codes: list[str]) -> list[dict[str, Any] | None]:
    found = {d["code"]: d async for d in db[o.INDUSTRIES].find({"code": {"$in": codes}}, {"_id": 0})}
    return [found.get(code) for code in codes]
