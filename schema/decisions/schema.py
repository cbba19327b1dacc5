"""Decision fields of the root query: `nextMoves` and `payPosition`. Both are answered from the
response cache (`schema.http.response_cache`): `nextMoves` under the latest summary version (it reads
other roles' figures too), `payPosition` under its role's."""

from __future__ import annotations

import strawberry

from schema.adjustments import Adjustment
from schema.bands import ExperienceBand
from schema.context import Info
from schema.decisions.positions import PayPosition
from schema.decisions.types import NextMoves
from service.decisions.next_moves import next_moves
from service.decisions.pay_position import pay_position


@strawberry.type
class DecisionQuery:
    @strawberry.field
    async def next_moves(self, info: Info, role: str, area: str = "US", known_skills: list[str] | None = None,
                         first: int = 10) -> NextMoves:
        return NextMoves(model=await next_moves(info.context.resources, role, area, known_skills, first))

    @strawberry.field
    async def pay_position(self, info: Info, role: str, amount: float, currency: str, area: str = "US",
                           experience_band: ExperienceBand | None = None, adjust: Adjustment | None = None,
                           year: int | None = None) -> PayPosition:
        found = await pay_position(info.context.resources, role, amount, currency, area,
                                   experience_band.value if experience_band else None,
                                   adjust.value if adjust else None, year)
        return PayPosition(model=found)
