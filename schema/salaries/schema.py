"""Salary fields of the root types: the `salaryObservations` and `mySubmission` queries, the
`submitSalary` and `withdrawSubmission` mutations."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.relay import Connection, connection, page_request
from schema.salaries.inputs import (
    SalaryObservationFilter,
    SubmitSalaryInput,
    SubmitSalaryPayload,
    WithdrawSubmissionPayload,
)
from schema.salaries.types import OwnSubmission, SalaryObservation
from schema.user_errors import UserError, user_errors
from service.salaries import receipts
from service.salaries.reads import ObservationFilter, list_observations
from service.salaries.submissions import SalarySubmission, submit_salary
from service.salaries.visibility import view_for

NO_RECEIPT = "no submission has this receipt (a wrong receipt, or a withdrawal a release has carried out)"


@strawberry.type
class SalaryQuery:
    @strawberry.field
    async def salary_observations(self, info: Info, filter: SalaryObservationFilter | None = None,
                                  first: int | None = None, after: str | None = None,
                                  last: int | None = None, before: str | None = None
                                  ) -> Connection[SalaryObservation]:
        principal = await info.context.require("reader")
        values = dict(vars(filter)) if filter else {}
        if values.get("experience_band") is not None:
            values["experience_band"] = values["experience_band"].value
        page = await list_observations(info.context.resources.db, ObservationFilter(**values),
                                       page_request(info, first, after, last, before), view_for(principal.role))
        return connection(page, lambda o: SalaryObservation(model=o))

    @strawberry.field
    async def my_submission(self, info: Info, receipt: str) -> OwnSubmission | None:
        found = await receipts.read_own(info.context.resources, receipt)
        return OwnSubmission(own=found) if found else None


@strawberry.type
class SalaryMutation:
    @strawberry.mutation
    async def submit_salary(self, info: Info, input: SubmitSalaryInput) -> SubmitSalaryPayload:
        principal = await info.context.require("reader")
        submission = SalarySubmission(**vars(input))
        result = await submit_salary(info.context.resources, submission, principal.key_id)
        observation = SalaryObservation(model=result.observation) if result.observation else None
        return SubmitSalaryPayload(observation=observation, created=result.created, receipt=result.receipt,
                                   user_errors=user_errors(result.errors))

    @strawberry.mutation
    async def withdraw_submission(self, info: Info, receipt: str) -> WithdrawSubmissionPayload:
        found = await receipts.withdraw(info.context.resources, receipt)
        if found is None:
            return WithdrawSubmissionPayload(submission=None, user_errors=[
                UserError(field="receipt", message=NO_RECEIPT, code="NOT_FOUND")])
        return WithdrawSubmissionPayload(submission=OwnSubmission(own=found), user_errors=[])
