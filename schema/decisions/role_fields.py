"""The field the decisions give `Role` (composed in `schema/catalog/role.py`): its next moves."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.decisions.types import NextMoves
from service.catalog import model
from service.decisions.next_moves import next_moves


@strawberry.type
class RoleDecisionFields:
    model: strawberry.Private[model.Role]

    @strawberry.field
    async def next_moves(self, info: Info, area: str = "US", known_skills: list[str] | None = None,
                         first: int = 10) -> NextMoves:
        return NextMoves(model=await next_moves(info.context.resources, self.model.slug, area, known_skills, first))
