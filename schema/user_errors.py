"""`UserError`: what was wrong with a mutation's input, field by field."""

from __future__ import annotations

from collections.abc import Iterable

import strawberry

from service import errors


@strawberry.type
class UserError:
    field: str
    message: str
    code: str


def user_errors(found: Iterable[errors.UserError]) -> list[UserError]:
    return [UserError(field=e.field, message=e.message, code=e.code) for e in found]
