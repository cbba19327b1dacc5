"""Inputs and payloads of the salary queries and of `submitSalary`."""

from __future__ import annotations

import strawberry

from schema.bands import ExperienceBand
from schema.salaries.types import OwnSubmission, SalaryObservation
from schema.user_errors import UserError


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
        default=None)


@strawberry.input
class SubmitSalaryInput:
    role: str
    amount: float
    currency: str
    country: str
    experience_years: float
    idempotency_key: str
    city: str | None = None
    company: str | None = None
    title: str | None = None
    base_amount: float | None = None
    year: int | None = None


@strawberry.type
class SubmitSalaryPayload:
    observation: SalaryObservation | None
    created: bool
    receipt: str | None
    user_errors: list[UserError]


@strawberry.type
class WithdrawSubmissionPayload:
    submission: OwnSubmission | None
    user_errors: list[UserError]
