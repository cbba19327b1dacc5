"""The SalaryObservation type: one person's reported pay, with its source."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from schema.bands import ExperienceBand, band_or_none
from schema.context import Info
from schema.lazy import ROLE, load_role
from schema.provenance import Source, load_source
from schema.relay import Node, model_field
from service.salaries import model

if TYPE_CHECKING:
    from schema.catalog.role import Role


@strawberry.type(description="One person's reported annual pay.")
class SalaryObservation(Node):
    model: strawberry.Private[model.SalaryObservation]

    def node_key(self) -> str:
        return self.model.key

    raw_title: str = model_field("raw_title", "The job title as reported.")
    tag: str | None = model_field("tag",
                                  "Specialisation tag as reported, e.g. \"API Development (Back-End)\".")
    company: str | None = model_field("company")
    city: str | None = model_field("city")
    region: str | None = model_field("region")
    country: str | None = model_field("country", "ISO 3166-1 alpha-2")
    currency: str = model_field("currency", "ISO 4217")
    amount: float = model_field("amount", "Annual total compensation.")
    base_amount: float | None = model_field("base_amount", "Annual base pay, where known.")
    years_experience: float | None = model_field("years_experience")

    @strawberry.field
    def experience_band(self) -> ExperienceBand | None:
        return band_or_none(self.model.experience_band)

    year: int | None = model_field("year", "Year observed, where the source says.")

    @strawberry.field
    async def role(self, info: Info) -> Annotated[Role, strawberry.lazy(ROLE)] | None:
        return await load_role(info, self.model.role)

    @strawberry.field
    async def source(self, info: Info) -> Source | None:
        return await load_source(info, self.model.source)
