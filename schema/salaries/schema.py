"""Salary fields of the root types: the `salaryObservations` query and the `submitSalary` mutation."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.relay import Connection, connection, page_request
from schema.salaries.inputs import SalaryObservationFilter, SubmitSalaryInput, SubmitSalaryPayload
from schema.salaries.types import SalaryObservation
from schema.user_errors import user_errors
from service.salaries.reads import ObservationFilter, list_observations
from service.salaries.submissions import SalarySubmission, submit_salary


@strawberry.type
class SalaryQuery:
    @strawberry.field
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
    @strawberry.mutation
    async def submit_salary(self, info: Info, input: SubmitSalaryInput) -> SubmitSalaryPayload:
        principal = await info.context.require("reader")
        submission = SalarySubmission(**vars(input))
        result = await submit_salary(info.context.resources, submission, principal.key_id)
        observation = SalaryObservation(model=result.observation) if result.observation else None
        return SubmitSalaryPayload(observation=observation, created=result.created,
                                   user_errors=user_errors(result.errors))
