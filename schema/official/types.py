"""GraphQL types of published figures: salary benchmarks and growth outlooks, with sources."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from schema.bands import ExperienceBand, band_or_none
from schema.context import Info
from schema.lazy import ROLE, load_role
from schema.provenance import Source, load_source
from schema.relay import Node, model_field
from service.official import model

if TYPE_CHECKING:
    from schema.catalog.role import Role


@strawberry.type(description="A published pay figure, e.g. the mean for a role in a country.")
class SalaryBenchmark(Node):
    model: strawberry.Private[model.SalaryBenchmark]

    def node_key(self) -> str:
        return self.model.key

    statistic: str = model_field("statistic", "mean, median, minimum (\"X or more\") or range")
    amount: float | None = model_field("amount")
    amount_max: float | None = model_field("amount_max")
    currency: str = model_field("currency")
    country: str | None = model_field("country")

    @strawberry.field
    def experience_band(self) -> ExperienceBand | None:
        return band_or_none(self.model.experience_band)

    period: str = model_field("period")
    scope: str = model_field("scope", "What the figure covers, in words, with its attribution.")

    @strawberry.field
    async def role(self, info: Info) -> Annotated[Role, strawberry.lazy(ROLE)] | None:
        return await load_role(info, self.model.role)

    @strawberry.field
    async def source(self, info: Info) -> Source | None:
        return await load_source(info, self.model.source)


@strawberry.type(description="Growth outlook for a role over a period.")
class Outlook(Node):
    model: strawberry.Private[model.Outlook]

    def node_key(self) -> str:
        return self.model.key

    subject_label: str = model_field("subject_label",
                                     "What the publisher measured, e.g. \"software developers\".")
    region: str = model_field("region")
    period: str | None = model_field("period")
    growth_percent: float | None = model_field("growth_percent")
    openings_per_year: int | None = model_field("openings_per_year")

    @strawberry.field
    async def role(self, info: Info) -> Annotated[Role, strawberry.lazy(ROLE)] | None:
        return await load_role(info, self.model.subject)

    @strawberry.field
    async def source(self, info: Info) -> Source | None:
        return await load_source(info, self.model.source)
