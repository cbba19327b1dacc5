"""The SalaryObservation type: one person's reported pay, with its source."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from schema.bands import ExperienceBand, band_or_none
from schema.context import Info
from schema.provenance import Source, load_source
from schema.references import load_role
from schema.relay import Node, model_field
from service.salaries import model, receipts

if TYPE_CHECKING:
    from schema.catalog.role import Role


@strawberry.type
class SalaryObservation(Node):
    model: strawberry.Private[model.SalaryObservation]

    def node_key(self) -> str:
        return self.model.key

    raw_title: str = model_field("raw_title")
    tag: str | None = model_field("tag")
    company: str | None = model_field("company")
    city: str | None = model_field("city")
    region: str | None = model_field("region")
    country: str | None = model_field("country")
    currency: str = model_field("currency")
    amount: float = model_field("amount")
    base_amount: float | None = model_field("base_amount")
    years_experience: float | None = model_field("years_experience")

    @strawberry.field
    def experience_band(self) -> ExperienceBand | None:
        return band_or_none(self.model.experience_band)

    year: int | None = model_field("year")
    region_code: str | None = model_field("region_code")
    experience_level: str | None = model_field(
        "experience_level")
    employment_type: str | None = model_field(
        "employment_type")
    company_size: str | None = model_field("company_size")
    remote_ratio: int | None = model_field("remote_ratio")
    published_amount: float | None = model_field(
        "published_amount")
    published_currency: str | None = model_field("published_currency")

    @strawberry.field
    async def role(self, info: Info) -> Annotated[Role, strawberry.lazy("schema.catalog.role")] | None:
        return await load_role(info, self.model.role)

    @strawberry.field
    async def source(self, info: Info) -> Source | None:
        return await load_source(info, self.model.source)


@strawberry.enum
class SubmissionStatus(Enum):
    PENDING = "PENDING"
    RELEASED = "RELEASED"
    WITHDRAWN = "WITHDRAWN"


@strawberry.type
class OwnSubmission:
    own: strawberry.Private[receipts.OwnSubmission]

    @strawberry.field
    def observation(self) -> SalaryObservation:
        return SalaryObservation(model=self.own.observation)

    @strawberry.field
    def status(self) -> SubmissionStatus:
        return SubmissionStatus(self.own.status)
