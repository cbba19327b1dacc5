"""Catalogue fields of the root types: lookups and lists, search and the skill gap, and the editors'
upserts. Each resolver is one use-case or loader call plus wrapping."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.catalog import inputs
from schema.catalog.role import Role
from schema.catalog.types import LearningPath, LearningStep, RoleSkill, Skill
from schema.context import Info
from schema.relay import Connection, connection, page_request
from schema.user_errors import user_errors
from service.catalog import edits, model, reads
from service.catalog.search import search
from service.catalog.skill_gap import skill_gap
from service.catalog.titles import classify_title
from service.errors import NotFound

SearchResult = Annotated[Role | Skill | LearningPath, strawberry.union("SearchResult")]


@strawberry.type
class CatalogQuery:
    @strawberry.field
    async def role(self, info: Info, slug: str) -> Role | None:
        found = await info.context.loaders.role.load(slug)
        if found is None:
            raise NotFound(f"no role with slug {slug[:80]!r}", field="slug")
        return Role(model=found)

    @strawberry.field(description="Roles, filtered and paginated (give `first` or `last`, 1-100).")
    async def roles(self, info: Info, filter: inputs.RoleFilter | None = None,
                    order_by: inputs.RoleOrder = inputs.RoleOrder.TITLE,
                    first: int | None = None, after: str | None = None, last: int | None = None,
                    before: str | None = None) -> Connection[Role]:
        flt = reads.RoleFilter(**vars(filter)) if filter else reads.RoleFilter()
        request = page_request(info, first, after, last, before)
        page = await reads.list_roles(info.context.resources.db, flt, request, order=order_by.value)
        return connection(page, lambda r: Role(model=r))

    @strawberry.field
    async def skill(self, info: Info, slug: str) -> Skill | None:
        found = await info.context.loaders.skill.load(slug)
        if found is None:
            raise NotFound(f"no skill with slug {slug[:80]!r}", field="slug")
        return Skill(model=found)

    @strawberry.field(description="Skills, filtered and paginated by name.")
    async def skills(self, info: Info, filter: inputs.SkillFilter | None = None, first: int | None = None,
                     after: str | None = None, last: int | None = None,
                     before: str | None = None) -> Connection[Skill]:
        flt = reads.SkillFilter(**vars(filter)) if filter else reads.SkillFilter()
        request = page_request(info, first, after, last, before)
        page = await reads.list_skills(info.context.resources.db, flt, request)
        return connection(page, lambda s: Skill(model=s))

    @strawberry.field
    async def learning_path(self, info: Info, slug: str) -> LearningPath | None:
        found = await info.context.loaders.path.load(slug)
        if found is None:
            raise NotFound(f"no learning path with slug {slug[:80]!r}", field="slug")
        return LearningPath(model=found)


@strawberry.type(description="What a person still needs for a role, and the steps that teach it.")
class SkillGap:
    role: Role
    missing: list[RoleSkill] = strawberry.field(description="Most important and most in demand first.")
    matched: list[str] = strawberry.field(description="Slugs of the role's skills the person has.")
    unknown: list[str] = strawberry.field(description="Inputs that name no known skill.")
    learning_path: LearningPath | None
    steps: list[LearningStep] = strawberry.field(description="Steps of the path covering a missing skill.")
    total_hours: float = strawberry.field(description="Estimated hours of those steps.")


@strawberry.type(description="A role a job title may belong to, with how sure the match is.")
class TitleMatch:
    role_slug: strawberry.Private[str]
    score: float = strawberry.field(description="1.0: the title is the role's title or an alias of a curated "
                                                "role; 0.95: an O*NET alternate title; below: similar words.")
    matched_title: str = strawberry.field(description="The role's title or alias that matched.")
    method: str = strawberry.field(description="exact or similar.")

    @strawberry.field
    async def role(self, info: Info) -> Role | None:
        found = await info.context.loaders.role.load(self.role_slug)
        return Role(model=found) if found else None


@strawberry.type
class DiscoveryQuery:
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

    @strawberry.field(description="The roles a job title most likely belongs to, best first (the matcher "
                                  "the importers route rows with: role titles and aliases, O*NET's "
                                  "alternate titles, then similar words).")
    async def classify_title(self, info: Info, title: str, first: int = 5) -> list[TitleMatch]:
        found = await classify_title(info.context.resources.db, title, first)
        return [TitleMatch(role_slug=m.role, score=m.score, matched_title=m.matched, method=m.method)
                for m in found]


@strawberry.type
class CatalogMutation:
    @strawberry.mutation(description="Create or replace a curated role (editor).")
    async def upsert_role(self, info: Info, input: inputs.UpsertRoleInput) -> inputs.RolePayload:
        await info.context.require("editor")
        links = tuple(model.RoleSkill(skill=s.skill, importance=s.importance.value) for s in input.skills)
        role = model.Role(slug=input.slug, title=input.title, family=input.family, summary=input.summary,
                          description=input.description, aliases=tuple(input.aliases),
                          responsibilities=tuple(input.responsibilities), skills=links, origin="curated")
        stored, errors = await edits.upsert_role(info.context.resources, role)
        return inputs.RolePayload(role=Role(model=stored) if stored else None,
                                  user_errors=user_errors(errors))

    @strawberry.mutation(description="Create or replace a skill (editor).")
    async def upsert_skill(self, info: Info, input: inputs.UpsertSkillInput) -> inputs.SkillPayload:
        await info.context.require("editor")
        skill = model.Skill(slug=input.slug, name=input.name, category=input.category,
                            description=input.description, aliases=tuple(input.aliases), origin="editor")
        stored, errors = await edits.upsert_skill(info.context.resources, skill)
        return inputs.SkillPayload(skill=Skill(model=stored) if stored else None,
                                   user_errors=user_errors(errors))

    @strawberry.mutation(description="Create or replace a learning path (editor).")
    async def upsert_learning_path(self, info: Info, input: inputs.UpsertLearningPathInput
                                   ) -> inputs.LearningPathPayload:
        await info.context.require("editor")
        steps = tuple(model.LearningStep(
            position=i, title=s.title, description=s.description, skills=tuple(s.skills),
            resources=tuple(model.Resource(r.title, r.kind, r.url) for r in s.resources),
            estimated_hours=s.estimated_hours, prerequisites=tuple(s.prerequisites),
        ) for i, s in enumerate(input.steps, start=1))
        path = model.LearningPath(slug=input.slug, role=input.role, title=input.title,
                                  summary=input.summary, steps=steps)
        stored, errors = await edits.upsert_learning_path(info.context.resources.db, path)
        return inputs.LearningPathPayload(learning_path=LearningPath(model=stored) if stored else None,
                                          user_errors=user_errors(errors))
