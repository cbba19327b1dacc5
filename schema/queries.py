"""Root query fields. Each resolver is one use-case or loader call plus wrapping."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry

from schema.context import Info
from schema.relay import Connection, Node, connection, from_global_id
from schema.role_type import Role
from schema.salary_types import RecomputeRun, SalaryObservation, SalarySummary, SummaryLevel
from schema.types import ExperienceBand, LearningPath, LearningStep, RoleSkill, Skill, Source
from service import catalog
from service.errors import BadUserInput, NotFound
from service.observations import ObservationFilter, list_observations, observation_by_key
from service.pagination import PageRequest
from service.recompute import recent_runs
from service.search import search
from service.skill_gap import skill_gap
from service.summaries import SalaryScope, read_salary_summaries

SearchResult = Annotated[Role | Skill | LearningPath, strawberry.union("SearchResult")]
@strawberry.enum(description="How to order roles.")
class RoleOrder(Enum):
    TITLE = "title"
    SLUG = "slug"
MAX_NODES = 100


@strawberry.input
class RoleFilter:
    family: str | None = None
    skill: str | None = strawberry.field(default=None, description="Skill slug the role lists.")
    search: str | None = strawberry.field(default=None, description="Matches titles and aliases.")
    has_salary_data: bool | None = None


@strawberry.input
class SkillFilter:
    category: str | None = None
    hot: bool | None = None
    in_demand: bool | None = None
    search: str | None = None


@strawberry.input
class SalaryObservationFilter:
    role: str | None = None
    country: str | None = None
    experience_band: ExperienceBand | None = None
    currency: str | None = None
    min_amount: float | None = None
    max_amount: float | None = None
    year: int | None = None


@strawberry.type(description="What a person still needs for a role, and the steps that teach it.")
class SkillGap:
    role: Role
    missing: list[RoleSkill] = strawberry.field(description="Most important and most in demand first.")
    matched: list[str] = strawberry.field(description="Slugs of the role's skills the person has.")
    unknown: list[str] = strawberry.field(description="Inputs that name no known skill.")
    learning_path: LearningPath | None
    steps: list[LearningStep] = strawberry.field(description="Steps of the path covering a missing skill.")
    total_hours: float = strawberry.field(description="Estimated hours of those steps.")


async def _node(info: Info, global_id: str) -> Node | None:
    type_name, key = from_global_id(global_id)
    loaders = info.context.loaders
    if type_name == "Role":
        found = await loaders.role.load(key)
        return Role(model=found) if found else None
    if type_name == "Skill":
        skill = await loaders.skill.load(key)
        return Skill(model=skill) if skill else None
    if type_name == "LearningPath":
        path = await loaders.path.load(key)
        return LearningPath(model=path) if path else None
    if type_name == "SalaryObservation":
        observation = await observation_by_key(info.context.resources.db, key)
        return SalaryObservation(model=observation) if observation else None
    if type_name == "Source":
        source = await loaders.source.load(key)
        return Source(model=source) if source else None
    return None  # benchmarks and outlooks are reached through their role


def _page(first: int | None, after: str | None, last: int | None, before: str | None) -> PageRequest:
    return PageRequest(first=first, after=after, last=last, before=before)


@strawberry.type
class CatalogQuery:
    @strawberry.field(description="Any object by its global ID.")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return await _node(info, id)

    @strawberry.field(description=f"Objects by global ID, in order (at most {MAX_NODES}).")
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
        if len(ids) > MAX_NODES:
            raise BadUserInput(f"at most {MAX_NODES} ids", field="ids")
        return [await _node(info, i) for i in ids]

    @strawberry.field
    async def role(self, info: Info, slug: str) -> Role | None:
        found = await info.context.loaders.role.load(slug)
        if found is None:
            raise NotFound(f"no role with slug {slug[:80]!r}", field="slug")
        return Role(model=found)

    @strawberry.field(description="Roles, filtered and paginated (give `first` or `last`, 1-100).")
    async def roles(self, info: Info, filter: RoleFilter | None = None,
                    order_by: RoleOrder = RoleOrder.TITLE,
                    first: int | None = None, after: str | None = None, last: int | None = None,
                    before: str | None = None) -> Connection[Role]:
        flt = catalog.RoleFilter(**vars(filter)) if filter else catalog.RoleFilter()
        page = await catalog.list_roles(info.context.resources.db, flt, _page(first, after, last, before),
                                        order=order_by.value)
        return connection(page, lambda r: Role(model=r))

    @strawberry.field
    async def skill(self, info: Info, slug: str) -> Skill | None:
        found = await info.context.loaders.skill.load(slug)
        if found is None:
            raise NotFound(f"no skill with slug {slug[:80]!r}", field="slug")
        return Skill(model=found)

    @strawberry.field(description="Skills, filtered and paginated by name.")
    async def skills(self, info: Info, filter: SkillFilter | None = None, first: int | None = None,
                     after: str | None = None, last: int | None = None,
                     before: str | None = None) -> Connection[Skill]:
        flt = catalog.SkillFilter(**vars(filter)) if filter else catalog.SkillFilter()
        page = await catalog.list_skills(info.context.resources.db, flt, _page(first, after, last, before))
        return connection(page, lambda s: Skill(model=s))

    @strawberry.field
    async def learning_path(self, info: Info, slug: str) -> LearningPath | None:
        found = await info.context.loaders.path.load(slug)
        if found is None:
            raise NotFound(f"no learning path with slug {slug[:80]!r}", field="slug")
        return LearningPath(model=found)

    @strawberry.field(description="Salary observations, filtered, ordered by amount.")
    async def salary_observations(self, info: Info, filter: SalaryObservationFilter | None = None,
                                  first: int | None = None, after: str | None = None,
                                  last: int | None = None, before: str | None = None
                                  ) -> Connection[SalaryObservation]:
        values = dict(vars(filter)) if filter else {}
        if values.get("experience_band") is not None:
            values["experience_band"] = values["experience_band"].value
        page = await list_observations(info.context.resources.db, ObservationFilter(**values),
                                       _page(first, after, last, before))
        return connection(page, lambda o: SalaryObservation(model=o))

    @strawberry.field(description="Roles, skills and learning paths matching `text` (names, aliases, "
                                  "descriptions), best first.")
    async def search(self, info: Info, text: str, first: int = 10) -> list[SearchResult]:
        hits = await search(info.context.resources.db, text, first)
        wrap = {"role": Role, "skill": Skill, "learning_path": LearningPath}
        return [wrap[hit.kind](model=hit.item) for hit in hits]

    @strawberry.field(description="The skills a person lacks for a role (given the ones they `have`, "
                                  "free text such as \"k8s\"), and the learning steps covering them.")
    async def skill_gap(self, info: Info, role: str, have: list[str]) -> SkillGap:
        gap = await skill_gap(info.context.resources.db, role, have)
        return SkillGap(
            role=Role(model=gap.role), missing=[RoleSkill(link=link) for link in gap.missing],
            matched=list(gap.matched), unknown=list(gap.unknown),
            learning_path=LearningPath(model=gap.path) if gap.path else None,
            steps=[LearningStep(model=s) for s in gap.steps], total_hours=gap.total_hours,
        )

    @strawberry.field(description="Precomputed pay summaries: every group matching the arguments (omit "
                                  "one to get all its values), served from the cache. Without `role`, "
                                  "every role, at ROLE level unless `level` says otherwise. "
                                  "`live: true` computes them for this request instead (admin only).")
    async def salary_summaries(self, info: Info, role: str | None = None, country: str | None = None,
                               experience_band: ExperienceBand | None = None,
                               currency: str | None = None, level: SummaryLevel | None = None,
                               live: bool = False) -> list[SalarySummary]:
        if live:
            await info.context.require("admin")
        chosen = level.value if level else (None if role else "ROLE")
        band = experience_band.value if experience_band else None
        scope = SalaryScope(role, country, band, currency, chosen)
        found = await read_salary_summaries(info.context.resources, scope, live=live)
        return [SalarySummary(model=s) for s in found]

    @strawberry.field(description="Recent recompute runs, newest first (admin).")
    async def recompute_runs(self, info: Info, first: int = 20) -> list[RecomputeRun]:
        await info.context.require("admin")
        if not 1 <= first <= MAX_NODES:
            raise BadUserInput(f"first must be between 1 and {MAX_NODES}")
        return [RecomputeRun.from_model(run) for run in await recent_runs(info.context.resources, first)]
