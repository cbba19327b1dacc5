"""What a summary read returns: salary summaries and demand, as typed values.

Documents come from the worker (`salary_stats`, `demand`); `from_document` here is the only
place the read side knows their field names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

LEVELS = ("CELL", "COUNTRY", "BAND", "ROLE")


def level_for(country: str | None, experience_band: str | None) -> str:
    """The one group a (country, band) question names: CELL for both, COUNTRY or BAND for one,
    ROLE for neither."""
    return {(True, True): "CELL", (True, False): "COUNTRY", (False, True): "BAND",
            (False, False): "ROLE"}[(country is not None, experience_band is not None)]


@dataclass(frozen=True)
class SalaryScope:
    """Which salary summaries to read. `level` None means every level for one role, and the ROLE
    roll-ups when the scope is every role (`default_level`)."""

    role: str | None  # None: every role
    country: str | None = None
    experience_band: str | None = None
    currency: str | None = None
    level: str | None = None

    @property
    def default_level(self) -> str | None:
        if self.level is not None:
            return self.level
        return None if self.role else "ROLE"


@dataclass(frozen=True)
class SalarySummary:
    role: str
    country: str | None
    experience_band: str | None
    currency: str | None
    status: str  # READY or PENDING
    level: str | None = None
    count: int = 0
    mean: float | None = None
    min: float | None = None
    max: float | None = None
    p10: float | None = None
    p25: float | None = None
    median: float | None = None
    p75: float | None = None
    p90: float | None = None
    stddev: float | None = None
    sufficient: bool = False
    withheld: bool = False
    withheld_reason: str | None = None
    computed_at: datetime | None = None
    source: str | None = None  # CACHE, DATABASE or LIVE
    stale: bool = False
    version: str | None = None

    @classmethod
    def pending(cls, scope: SalaryScope) -> SalarySummary:
        return cls(role=scope.role or "", country=scope.country, experience_band=scope.experience_band,
                   currency=scope.currency, level=scope.level, status="PENDING")


@dataclass(frozen=True)
class DemandOutlook:
    region: str
    period: str | None
    growth_percent: float | None
    openings_per_year: int | None
    subject_label: str
    source: str


@dataclass(frozen=True)
class YearVolume:
    year: int | None
    count: int


@dataclass(frozen=True)
class DemandSkill:
    skill: str
    importance: str
    hot: bool
    in_demand: bool
    roles_needing: int


@dataclass(frozen=True)
class PayPremium:
    currency: str
    median_with_skill: float | None
    sample_with_skill: int
    overall_median: float | None
    overall_sample: int
    premium_percent: float | None
    sufficient: bool


@dataclass(frozen=True)
class DemandSummary:
    """Demand for a role (`role:<slug>`) or a skill (`skill:<slug>`). Figures that do not apply to
    the subject's kind are None or empty."""

    subject: str
    status: str  # READY or PENDING
    computed_at: datetime | None = None
    source: str | None = None
    stale: bool = False
    sample_size: int | None = None
    outlooks: tuple[DemandOutlook, ...] = ()
    observations_by_year: tuple[YearVolume, ...] = ()
    skill_count: int | None = None
    hot_skill_count: int | None = None
    in_demand_skill_count: int | None = None
    top_skills: tuple[DemandSkill, ...] = ()
    core_roles: tuple[str, ...] = ()
    recommended_roles: tuple[str, ...] = ()
    roles_needing: int | None = None
    pay: PayPremium | None = None

    @classmethod
    def from_document(cls, doc: dict[str, Any], *, computed_at: datetime | None, source: str,
                      stale: bool) -> DemandSummary:
        pay = doc.get("pay")
        return cls(
            subject=doc["subject"], status="READY", computed_at=computed_at, source=source, stale=stale,
            sample_size=doc.get("sample_size"),
            outlooks=tuple(DemandOutlook(region=o["region"], period=o.get("period"),
                                         growth_percent=o.get("growth_percent"),
                                         openings_per_year=o.get("openings_per_year"),
                                         subject_label=o.get("subject_label") or "", source=o["source"])
                           for o in doc.get("outlooks") or ()),
            observations_by_year=tuple(YearVolume(year=r.get("year"), count=r["count"])
                                       for r in doc.get("observations_by_year") or ()),
            skill_count=doc.get("skill_count"), hot_skill_count=doc.get("hot_skill_count"),
            in_demand_skill_count=doc.get("in_demand_skill_count"),
            top_skills=tuple(DemandSkill(skill=t["skill"], importance=t["importance"], hot=t["hot"],
                                         in_demand=t["in_demand"], roles_needing=t["roles_needing"])
                             for t in doc.get("top_skills") or ()),
            core_roles=tuple(doc.get("core_roles") or ()),
            recommended_roles=tuple(doc.get("recommended_roles") or ()),
            roles_needing=doc.get("roles_needing"), pay=PayPremium(**pay) if pay else None,
        )
