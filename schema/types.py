"""GraphQL object types for the catalogue: roles, skills, paths, sources and published figures.

Each wraps a domain object (`model`); relations resolve through the request's DataLoaders.
"""

from __future__ import annotations

from datetime import date
from enum import Enum

import strawberry

from schema.context import Info
from schema.relay import Node, model_field
from service import domain
from service.summaries import read_demand_summary


@strawberry.enum(description="How much a role needs a skill.")
class Importance(Enum):
    CORE = "core"
    RECOMMENDED = "recommended"
    OPTIONAL = "optional"


@strawberry.enum(description="Years of experience: ENTRY <1, EARLY 1-3, MID 4-6, EXPERIENCED 7-9, "
                             "SENIOR 10+.")
class ExperienceBand(Enum):
    ENTRY = "entry"
    EARLY = "early"
    MID = "mid"
    EXPERIENCED = "experienced"
    SENIOR = "senior"


@strawberry.type(description="Where a figure comes from.")
class Source(Node):
    model: strawberry.Private[domain.Source]

    def node_key(self) -> str:
        return self.model.slug

    slug: str = model_field("slug")
    publisher: str = model_field("publisher")
    title: str = model_field("title")
    url: str | None = model_field("url")
    published: date | None = model_field("published")
    retrieved: date | None = model_field("retrieved")
    licence: str | None = model_field("licence")
    note: str | None = model_field("note")


async def load_source(info: Info, slug: str) -> Source | None:
    found = await info.context.loaders.source.load(slug)
    return Source(model=found) if found else None


async def load_role(info: Info, slug: str) -> Role | None:
    found = await info.context.loaders.role.load(slug)
    return Role(model=found) if found else None


@strawberry.type(description="A skill or technology: language, framework, database, tool, practice...")
class Skill(Node):
    model: strawberry.Private[domain.Skill]

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
    async def demand(self, info: Info) -> Demand:
        summary = await read_demand_summary(info.context.resources, f"skill:{self.model.slug}")
        return Demand(model=summary)


@strawberry.type(description="A role that needs a skill, and how much.")
class SkillRole:
    role_slug: strawberry.Private[str]
    importance: Importance

    @strawberry.field
    async def role(self, info: Info) -> Role | None:
        return await load_role(info, self.role_slug)


@strawberry.type(description="A skill a role needs, with its importance and demand flags.")
class RoleSkill:
    link: strawberry.Private[domain.RoleSkill]

    @strawberry.field
    async def skill(self, info: Info) -> Skill | None:
        found = await info.context.loaders.skill.load(self.link.skill)
        return Skill(model=found) if found else None

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
    async def role(self, info: Info) -> Role | None:
        return await load_role(info, self.role_slug)


@strawberry.type(description="Learning material named for a step.")
class Resource:
    title: str
    kind: str
    url: str | None


@strawberry.type(description="One step of a learning path.")
class LearningStep:
    model: strawberry.Private[domain.LearningStep]

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
    model: strawberry.Private[domain.LearningPath]

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
    async def role(self, info: Info) -> Role | None:
        return await load_role(info, self.model.role)

    @strawberry.field
    async def sources(self, info: Info) -> list[Source]:
        found = await info.context.loaders.source.load_many(list(self.model.sources))
        return [Source(model=s) for s in found if s is not None]


@strawberry.type(description="A published pay figure, e.g. the mean for a role in a country.")
class SalaryBenchmark(Node):
    model: strawberry.Private[domain.SalaryBenchmark]

    def node_key(self) -> str:
        return self.model.key

    statistic: str = model_field("statistic", "mean, median, minimum (\"X or more\") or range")
    amount: float | None = model_field("amount")
    amount_max: float | None = model_field("amount_max")
    currency: str = model_field("currency")
    country: str | None = model_field("country")

    @strawberry.field
    def experience_band(self) -> ExperienceBand | None:
        return ExperienceBand(self.model.experience_band) if self.model.experience_band else None

    period: str = model_field("period")
    scope: str = model_field("scope", "What the figure covers, in words, with its attribution.")

    @strawberry.field
    async def role(self, info: Info) -> Role | None:
        return await load_role(info, self.model.role)

    @strawberry.field
    async def source(self, info: Info) -> Source | None:
        return await load_source(info, self.model.source)


@strawberry.type(description="Growth outlook for a role over a period.")
class Outlook(Node):
    model: strawberry.Private[domain.Outlook]

    def node_key(self) -> str:
        return self.model.key

    subject_label: str = model_field("subject_label",
                                     "What the publisher measured, e.g. \"software developers\".")
    region: str = model_field("region")
    period: str | None = model_field("period")
    growth_percent: float | None = model_field("growth_percent")
    openings_per_year: int | None = model_field("openings_per_year")

    @strawberry.field
    async def role(self, info: Info) -> Role | None:
        return await load_role(info, self.model.subject)

    @strawberry.field
    async def source(self, info: Info) -> Source | None:
        return await load_source(info, self.model.source)


from schema.role_type import Role  # noqa: E402  (Role refers to the types above)
from schema.salary_types import Demand  # noqa: E402
