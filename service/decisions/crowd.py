"""Crowd figures for decisions: a role's published group (normalised to USD) for a place and band.

Privacy: crowd pay reaches `decisions` only here, and only as `salarySummaries` publishes it: the
rows `service.summaries.reads` serves, which `service.summaries.publication` made under the one
disclosure policy (docs/privacy.md: released rows only, submitted amounts on the pay grid, no min or
max, p10 and p90 from `CAREERGRAPH_TAIL_MIN`, a withheld group's count only). Never the exact engine
(`live`), never raw observations; a group waiting for a release gives the figures of the last one.
`tests/schema/test_crowd_privacy.py` checks it through the API.

The group for a place: the nation's COUNTRY row (CELL with a band), a state's REGION row (the band
is not published by state, and `band_applied` says so), a metro area's METRO row (nor by metro
area; a METRO group is a union of atoms like every level, the engine's cells being split by metro
area too: see `service.summaries.disclosure`).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace

from service.decisions.places import Place
from service.platform.resources import Resources
from service.summaries.model import SalaryScope, SalarySummary
from service.summaries.reads import read_salary_summaries

PERCENTILE_LABELS = (("p10", "p10"), ("p25", "p25"), ("p50", "median"), ("p75", "p75"), ("p90", "p90"))
TARGET = "USD"


@dataclass(frozen=True)
class CrowdGroup:
    role: str
    level: str
    count: int
    withheld: bool
    percentiles: tuple[tuple[str, float], ...]  # ("p10", value) ... in order; empty when withheld
    median: float | None
    band: str | None
    band_applied: bool
    region_code: str | None
    computed_at: str | None
    version: str | None
    pooled: bool  # every currency pooled into USD (else the amounts paid in USD only)

    @classmethod
    def of(cls, summary: SalarySummary, band: str | None, pooled: bool) -> CrowdGroup:
        shown = not summary.withheld
        return cls(role=summary.role, level=summary.level or "", count=summary.count, withheld=summary.withheld,
                   percentiles=tuple((label, float(getattr(summary, name))) for label, name in PERCENTILE_LABELS
                                     if shown and getattr(summary, name) is not None),
                   median=summary.median if shown else None, band=summary.experience_band,
                   band_applied=band is None or summary.experience_band == band, region_code=summary.region_code,
                   computed_at=summary.computed_at.isoformat() if summary.computed_at else None,
                   version=summary.version, pooled=pooled)


def scope_for(role: str, place: Place, band: str | None) -> SalaryScope | None:
    if place.kind == "NATIONAL":
        return SalaryScope(role, country="US", experience_band=band, level="CELL" if band else "COUNTRY",
                           normalize_to=TARGET)
    if place.kind == "STATE":
        return SalaryScope(role, country="US", level="REGION", region_code=place.region_code, normalize_to=TARGET)
    return SalaryScope(role, country="US", level="METRO", metro_code=place.area, normalize_to=TARGET)


async def crowd_group(resources: Resources, role: str, place: Place, band: str | None = None) -> CrowdGroup | None:
    """The group pooling every currency into USD; without exchange rates (none loaded, so nothing
    is pooled), the group of the amounts paid in USD (`pooled` False)."""
    scope = scope_for(role, place, band)
    if scope is None:
        return None
    found = [s for s in await read_salary_summaries(resources, scope) if s.status == "READY"]
    if found:
        return CrowdGroup.of(found[0], band, pooled=True)
    native = replace(scope, normalize_to=None, currency=TARGET)
    found = [s for s in await read_salary_summaries(resources, native) if s.status == "READY"]
    return CrowdGroup.of(found[0], band, pooled=False) if found else None


async def crowd_groups(resources: Resources, roles: list[str], place: Place, band: str | None = None
                       ) -> dict[str, CrowdGroup | None]:
    """Each role's published group for the place (None where it has none)."""
    found = await asyncio.gather(*(crowd_group(resources, role, place, band) for role in roles))
    return dict(zip(roles, found, strict=True))
