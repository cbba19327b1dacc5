"""GraphQL types of salary summaries and recompute runs (demand is in `demand.py`)."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from schema.bands import ExperienceBand, band_or_none
from schema.relay import model_field
from service.summaries import model, runs


@strawberry.enum(description="PENDING: not computed yet; a recompute has been requested.")
class SummaryStatus(Enum):
    READY = "READY"
    PENDING = "PENDING"


@strawberry.enum(description="Where a summary was read from: CACHE (Redis, the normal case), DATABASE "
                               "(MongoDB's copy, when Redis is down or cold), LIVE (computed for this "
                               "request, admin only).")
class SummarySource(Enum):
    CACHE = "CACHE"
    DATABASE = "DATABASE"
    LIVE = "LIVE"


@strawberry.enum(description="What a salary summary groups: CELL is role x country x experience band; "
                               "COUNTRY, BAND and ROLE are roll-ups over bands, over countries, and over "
                               "both; REGION is role x country x region (ISO 3166-2, where observations "
                               "carry one); YEAR and COUNTRY_YEAR are by the year observed. Native rows "
                               "keep currencies apart; normalised rows (`normalizeTo`) pool them.")
class SummaryLevel(Enum):
    CELL = "CELL"
    COUNTRY = "COUNTRY"
    BAND = "BAND"
    ROLE = "ROLE"
    REGION = "REGION"
    YEAR = "YEAR"
    COUNTRY_YEAR = "COUNTRY_YEAR"


@strawberry.type(description="How a normalised summary pooled currencies: each observation converted at the "
                             "mean of the ECB's daily reference rates in the year it was observed.")
class Conversion:
    model: strawberry.Private[model.Conversion]

    currency: str = model_field("currency", "The currency every amount was converted to.")
    rate_source: str = model_field("rate_source", "Where the rates come from (the ECB's euro reference rates).")
    rate_basis: str = model_field("rate_basis", "The conversion rule, in words.")
    years: list[int] = model_field("years", "The years whose rates were used.")
    converted_count: int = model_field("converted_count", "Observations converted and counted.")
    unconvertible_count: int = model_field("unconvertible_count",
                                           "Observations left out: their currency has no rate.")
    unconvertible_currencies: list[str] = model_field("unconvertible_currencies")
    unconvertible_reasons: list[str] = model_field("unconvertible_reasons", "\"CUR: why\", one per currency.")


@strawberry.type(description="Pay statistics for one group of observations (see `level`). At CELL, COUNTRY "
                             "and BAND level a null country or band means the observations did not say.")
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

    currency: str | None = model_field("currency", "The amounts' currency; for a normalised row, the target.")
    region_code: str | None = model_field("region_code", "ISO 3166-2 subdivision (REGION level).")
    year: int | None = model_field("year", "The year observed (YEAR and COUNTRY_YEAR levels; null: not said).")

    @strawberry.field(description="Set on normalised rows (`normalizeTo`): how currencies were pooled.")
    def conversion(self) -> Conversion | None:
        return Conversion(model=self.model.conversion) if self.model.conversion else None

    @strawberry.field
    def status(self) -> SummaryStatus:
        return SummaryStatus(self.model.status)

    count: int = model_field("count", "Observations in the group.")
    sample_size: int = model_field("count", "Same as count: the number of observations behind every figure.")
    mean: float | None = model_field("mean", "Null when the group is `withheld`.")
    min: float | None = model_field("min", "Null when the group is `withheld`.")
    max: float | None = model_field("max", "Null when the group is `withheld`.")
    p10: float | None = model_field("p10", "Percentiles use linear interpolation (numpy's default); null "
                                  "when the group is `withheld`.")
    p25: float | None = model_field("p25")
    median: float | None = model_field("median")
    p75: float | None = model_field("p75")
    p90: float | None = model_field("p90")
    stddev: float | None = model_field("stddev", "Population standard deviation; null when `withheld`.")
    sufficient: bool = model_field("sufficient",
                                   "Enough observations (a setting, default 5) to publish figures.")
    withheld: bool = model_field("withheld", "Only the count is shown: the group is not `sufficient`, or "
                                             "its figures would let a withheld group be derived from totals.")
    withheld_reason: str | None = model_field("withheld_reason", "Why the group is withheld, in words.")
    computed_at: datetime | None = model_field("computed_at")
    version: str | None = model_field("version", "The summary version this came from.")

    @strawberry.field
    def source(self) -> SummarySource | None:
        return SummarySource(self.model.source) if self.model.source else None

    stale: bool = model_field("stale", "Observations of the role were stored after it was computed; a "
                                       "recompute is on its way.")


@strawberry.type(description="One recompute of summaries by the worker (or `careergraph recompute`).")
class RecomputeRun:
    scope: str = strawberry.field(description="A role slug, or \"all\".")
    trigger: str = strawberry.field(description="worker (a queued job), cron, or cli.")
    started_at: datetime
    finished_at: datetime | None
    duration_seconds: float | None
    documents_read: int | None = strawberry.field(description="Observations aggregated.")
    summaries_written: int | None
    version: str | None
    outcome: str = strawberry.field(description="running, ok or failed.")
    error: str | None

    @classmethod
    def from_model(cls, run: runs.RecomputeRun) -> RecomputeRun:
        return cls(scope=run.scope, trigger=run.trigger, started_at=run.started_at,
                   finished_at=run.finished_at,
                   duration_seconds=run.duration_s, documents_read=run.documents_read,
                   summaries_written=run.summaries_written, version=run.version, outcome=run.outcome,
                   error=run.error)
