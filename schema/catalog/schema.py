"""Catalogue fields of the root types: lookups and lists, search and the skill gap, and the editors'
upserts. Each resolver is one use-case or loader call plus wrapping."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.catalog import inputs
from schema.catalog.role import Role
from schema.catalog.types import LearningPath, LearningStep, RoleSkill, Skill, SkillGap, TitleMatch
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

    @strawberry.field
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

    @strawberry.field
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


@strawberry.type
class DiscoveryQuery:
    @strawberry.field
    async def search(self, info: Info, text: str, first: int = 10) -> list[SearchResult]:
        hits = await search(info.context.resources.db, text, first)
        wrap = {"role": Role, "skill": Skill, "learning_path": LearningPath}
        return [wrap[hit.kind](model=hit.item) for hit in hits]

    @strawberry.field
    async def skill_gap(self, info: Info, role: str, have: list[str]) -> SkillGap:
        gap = await skill_gap(info.context.resources.db, role, have)
        return SkillGap(
            role=Role(model=gap.role), missing=[RoleSkill(link=link) for link in gap.missing],
            matched=list(gap.matched), unknown=list(gap.unknown),
            learning_path=LearningPath(model=gap.path) if gap.path else None,
            steps=[LearningStep(model=s) for s in gap.steps], total_hours=gap.total_hours,
        )

    @strawberry.field
    async def classify_title(self, info: Info, title: str, first: int = 5) -> list[TitleMatch]:
        found = await classify_title(info.context.resources.db, title, first)
        return [TitleMatch(role_slug=m.role, score=m.score, matched_title=m.matched, method=m.method)
                for m in found]


@strawberry.type
class CatalogMutation:
    @strawberry.mutation
    async def upsert_role(self, info: Info, input: inputs.UpsertRoleInput) -> inputs.RolePayload:
        await info.context.require("editor")
        links = tuple(model.RoleSkill(skill=s.skill, importance=s.importance.value) for s in input.skills)
        role = model.Role(slug=input.slug, title=input.title, family=input.family, summary=input.summary,
                          description=input.description, aliases=tuple(input.aliases),
                          responsibilities=tuple(input.responsibilities), skills=links, origin="curated")
        stored, errors = await edits.upsert_role(info.context.resources, role)
        return inputs.RolePayload(role=Role(model=stored) if stored else None,
                                  user_errors=user_errors(errors))

    @strawberry.mutation
    async def upsert_skill(self, info: Info, input: inputs.UpsertSkillInput) -> inputs.SkillPayload:
        await info.context.require("editor")
        skill = model.Skill(slug=input.slug, name=input.name, category=input.category,
                            description=input.description, aliases=tuple(input.aliases), origin="editor")
        stored, errors = await edits.upsert_skill(info.context.resources, skill)
        return inputs.SkillPayload(skill=Skill(model=stored) if stored else None,
                                   user_errors=user_errors(errors))

    @strawberry.mutation
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
        stored, errors = await edits.upsert_learning_path(info.context.resources, path)
        return inputs.LearningPathPayload(learning_path=LearningPath(model=stored) if stored else None,
                                          user_errors=user_errors(errors))
