"""GraphQL types of the catalogue: skills, their links to roles, learning paths, the skill gap and
title matches.

Each wraps a domain object (`model`); relations resolve through the request's DataLoaders. The
`Role` type is in `role.py`. `Skill` is a hub: the catalogue's own fields (`CatalogSkill`) with the
fields other features give it (`schema/summaries/skill_fields.py`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from schema.context import Info
from schema.provenance import Source, load_sources
from schema.references import load_role, load_skill
from schema.relay import Node, model_field
from schema.summaries.skill_fields import SkillSummaryFields
from service import importance
from service.catalog import model

if TYPE_CHECKING:
    from schema.catalog.role import Role

Importance = importance.Importance
strawberry.enum(Importance, name="Importance")


@strawberry.type
class CatalogSkill(Node):
    """What the catalogue knows of a skill."""

    model: strawberry.Private[model.Skill]

    def node_key(self) -> str:
        return self.model.slug

    slug: str = model_field("slug")
    name: str = model_field("name")
    category: str = model_field("category")
    description: str = model_field("description")
    aliases: list[str] = model_field("aliases")
    hot: bool = model_field("hot")
    in_demand: bool = model_field("in_demand")
    commodity: str | None = model_field("commodity")
    origin: str = model_field("origin")

    @strawberry.field
    async def roles(self, info: Info, importance: list[Importance] | None = None
                    ) -> list[SkillRole]:
        wanted = {i.value for i in importance} if importance else None
        pairs = await info.context.loaders.roles_by_skill.load(self.model.slug)
        return [SkillRole(role_slug=slug, importance=Importance(imp))
                for slug, imp in pairs if wanted is None or imp in wanted]


@strawberry.type
class Skill(CatalogSkill, SkillSummaryFields):
    """A skill with every feature's fields."""


@strawberry.type
class SkillRole:
    role_slug: strawberry.Private[str]
    importance: Importance

    @strawberry.field
    async def role(self, info: Info) -> Annotated[Role, strawberry.lazy("schema.catalog.role")] | None:
        return await load_role(info, self.role_slug)


@strawberry.type
class RoleSkill:
    link: strawberry.Private[model.RoleSkill]

    @strawberry.field
    async def skill(self, info: Info) -> Skill | None:
        return await load_skill(info, self.link.skill)

    @strawberry.field
    def importance(self) -> Importance:
        return Importance(self.link.importance)

    @strawberry.field
    def hot(self) -> bool:
        return self.link.hot

    @strawberry.field
    def in_demand(self) -> bool:
        return self.link.in_demand

    @strawberry.field
    def origin(self) -> str:
        return self.link.origin


@strawberry.type
class RelatedRole:
    role_slug: strawberry.Private[str]
    tier: str

    @strawberry.field
    async def role(self, info: Info) -> Annotated[Role, strawberry.lazy("schema.catalog.role")] | None:
        return await load_role(info, self.role_slug)


@strawberry.type
class Resource:
    title: str
    kind: str
    url: str | None


@strawberry.type
class LearningStep:
    model: strawberry.Private[model.LearningStep]

    position: int = model_field("position")
    title: str = model_field("title")
    description: str = model_field("description")
    estimated_hours: float | None = model_field("estimated_hours")
    prerequisites: list[int] = model_field("prerequisites")

    @strawberry.field
    def resources(self) -> list[Resource]:
        return [Resource(title=r.title, kind=r.kind, url=r.url) for r in self.model.resources]

    @strawberry.field
    async def skills(self, info: Info) -> list[Skill]:
        found = await info.context.loaders.skill.load_many(list(self.model.skills))
        return [Skill(model=s) for s in found if s is not None]


@strawberry.type
class LearningPath(Node):
    model: strawberry.Private[model.LearningPath]

    def node_key(self) -> str:
        return self.model.slug

    slug: str = model_field("slug")
    title: str = model_field("title")
    summary: str = model_field("summary")

    @strawberry.field
    def steps(self) -> list[LearningStep]:
        return [LearningStep(model=s) for s in self.model.steps]

    @strawberry.field
    def total_hours(self) -> float:
        return sum(s.estimated_hours or 0 for s in self.model.steps)

    @strawberry.field
    async def role(self, info: Info) -> Annotated[Role, strawberry.lazy("schema.catalog.role")] | None:
        return await load_role(info, self.model.role)

    @strawberry.field
    async def sources(self, info: Info) -> list[Source]:
        return await load_sources(info, list(self.model.sources))


@strawberry.type
class SkillGap:
    role: Annotated[Role, strawberry.lazy("schema.catalog.role")]
    missing: list[RoleSkill]
    matched: list[str]
    unknown: list[str]
    learning_path: LearningPath | None
    steps: list[LearningStep]
    total_hours: float


@strawberry.type
class TitleMatch:
    role_slug: strawberry.Private[str]
    score: float
    matched_title: str
    method: str

    @strawberry.field
    async def role(self, info: Info) -> Annotated[Role, strawberry.lazy("schema.catalog.role")] | None:
        return await load_role(info, self.role_slug)
