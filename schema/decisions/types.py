"""GraphQL types of career decisions: the ranked next moves of a role, and the place a decision is
about (the pay position's types are in `positions.py`)."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from schema.context import Info
from schema.provenance import Source, load_source
from schema.references import declared_type, load_role, load_skills
from schema.relay import model_field
from service.decisions import candidates, crowd, next_moves, places

if TYPE_CHECKING:
    from schema.catalog.role import Role
    from schema.catalog.types import LearningPath, Skill


@strawberry.enum
class PayBasis(Enum):
    CROWD = "CROWD"
    OFFICIAL = "OFFICIAL"


@strawberry.type
class DecisionPlace:
    model: strawberry.Private[places.Place]

    area: str = model_field("area")
    kind: str = model_field("kind")
    region_code: str | None = model_field("region_code")

    @strawberry.field
    def label(self) -> str:
        return self.model.label()


@strawberry.type
class Relatedness:
    model: strawberry.Private[candidates.Candidate]

    tier: str = model_field("tier")
    weight: float = model_field("weight")
    onet_index: int | None = model_field("index")
    via: str | None = model_field("via")


@strawberry.type
class PayChange:
    model: strawberry.Private[next_moves.PayChange]

    @strawberry.field
    def basis(self) -> PayBasis:
        return PayBasis(self.model.basis)

    @strawberry.field
    def currency(self) -> str:
        return crowd.TARGET

    current: float = model_field("current")
    target: float = model_field("target")
    change: float = model_field("change")
    share: float = model_field("share")
    detail: str = model_field("detail")
    current_count: int | None = model_field("current_count")
    target_count: int | None = model_field("target_count")
    current_occupation: str | None = model_field("current_occupation")
    target_occupation: str | None = model_field("target_occupation")
    release: str | None = model_field("release")

    @strawberry.field
    def versions(self) -> list[str]:
        return list(self.model.versions)


@strawberry.type
class NextMove:
    model: strawberry.Private[next_moves.NextMove]

    rank: int = model_field("rank")
    slug: str = model_field("role")
    title: str = model_field("title")

    @strawberry.field
    async def role(self, info: Info) -> Annotated[Role, strawberry.lazy("schema.catalog.role")] | None:
        return await load_role(info, self.model.role)

    score: float = model_field("score")
    reach: float = model_field("reach")

    @strawberry.field
    def relatedness(self) -> Relatedness:
        return Relatedness(model=self.model.relatedness)

    @strawberry.field
    async def known(self, info: Info) -> list[Annotated[Skill, strawberry.lazy("schema.catalog.types")]]:
        return await load_skills(info, list(self.model.known))

    @strawberry.field
    async def to_learn(self, info: Info) -> list[Annotated[Skill, strawberry.lazy("schema.catalog.types")]]:
        return await load_skills(info, list(self.model.to_learn))

    hours: float | None = model_field("hours")

    @strawberry.field
    async def learning_path(self, info: Info
                            ) -> Annotated[LearningPath, strawberry.lazy("schema.catalog.types")] | None:
        if self.model.path is None:
            return None
        found = await info.context.loaders.path.load(self.model.path)
        return declared_type(info)(model=found) if found is not None else None

    @strawberry.field
    def pay(self) -> PayChange | None:
        return PayChange(model=self.model.pay) if self.model.pay else None

    occupation: str | None = model_field("occupation")
    employment: float | None = model_field("employment")
    location_quotient: float | None = model_field("location_quotient")

    @strawberry.field
    async def official_source(self, info: Info) -> Source | None:
        return await load_source(info, self.model.official_source) if self.model.official_source else None

    why: str = model_field("why")


@strawberry.type
class NextMoves:
    model: strawberry.Private[next_moves.NextMoves]

    role: str = model_field("role")

    @strawberry.field
    def place(self) -> DecisionPlace:
        return DecisionPlace(model=self.model.place)

    @strawberry.field
    def moves(self) -> list[NextMove]:
        return [NextMove(model=m) for m in self.model.moves]

    @strawberry.field
    def unknown_skills(self) -> list[str]:
        return list(self.model.unknown_skills)

    rule: str = model_field("rule")
