"""GraphQL types of a pay position: where an amount of pay stands among a role's published crowd
figures and its official ones, and how the amount was normalised."""

from __future__ import annotations

from datetime import datetime

import strawberry

from schema.bands import ExperienceBand, band_or_none
from schema.context import Info
from schema.decisions.types import DecisionPlace
from schema.provenance import Source, load_source
from schema.relay import model_field
from service.decisions import crowd, official, pay_position
from service.official import prices


@strawberry.type
class Percentile:
    label: str
    value: float


def _percentiles(pairs: tuple[tuple[str, float], ...]) -> list[Percentile]:
    return [Percentile(label=label, value=value) for label, value in pairs]


@strawberry.type
class Standing:
    model: strawberry.Private[pay_position.Position]

    @strawberry.field
    def at(self) -> list[str]:
        return list(self.model.at)

    above: str | None = model_field("above")
    below: str | None = model_field("below")
    words: str = model_field("words")


@strawberry.type
class RealAmount:
    model: strawberry.Private[prices.RealAmount]

    amount: float = model_field("amount")
    nominal: float = model_field("nominal")
    year: int = model_field("year")
    base_year: int = model_field("base_year")
    series: str = model_field("series")
    series_title: str = model_field("series_title")
    index_year: float = model_field("index_year")
    index_base: float = model_field("index_base")
    months_year: int | None = model_field("months_year")
    months_base: int | None = model_field("months_base")
    rule: str = model_field("rule")

    @strawberry.field
    def source(self) -> Source:
        return Source(model=self.model.source)


@strawberry.type
class NormalisedAmount:
    model: strawberry.Private[pay_position.Normalised]

    amount: float = model_field("amount")
    currency: str = model_field("currency")
    year: int = model_field("year")
    usd: float = model_field("usd")
    exchange_factor: float = model_field("exchange_factor")
    exchange_year: int = model_field("exchange_year")
    rate_source: str = model_field("rate_source")

    @strawberry.field
    def real(self) -> RealAmount | None:
        return RealAmount(model=self.model.real) if self.model.real else None

    compared: float = model_field("compared")


@strawberry.type
class CrowdStanding:
    model: strawberry.Private[crowd.CrowdGroup]
    standing: strawberry.Private[pay_position.Position | None]

    level: str = model_field("level")
    count: int = model_field("count")
    withheld: bool = model_field("withheld")

    @strawberry.field
    def percentiles(self) -> list[Percentile]:
        return _percentiles(self.model.percentiles)

    median: float | None = model_field("median")

    @strawberry.field
    def experience_band(self) -> ExperienceBand | None:
        return band_or_none(self.model.band)

    band_applied: bool = model_field("band_applied")
    region_code: str | None = model_field("region_code")
    pooled: bool = model_field("pooled")
    version: str | None = model_field("version")

    @strawberry.field
    def computed_at(self) -> datetime | None:
        return datetime.fromisoformat(self.model.computed_at) if self.model.computed_at else None

    @strawberry.field
    def position(self) -> Standing | None:
        return Standing(model=self.standing) if self.standing else None


@strawberry.type
class OfficialStanding:
    model: strawberry.Private[official.OfficialPay]
    standing: strawberry.Private[pay_position.Position | None]
    above: strawberry.Private[bool | None]

    occupation: str = model_field("occupation")
    area: str = model_field("area")
    release: str = model_field("release")
    employment: float | None = model_field("employment")
    median: float | None = model_field("median")

    @strawberry.field
    def percentiles(self) -> list[Percentile]:
        return _percentiles(self.model.percentiles)

    @strawberry.field
    def at_least(self) -> list[Percentile]:
        return _percentiles(self.model.at_least)

    @strawberry.field
    def above_median(self) -> bool | None:
        return self.above

    @strawberry.field
    def position(self) -> Standing | None:
        return Standing(model=self.standing) if self.standing else None

    @strawberry.field
    async def source(self, info: Info) -> Source | None:
        return await load_source(info, self.model.source) if self.model.source else None


@strawberry.type
class PayPosition:
    model: strawberry.Private[pay_position.PayPosition]

    role: str = model_field("role")

    @strawberry.field
    def place(self) -> DecisionPlace:
        return DecisionPlace(model=self.model.place)

    @strawberry.field
    def experience_band(self) -> ExperienceBand | None:
        return band_or_none(self.model.band)

    @strawberry.field
    def amount(self) -> NormalisedAmount:
        return NormalisedAmount(model=self.model.normalised)

    @strawberry.field
    def crowd(self) -> CrowdStanding | None:
        found = self.model.crowd
        return CrowdStanding(model=found, standing=self.model.crowd_position) if found else None

    @strawberry.field
    def official(self) -> OfficialStanding | None:
        found = self.model.official
        return OfficialStanding(model=found, standing=self.model.official_position,
                                above=self.model.above_official_median) if found else None

    words: str = model_field("words")
