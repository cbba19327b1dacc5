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
    region_code: str | None = model_field("region_code", "ISO 3166-2 subdivision, where it can be told.")
    experience_level: str | None = model_field(
        "experience_level", "The source's own experience level, e.g. \"SE\" (ai-jobs.net) or \"Senior\".")
    employment_type: str | None = model_field(
        "employment_type", "full-time, part-time, contract, freelance or internship; null: the source does "
                           "not say. Summaries count full-time (and unstated) pay only.")
    company_size: str | None = model_field("company_size",
                                           "As the source says it, e.g. \"M\" or \"100 to 499 employees\".")
    remote_ratio: int | None = model_field("remote_ratio", "Percent of the work done remotely, 0-100.")
    published_amount: float | None = model_field(
        "published_amount", "The source's own conversion of `amount`, kept beside it (never a second "
                            "observation).")
    published_currency: str | None = model_field("published_currency", "ISO 4217 of `publishedAmount`.")

    @strawberry.field
    async def role(self, info: Info) -> Annotated[Role, strawberry.lazy(ROLE)] | None:
        return await load_role(info, self.model.role)

    @strawberry.field
    async def source(self, info: Info) -> Source | None:
        return await load_source(info, self.model.source)
