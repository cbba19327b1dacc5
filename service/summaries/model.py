"""What a summary read returns: salary summaries and demand, as typed values.

Documents come from the worker (`salary_stats`, `demand`); `from_document` here is the only
place the read side knows their field names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from service.errors import BadUserInput


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
    region_code: str | None = None
    year: int | None = None
    normalize_to: str | None = None  # USD or EUR: the rows that pool every currency into it
    adjust: str | None = None  # REAL or PPP: the rows' figures adjusted (`adjustments`)
    metro_code: str | None = None  # an OEWS metro area's code (7 digits): METRO rows

    def checked(self, targets: tuple[str, ...]) -> SalaryScope:
        """The scope with its codes upper-cased; BadUserInput for a malformed one or a target the
        worker does not precompute (`targets`, the setting CAREERGRAPH_NORMALIZE_TO)."""
        upper = {name: getattr(self, name).strip().upper() for name in ("country", "currency", "region_code",
                                                                          "normalize_to") if getattr(self, name)}
        scope = SalaryScope(**{**self.__dict__, **upper})
        if scope.normalize_to is not None and scope.normalize_to not in targets:
            raise BadUserInput(f"normalizeTo must be one of {', '.join(targets)} (the currencies summaries are "
                               "precomputed in; operators add more with CAREERGRAPH_NORMALIZE_TO)", field="normalizeTo")
        if scope.normalize_to is not None and scope.currency is not None:
            raise BadUserInput("give currency (native rows) or normalizeTo (pooled rows), not both", field="currency")
        if scope.region_code is not None and not re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", scope.region_code):
            raise BadUserInput("region is an ISO 3166-2 code such as US-TX or DE-BY", field="region")
        if scope.year is not None and not 1900 <= scope.year <= 2100:
            raise BadUserInput("year must be between 1900 and 2100", field="year")
        if scope.metro_code is not None and not re.fullmatch(r"\d{7}", scope.metro_code):
            raise BadUserInput("metro is an OEWS metro area code of 7 digits, e.g. 0012420 (Austin)", field="metro")
        return scope

    @property
    def default_level(self) -> str | None:
        """The level asked for; else the one a metro area, region or year names (METRO, REGION, YEAR
        or COUNTRY_YEAR); else ROLE for every role and None (the first four) for one."""
        if self.level is not None or self.metro_code is not None or self.region_code is not None:
            return self.level or ("METRO" if self.metro_code is not None else "REGION")
        if self.year is not None:
            return "COUNTRY_YEAR" if self.country is not None else "YEAR"
        return None if self.role else "ROLE"

    @property
    def levels(self) -> tuple[str, ...]:
        """The levels the scope reads: the one asked for, else the first four (not REGION, YEAR,
        COUNTRY_YEAR or METRO, which are asked for by name)."""
        level = self.default_level
        return (level,) if level else ("CELL", "COUNTRY", "BAND", "ROLE")


@dataclass(frozen=True)
class Conversion:
    """How a normalised summary pooled its currencies."""

    currency: str
    rate_source: str
    rate_basis: str
    years: tuple[int, ...]
    converted_count: int
    unconvertible_count: int
    unconvertible_currencies: tuple[str, ...]
    unconvertible_reasons: tuple[str, ...] = ()
    unknown_year_count: int = 0  # converted observations that state no year of their own ...
    unknown_year_rates: tuple[int, ...] = ()  # ... converted at these years' rates (the latest)

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> Conversion:
        reasons = doc.get("unconvertible_reasons") or {}
        return cls(currency=doc["currency"], rate_source=doc["rate_source"], rate_basis=doc["rate_basis"],
                   years=tuple(doc.get("years") or ()), converted_count=doc["converted_count"],
                   unconvertible_count=doc["unconvertible_count"],
                   unconvertible_currencies=tuple(doc.get("unconvertible_currencies") or ()),
                   unconvertible_reasons=tuple(f"{c}: {r}" for c, r in sorted(reasons.items())),
                   unknown_year_count=doc.get("unknown_year_count") or 0,
                   unknown_year_rates=tuple(doc.get("unknown_year_rates") or ()))


@dataclass(frozen=True)
class RowAdjustment:
    """How a row's figures were adjusted (or why they were not)."""

    kind: str  # REAL or PPP
    applied: bool
    reason: str | None = None
    factor: float | None = None  # every figure was multiplied by it
    unit: str = ""
    base_year: int | None = None  # REAL
    series: str | None = None
    series_title: str | None = None
    index_year: float | None = None
    index_base: float | None = None
    months_year: int | None = None
    months_base: int | None = None
    country: str | None = None  # PPP
    local_currency: str | None = None
    ppp_factor: float | None = None
    ppp_year: int | None = None
    exchange_factor: float | None = None
    exchange_year: int | None = None
    rule: str = ""
    source: str = ""  # a source slug


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
    withheld_code: str | None = None  # a key of `disclosure.REASONS`
    held_back: bool = False  # newer submissions of the group wait for a release
    omitted: tuple[tuple[str, str], ...] = ()  # (figure, why) of figures a shown group leaves out
    computed_at: datetime | None = None
    source: str | None = None  # CACHE, DATABASE or LIVE
    stale: bool = False
    version: str | None = None
    region_code: str | None = None
    year: int | None = None
    metro_code: str | None = None  # METRO rows: the OEWS metro area
    conversion: Conversion | None = None  # normalised rows only
    adjustment: RowAdjustment | None = None  # rows read with `adjust` (`adjustments`)

    @classmethod
    def pending(cls, scope: SalaryScope) -> SalarySummary:
        return cls(role=scope.role or "", country=scope.country, experience_band=scope.experience_band,
                   currency=scope.normalize_to or scope.currency, level=scope.level, status="PENDING",
                   region_code=scope.region_code, year=scope.year, metro_code=scope.metro_code)


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


@dataclass(frozen=True)
class OfficialMedian:
    occupation: str  # SOC
    annual_median: float | None
    at_least: float | None  # when BLS gives the median only as a bound
    employment: float | None
    wage_rse: float | None
    ratio: float | None  # crowd median / official median
    diverges: bool | None
    source: str | None


@dataclass(frozen=True)
class PayComparison:
    """Crowd pay (normalised to USD) beside BLS OEWS's annual median for one role and area."""

    role: str
    area: str  # OEWS area code
    region_code: str | None
    crowd_median: float | None
    crowd_count: int
    crowd_withheld: bool
    official: tuple[OfficialMedian, ...]
    note: str
    basis: str
    source: str | None = None  # CACHE or DATABASE
    computed_at: datetime | None = None

    @classmethod
    def from_document(cls, role: str, doc: dict[str, Any], source: str | None,
                      computed_at: datetime | None) -> PayComparison:
        crowd = doc.get("crowd") or {}
        return cls(role=role, area=doc["area"], region_code=doc.get("region_code"),
                   crowd_median=crowd.get("median") if not crowd.get("withheld") else None,
                   crowd_count=int(crowd.get("count") or 0), crowd_withheld=bool(crowd.get("withheld")),
                   official=tuple(OfficialMedian(**{k: o.get(k) for k in (
                       "occupation", "annual_median", "at_least", "employment", "wage_rse", "ratio", "diverges",
                       "source")}) for o in doc.get("official") or ()),
                   note=doc["note"], basis=doc["basis"], source=source, computed_at=computed_at)


#: What an export adds to each published summary row (`service.ops.export`), and an import takes off.
EXPORT_ROW_FIELDS = ("version", "computed_at", "sample_size", "source")
EXPORT_SOURCE = "careergraph salary summaries (computed from the salary observations; see `sources`)"
