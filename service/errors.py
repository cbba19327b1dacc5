"""Expected failures, typed. The API turns each into a GraphQL error with `extensions.code`;
anything else is unexpected, masked and logged with a request id."""

from __future__ import annotations


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


class QueryTooComplex(CareerGraphError):
    code = "QUERY_TOO_COMPLEX"


class QueryTimeout(CareerGraphError):
    code = "TIMEOUT"


class Unavailable(CareerGraphError):
    code = "SERVICE_UNAVAILABLE"
