"""Crowd pay beside official pay: each role's crowd median (normalised to USD) against BLS OEWS's
annual median for the role's occupations, in the United States, in each state and in each metro
area the crowd has.

- Crowd: the role's COUNTRY row for US (or REGION row for a state, METRO row for a metro area:
  observations carry their OEWS metro area, `official.metros`), normalised to USD.
- Official: the OEWS cell of each of the role's occupations (SOC, through its O*NET codes) for the
  nation, the state or the metro area, all industries, the newest release.
- `ratio`: crowd median / official median. `diverges`: the two medians differ by more than their
  sampling errors explain (z > 1.96), with the crowd median's standard error taken as
  1.2533 x stddev / sqrt(n) and the official one as median x RSE / 100 (BLS publishes the RSE of
  the mean wage; it stands in for the median's). Both approximations are stated in `basis`.
- Metro areas: compared where the published rows have a METRO row (`metro_code`), with that
  area's official cells (`with_metro_cells`, which the recompute calls); METRO rows go through the
  disclosure step like every level.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from service.official.oews_model import ALL_INDUSTRIES, NATIONAL_AREA, STATE_FIPS, onet_to_soc
from service.official.oews_reads import current_release
from service.store import database as c
from service.store import official_layout as o

NOTE = ("OEWS counts wages (base pay, without bonuses or stock) of every employer in the area, from a survey of "
        "establishments; crowd figures are what people reported as total compensation (base, bonus and stock), "
        "mostly at large technology companies, converted to USD at the ECB's yearly rates.")
NO_CROWD = "No crowd observations of this role are summarised yet: the official figures stand alone."
BASIS = ("diverges when |crowd - official| > 1.96 x sqrt(se_crowd^2 + se_official^2), se_crowd = 1.2533 x stddev / "
         "sqrt(n) (the median's large-sample error), se_official = median x wage RSE / 100 (RSE of the mean wage)")


def metros_of(rows: list[dict[str, Any]]) -> set[str]:
    """The metro areas of a role's published METRO rows (whose official cells a comparison needs)."""
    return {row["metro_code"] for row in rows if row.get("level") == "METRO" and row.get("metro_code")}


async def official_for_roles(db: AsyncDatabase[dict[str, Any]], roles: list[str], metros: Iterable[str] = (),
                             national_and_states: bool = True) -> dict[str, list[dict[str, Any]]]:
    """The national and state OEWS cells (all industries) of each role's occupations (unless not
    `national_and_states`), and those of the metro areas `metros` (OEWS area codes)."""
    codes = {d["slug"]: sorted({onet_to_soc(code) for code in d.get("onet_codes", [])})
             async for d in db[c.ROLES].find({"slug": {"$in": roles}}, {"slug": 1, "onet_codes": 1})}
    wanted = sorted({code for found in codes.values() for code in found})
    release = await current_release(db)
    if not wanted or release is None:
        return {}
    cells: dict[str, list[dict[str, Any]]] = {}
    places: list[dict[str, Any]] = [{"area_type": {"$in": ["NATIONAL", "STATE"]}}] if national_and_states else []
    if metros:
        places.append({"area_type": "METRO", "area": {"$in": sorted(set(metros))}})
    if not places:
        return {}
    query = {"occupation": {"$in": wanted}, "$or": places, "industry": ALL_INDUSTRIES, "release": release}
    async for doc in db[o.OFFICIAL_WAGES].find(query, {"area": 1, "occupation": 1, "annual_median": 1,
                                                       "employment": 1, "wage_rse": 1, "at_least": 1, "source": 1}):
        cells.setdefault(doc["occupation"], []).append(doc)
    return {role: [cell for code in found for cell in cells.get(code, [])] for role, found in codes.items()}


async def with_metro_cells(db: AsyncDatabase[dict[str, Any]], official: dict[str, list[dict[str, Any]]],
                           rows_by_role: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """`official` (`official_for_roles`) with the OEWS cells of the metro areas of each role's
    published METRO rows added, so that its comparisons cover them."""
    metros = {role: found for role, rows in rows_by_role.items() if (found := metros_of(rows))}
    if not metros:
        return official
    extra = await official_for_roles(db, sorted(metros), set().union(*metros.values()), national_and_states=False)
    return {**official, **{role: official.get(role, []) + extra.get(role, []) for role in metros}}


def _crowd_rows(rows: list[dict[str, Any]]) -> dict[str | None, dict[str, Any]]:
    """The role's US rows normalised to USD: the COUNTRY row under None, REGION rows by region,
    METRO rows by OEWS area code."""
    found: dict[str | None, dict[str, Any]] = {}
    for row in rows:
        if row.get("normalized_to") != "USD" or row.get("country") != "US":
            continue
        if row["level"] == "COUNTRY":
            found[None] = row
        elif row["level"] == "REGION" and row.get("region_code"):
            found[row["region_code"]] = row
        elif row["level"] == "METRO" and row.get("metro_code"):
            found[row["metro_code"]] = row
    return found


POSTAL_OF = {f"{fips}00000": postal for postal, fips in STATE_FIPS.items()}


def _entry(crowd: dict[str, Any] | None, official: dict[str, Any]) -> dict[str, Any]:
    median = official.get("annual_median")
    entry = {"occupation": official["occupation"], "annual_median": median, "employment": official.get("employment"),
             "wage_rse": official.get("wage_rse"), "at_least": (official.get("at_least") or {}).get("annual_median"),
             "source": official.get("source"), "ratio": None, "diverges": None}
    if crowd is None or crowd.get("withheld") or not crowd.get("median") or not median:
        return entry
    crowd_median = float(crowd["median"])
    entry["ratio"] = crowd_median / median
    se_crowd = 1.2533 * float(crowd.get("stddev") or 0.0) / math.sqrt(crowd["count"])
    se_official = median * (official.get("wage_rse") or 0.0) / 100
    spread = math.hypot(se_crowd, se_official)
    entry["diverges"] = abs(crowd_median - median) > 1.96 * spread if spread else crowd_median != median
    return entry


def compare(rows: list[dict[str, Any]], official: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Comparisons for the nation, every state with official figures for the role, and every metro
    area with both a crowd row and official figures."""
    by_area: dict[str, list[dict[str, Any]]] = {}
    for cell in official:
        by_area.setdefault(cell["area"], []).append(cell)
    out = []
    crowds = _crowd_rows(rows)
    for area, cells in sorted(by_area.items()):
        metro = area != NATIONAL_AREA and area not in POSTAL_OF
        if metro and area not in crowds:
            continue
        region = None if area == NATIONAL_AREA or metro else f"US-{POSTAL_OF[area]}"
        crowd = crowds.get(area if metro else region)
        out.append({
            "area": area, "region_code": region,
            "crowd": None if crowd is None else {k: crowd.get(k) for k in ("median", "count", "withheld", "stddev")},
            "official": [_entry(crowd, cell) for cell in sorted(cells, key=lambda c: -(c.get("employment") or 0))],
            "note": NOTE, "basis": BASIS})
    return out
