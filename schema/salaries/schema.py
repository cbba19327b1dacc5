"""Salary fields of the root types: the `salaryObservations` query and the `submitSalary` mutation."""

from __future__ import annotations

import strawberry

from schema.bands import ExperienceBand
from schema.context import Info
from schema.relay import Connection, connection, page_request
from schema.salaries.types import SalaryObservation
from schema.user_errors import UserError, user_errors
from service.salaries.reads import ObservationFilter, list_observations
from service.salaries.submissions import SalarySubmission, submit_salary


@strawberry.input
class SalaryObservationFilter:
    role: str | None = None
    country: str | None = None
    experience_band: ExperienceBand | None = None
    currency: str | None = None
    min_amount: float | None = None
    max_amount: float | None = None
    year: int | None = None
    employment_type: str | None = strawberry.field(
        default=None, description="full-time, part-time, contract, freelance or internship.")


@strawberry.input
class SubmitSalaryInput:
    role: str = strawberry.field(description="Role slug, e.g. backend-developer.")
    amount: float = strawberry.field(description="Annual total compensation.")
    currency: str = strawberry.field(description="ISO 4217, e.g. USD.")
    country: str = strawberry.field(description="ISO 3166-1 alpha-2, e.g. US.")
    experience_years: float
    idempotency_key: str = strawberry.field(description="Your unique key for this submission; "
                                                        "resending it never stores a second copy.")
    city: str | None = None
    company: str | None = None
    title: str | None = None
    base_amount: float | None = None
    year: int | None = None


@strawberry.type
class SubmitSalaryPayload:
    observation: SalaryObservation | None
    created: bool = strawberry.field(description="False when this idempotency key was already stored.")
    user_errors: list[UserError]


@strawberry.type
class SalaryQuery:
    @strawberry.field(description="Salary observations, filtered, ordered by amount (any API key: "
                                  "raw observations are people's pay, so they are not anonymous reads).")
    async def salary_observations(self, info: Info, filter: SalaryObservationFilter | None = None,
                                  first: int | None = None, after: str | None = None,
                                  last: int | None = None, before: str | None = None
                                  ) -> Connection[SalaryObservation]:
        await info.context.require("reader")
        values = dict(vars(filter)) if filter else {}
        if values.get("experience_band") is not None:
            values["experience_band"] = values["experience_band"].value
        page = await list_observations(info.context.resources.db, ObservationFilter(**values),
                                       page_request(info, first, after, last, before))
        return connection(page, lambda o: SalaryObservation(model=o))


@strawberry.type
class SalaryMutation:
    @strawberry.mutation(description="Report one salary (any API key).")
    async def submit_salary(self, info: Info, input: SubmitSalaryInput) -> SubmitSalaryPayload:
        principal = await info.context.require("reader")
        submission = SalarySubmission(**vars(input))
        result = await submit_salary(info.context.resources, submission, principal.key_id)
        observation = SalaryObservation(model=result.observation) if result.observation else None
        return SubmitSalaryPayload(observation=observation, created=result.created,
                                   user_errors=user_errors(result.errors))
