"""`UserError`: what was wrong with a mutation's input, field by field. The service names a field
as its use case does (snake_case); here it gets the name the input has in the schema, as Strawberry
derives it (`idempotency_key` is `idempotencyKey`)."""

from __future__ import annotations

from collections.abc import Iterable

import strawberry
from strawberry.utils.str_converters import to_camel_case

from service import errors


@strawberry.type
class UserError:
    field: str
    message: str
    code: str


def user_errors(found: Iterable[errors.UserError]) -> list[UserError]:
    return [UserError(field=to_camel_case(e.field), message=e.message, code=e.code) for e in found]
