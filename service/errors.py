"""Expected failures, typed. The API turns each into a GraphQL error with `extensions.code`;
anything else is unexpected, masked and logged with a request id."""

from __future__ import annotations

from dataclasses import dataclass


class CareerGraphError(Exception):
    code = "INTERNAL_SERVER_ERROR"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(CareerGraphError):
    code = "NOT_FOUND"


class BadUserInput(CareerGraphError):
    code = "BAD_USER_INPUT"


class Unauthenticated(CareerGraphError):
    code = "UNAUTHENTICATED"


class Forbidden(CareerGraphError):
    code = "FORBIDDEN"


@dataclass(frozen=True)
class UserError:
    """What is wrong with one input field, for a mutation's `userErrors` or an importer's report.
    `field` is the use case's own (snake_case) name of the field; the GraphQL adapter gives it the
    name clients sent (`idempotency_key` is `idempotencyKey` there)."""

    field: str
    message: str
    code: str
