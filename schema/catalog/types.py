"""GraphQL types of the catalogue: skills, their links to roles, and learning paths.

Each wraps a domain object (`model`); relations resolve through the request's DataLoaders.
The `Role` type is in `role.py`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from schema.context import Info
from schema.lazy import DEMAND, ROLE, lazy_type, load_role, load_skill
from schema.provenance import Source, load_sources
from schema.relay import Node, model_field
from service import importance
from service.catalog import model

if TYPE_CHECKING:
    from schema.catalog.role import Role
    from schema.summaries.demand import Demand

Importance = importance.Importance
strawberry.enum(Importance, name="Importance", description="How much a role needs a skill.")


@strawberry.type(description="A skill or technology: language, framework, database, tool, practice...")
class Skill(Node):
    model: strawberry.Private[model.Skill]

    def node_key(self) -> str:
        return self.model.slug

    slug: str = model_field("slug")
    name: str = model_field("name")
    category: str = model_field("category", "language, framework, database, protocol, devops, cloud, ...")
    description: str = model_field("description")
    aliases: list[str] = model_field("aliases")
    hot: bool = model_field("hot", "O*NET marks it a hot technology for at least one occupation.")
    in_demand: bool = model_field("in_demand",
                                  "O*NET marks it in demand in job postings for at least one occupation.")
    commodity: str | None = model_field("commodity", "UNSPSC commodity title from O*NET, where known.")
    origin: str = model_field("origin", "curated, onet or editor")

    @strawberry.field(description="Roles that list this skill, core first.")
    async def roles(self, info: Info, importance: list[Importance] | None = None
                    ) -> list[SkillRole]:
        wanted = {i.value for i in importance} if importance else None
        pairs = await info.context.loaders.roles_by_skill.load(self.model.slug)
        return [SkillRole(role_slug=slug, importance=Importance(imp))
                for slug, imp in pairs if wanted is None or imp in wanted]

    @strawberry.field(description="Demand for the skill, precomputed by the worker.")
    async def demand(self, info: Info) -> Annotated[Demand, strawberry.lazy(DEMAND)]:
        summary = await info.context.loaders.demand.load(f"skill:{self.model.slug}")
        return lazy_type(DEMAND, "Demand")(model=summary)


@strawberry.type(description="A role that needs a skill, and how much.")
class SkillRole:
    role_slug: strawberry.Private[str]
    importance: Importance

    @strawberry.field
    async def role(self, info: Info) -> Annotated[Role, strawberry.lazy(ROLE)] | None:
        return await load_role(info, self.role_slug)


@strawberry.type(description="A skill a role needs, with its importance and demand flags.")
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

    @strawberry.field(description="curated, onet or editor: who made the link")
    def origin(self) -> str:
        return self.link.origin


@strawberry.type(description="A role related to another, with how (career step, contrast, O*NET tier...).")
class RelatedRole:
    role_slug: strawberry.Private[str]
    tier: str

    @strawberry.field
    async def role(self, info: Info) -> Annotated[Role, strawberry.lazy(ROLE)] | None:
        return await load_role(info, self.role_slug)


@strawberry.type(description="Learning material named for a step.")
class Resource:
    title: str
    kind: str
    url: str | None


@strawberry.type(description="One step of a learning path.")
class LearningStep:
    model: strawberry.Private[model.LearningStep]

    position: int = model_field("position")
    title: str = model_field("title")
    description: str = model_field("description")
    estimated_hours: float | None = model_field("estimated_hours",
                                                "Editorial estimate of the hours the step takes.")
    prerequisites: list[int] = model_field("prerequisites", "Positions of the steps to do first.")

    @strawberry.field
    def resources(self) -> list[Resource]:
        return [Resource(title=r.title, kind=r.kind, url=r.url) for r in self.model.resources]

    @strawberry.field
    async def skills(self, info: Info) -> list[Skill]:
        found = await info.context.loaders.skill.load_many(list(self.model.skills))
        return [Skill(model=s) for s in found if s is not None]


@strawberry.type(description="An ordered path of steps towards a role.")
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

    @strawberry.field(description="Sum of the steps' estimated hours.")
    def total_hours(self) -> float:
        return sum(s.estimated_hours or 0 for s in self.model.steps)

    @strawberry.field
    async def role(self, info: Info) -> Annotated[Role, strawberry.lazy(ROLE)] | None:
        return await load_role(info, self.model.role)

    @strawberry.field
    async def sources(self, info: Info) -> list[Source]:
        return await load_sources(info, list(self.model.sources))
