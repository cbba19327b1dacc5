"""The field the summaries give `Skill` (composed in `schema/catalog/types.py`): its demand."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.summaries.demand import Demand
from service.catalog import model


@strawberry.type
class SkillSummaryFields:
    model: strawberry.Private[model.Skill]

    @strawberry.field
    async def demand(self, info: Info) -> Demand:
        return Demand(model=await info.context.loaders.demand.load(f"skill:{self.model.slug}"))
