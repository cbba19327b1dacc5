"""GraphQL types of salary summaries, pay comparisons, recompute runs and their notices (demand is in
`demand.py`)."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from schema.adjustments import Adjustment
from schema.bands import ExperienceBand, band_or_none
from schema.context import Info
from schema.provenance import Source, load_source
from schema.relay import model_field
from service.official import prices
from service.summaries import model, publication, runs


@strawberry.enum
class SummaryStatus(Enum):
    READY = "READY"
    PENDING = "PENDING"


@strawberry.enum
class SummarySource(Enum):
    CACHE = "CACHE"
    DATABASE = "DATABASE"
    LIVE = "LIVE"


@strawberry.enum
class SummaryLevel(Enum):
    CELL = "CELL"
    COUNTRY = "COUNTRY"
    BAND = "BAND"
    ROLE = "ROLE"
    REGION = "REGION"
    YEAR = "YEAR"
    COUNTRY_YEAR = "COUNTRY_YEAR"
    METRO = "METRO"


@strawberry.type
class Conversion:
    model: strawberry.Private[model.Conversion]

    currency: str = model_field("currency")
    rate_source: str = model_field("rate_source")
    rate_basis: str = model_field("rate_basis")
    years: list[int] = model_field("years")
    converted_count: int = model_field("converted_count")
    unconvertible_count: int = model_field("unconvertible_count")
    unconvertible_currencies: list[str] = model_field("unconvertible_currencies")
    unconvertible_reasons: list[str] = model_field("unconvertible_reasons")
    unknown_year_count: int = model_field("unknown_year_count")

    @strawberry.field
    def unknown_year_rates(self) -> list[int]:
        return list(self.model.unknown_year_rates)


@strawberry.type
class SummaryAdjustment:
    model: strawberry.Private[model.RowAdjustment]

    @strawberry.field
    def kind(self) -> Adjustment:
        return Adjustment(self.model.kind)

    applied: bool = model_field("applied")
    reason: str | None = model_field("reason")
    factor: float | None = model_field("factor")
    unit: str = model_field("unit")
    base_year: int | None = model_field("base_year")
    series: str | None = model_field("series")
    series_title: str | None = model_field("series_title")
    index_year: float | None = model_field("index_year")
    index_base: float | None = model_field("index_base")
    months_year: int | None = model_field("months_year")
    months_base: int | None = model_field("months_base")
    country: str | None = model_field("country")
    local_currency: str | None = model_field("local_currency")
    ppp_factor: float | None = model_field("ppp_factor")
    ppp_year: int | None = model_field("ppp_year")
    exchange_factor: float | None = model_field("exchange_factor")
    exchange_year: int | None = model_field("exchange_year")
    rule: str = model_field("rule")

    @strawberry.field
    async def source(self, info: Info) -> Source | None:
        if self.model.source == prices.SOURCE.slug:
            return Source(model=prices.SOURCE)
        return await load_source(info, self.model.source)


@strawberry.type
class OmittedFigure:
    figure: str
    reason: str


@strawberry.type
class SalarySummary:
    model: strawberry.Private[model.SalarySummary]

    role: str = model_field("role")

    @strawberry.field
    def level(self) -> SummaryLevel | None:
        return SummaryLevel(self.model.level) if self.model.level else None

    country: str | None = model_field("country")

    @strawberry.field
    def experience_band(self) -> ExperienceBand | None:
        return band_or_none(self.model.experience_band)

    currency: str | None = model_field("currency")
    region_code: str | None = model_field("region_code")
    year: int | None = model_field("year")
    metro_code: str | None = model_field("metro_code")

    @strawberry.field
    def conversion(self) -> Conversion | None:
        return Conversion(model=self.model.conversion) if self.model.conversion else None

    @strawberry.field
    def adjustment(self) -> SummaryAdjustment | None:
        return SummaryAdjustment(model=self.model.adjustment) if self.model.adjustment else None

    @strawberry.field
    def status(self) -> SummaryStatus:
        return SummaryStatus(self.model.status)

    count: int = model_field("count")
    sample_size: int = model_field("count")
    mean: float | None = model_field("mean")
    min: float | None = strawberry.field(resolver=lambda root: root.model.min, deprecation_reason=(
        "Always null: the lowest and highest amounts of a group are each one person's pay."))
    max: float | None = strawberry.field(resolver=lambda root: root.model.max, deprecation_reason=(
        "Always null: the lowest and highest amounts of a group are each one person's pay."))
    p10: float | None = model_field("p10")
    p25: float | None = model_field("p25")
    median: float | None = model_field("median")
    p75: float | None = model_field("p75")
    p90: float | None = model_field("p90")
    stddev: float | None = model_field("stddev")
    sufficient: bool = model_field("sufficient")
    withheld: bool = model_field("withheld")
    withheld_reason: str | None = model_field("withheld_reason")
    held_back: bool = model_field("held_back")

    @strawberry.field
    def omitted_figures(self) -> list[OmittedFigure]:
        return [OmittedFigure(figure=name, reason=publication.OMITTED[code]) for name, code in self.model.omitted]

    computed_at: datetime | None = model_field("computed_at")
    version: str | None = model_field("version")

    @strawberry.field
    def source(self) -> SummarySource | None:
        return SummarySource(self.model.source) if self.model.source else None

    stale: bool = model_field("stale")


@strawberry.type
class RecomputeRun:
    scope: str
    trigger: str
    started_at: datetime
    finished_at: datetime | None
    duration_seconds: float | None
    documents_read: int | None
    summaries_written: int | None
    version: str | None
    outcome: str
    error: str | None

    @classmethod
    def from_model(cls, run: runs.RecomputeRun) -> RecomputeRun:
        return cls(scope=run.scope, trigger=run.trigger, started_at=run.started_at,
                   finished_at=run.finished_at,
                   duration_seconds=run.duration_s, documents_read=run.documents_read,
                   summaries_written=run.summaries_written, version=run.version, outcome=run.outcome,
                   error=run.error)


@strawberry.type
class OfficialMedian:
    model: strawberry.Private[model.OfficialMedian]

    occupation: str = model_field("occupation")
    annual_median: float | None = model_field("annual_median")
    at_least: float | None = model_field("at_least")
    employment: float | None = model_field("employment")
    wage_rse: float | None = model_field("wage_rse")
    ratio: float | None = model_field("ratio")
    diverges: bool | None = model_field("diverges")
    source: str | None = model_field("source")


@strawberry.type
class PayComparison:
    model: strawberry.Private[model.PayComparison]

    role: str = model_field("role")
    area: str = model_field("area")
    region_code: str | None = model_field("region_code")
    crowd_median: float | None = model_field("crowd_median")
    crowd_count: int = model_field("crowd_count")
    crowd_withheld: bool = model_field("crowd_withheld")

    @strawberry.field
    def official(self) -> list[OfficialMedian]:
        return [OfficialMedian(model=m) for m in self.model.official]

    note: str = model_field("note")
    basis: str = model_field("basis")
    computed_at: datetime | None = model_field("computed_at")

    @strawberry.field
    def source(self) -> SummarySource | None:
        return SummarySource(self.model.source) if self.model.source else None


@strawberry.type
class SummariesUpdate:
    version: str
    scope: str
    roles: list[str]
    computed_at: datetime
