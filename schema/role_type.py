"""The Role type: a role and everything linked to it."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.relay import Connection, Node, connection, model_field
from schema.types import (
    ExperienceBand,
    Importance,
    LearningPath,
    Outlook,
    RelatedRole,
    RoleSkill,
    SalaryBenchmark,
    Source,
)
from service import domain
from service.observations import ObservationFilter, list_observations
from service.pagination import PageRequest
from service.summaries import SalaryScope, read_demand_summary, read_salary_summaries


@strawberry.type(description="An occupation such as Backend Developer.")
class Role(Node):
    model: strawberry.Private[domain.Role]

    def node_key(self) -> str:
        return self.model.slug

    slug: str = model_field("slug")
    title: str = model_field("title")
    family: str = model_field("family")
    summary: str = model_field("summary")
    description: str = model_field("description")
    aliases: list[str] = model_field("aliases", "Other names for the role (job titles).")
    responsibilities: list[str] = model_field("responsibilities")
    tasks: list[str] = model_field("tasks", "O*NET task statements (O*NET occupations only).")
    onet_codes: list[str] = model_field("onet_codes")
    job_zone: int | None = model_field("job_zone", "O*NET job zone 1-5: how much preparation the role needs.")
    origin: str = model_field("origin", "curated, onet, editor or import")

    @strawberry.field(description="Skills the role needs, most important first.")
    async def skills(self, info: Info, importance: list[Importance] | None = None,
                     category: str | None = None) -> list[RoleSkill]:
        wanted = {i.value for i in importance} if importance else None
        links = sorted((link for link in self.model.skills if wanted is None or link.importance in wanted),
                       key=domain.skill_link_order)
        if category is not None:
            skills = await info.context.loaders.skill.load_many([link.skill for link in links])
            links = [link for link, skill in zip(links, skills, strict=True)
                     if skill is not None and skill.category == category]
        return [RoleSkill(link=link) for link in links]

    @strawberry.field(description="Related roles: career steps, contrasts, O*NET relations.")
    def related_roles(self) -> list[RelatedRole]:
        return [RelatedRole(role_slug=r.role, tier=r.tier) for r in self.model.related]

    @strawberry.field
    async def learning_paths(self, info: Info) -> list[LearningPath]:
        return [LearningPath(model=p) for p in await info.context.loaders.paths_by_role.load(self.model.slug)]

    @strawberry.field(description="Published salary figures, each with its source.")
    async def salary_benchmarks(self, info: Info) -> list[SalaryBenchmark]:
        found = await info.context.loaders.benchmarks_by_role.load(self.model.slug)
        return [SalaryBenchmark(model=b) for b in found]

    @strawberry.field(description="Growth outlooks, each with its source.")
    async def outlooks(self, info: Info) -> list[Outlook]:
        return [Outlook(model=o) for o in await info.context.loaders.outlooks_by_role.load(self.model.slug)]

    @strawberry.field
    async def sources(self, info: Info) -> list[Source]:
        found = await info.context.loaders.source.load_many(list(self.model.sources))
        return [Source(model=s) for s in found if s is not None]

    @strawberry.field(description="Salary observations for this role, by amount.")
    async def salary_observations(
        self, info: Info, first: int | None = None, after: str | None = None,
        last: int | None = None, before: str | None = None, country: str | None = None,
        experience_band: ExperienceBand | None = None,
    ) -> Connection[SalaryObservation]:
        flt = ObservationFilter(role=self.model.slug, country=country,
                                experience_band=experience_band.value if experience_band else None)
        request = PageRequest(first, after, last, before)
        page = await list_observations(info.context.resources.db, flt, request)
        return connection(page, lambda o: SalaryObservation(model=o))

    @strawberry.field(description="One salary summary: the CELL for a country and band, the COUNTRY or "
                                  "BAND roll-up when only one is given, the ROLE roll-up when neither is. "
                                  "Without a currency, the one with most observations. Null when the "
                                  "role has no observations there; PENDING before the first recompute.")
    async def salary_summary(self, info: Info, country: str | None = None,
                             experience_band: ExperienceBand | None = None,
                             currency: str | None = None) -> SalarySummary | None:
        band = experience_band.value if experience_band else None
        level = {(True, True): "CELL", (True, False): "COUNTRY", (False, True): "BAND",
                 (False, False): "ROLE"}[(country is not None, band is not None)]
        scope = SalaryScope(self.model.slug, country, band, currency, level)
        found = await read_salary_summaries(info.context.resources, scope)
        if not found:
            return None
        return SalarySummary(model=max(found, key=lambda s: (s.count, s.currency or "")))

    @strawberry.field
    async def demand(self, info: Info) -> Demand:
        return Demand(model=await read_demand_summary(info.context.resources, f"role:{self.model.slug}"))


from schema.salary_types import Demand, SalaryObservation, SalarySummary  # noqa: E402
