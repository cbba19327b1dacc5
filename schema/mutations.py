"""Mutations. Each needs an API key (`Authorization: Bearer <key>`) and returns a payload whose
`userErrors` say what was wrong with the input; nothing is written when there are any."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.role_type import Role
from schema.salary_types import SalaryObservation
from schema.types import Importance, LearningPath, Skill
from service import domain, editing
from service.jobs import enqueue_recompute, observations_written
from service.submissions import SalarySubmission, submit_salary
from service.submissions import UserError as UserErrorModel


@strawberry.type(description="What was wrong with an input field.")
class UserError:
    field: str
    message: str
    code: str


def _errors(errors: list[UserErrorModel] | tuple[UserErrorModel, ...]) -> list[UserError]:
    return [UserError(field=e.field, message=e.message, code=e.code) for e in errors]


@strawberry.input
class SubmitSalaryInput:
    role: str = strawberry.field(description="Role slug, e.g. backend-developer.")
    amount: float = strawberry.field(description="Annual total compensation.")
    currency: str = strawberry.field(description="ISO 4217, e.g. USD.")
    country: str = strawberry.field(description="ISO 3166-1 alpha-2, e.g. US.")
    experience_years: float
    idempotency_key: str = strawberry.field(description="Your unique key for this submission; "
                                                        "resending it never stores a second copy.")
    city: str | None = None
    company: str | None = None
    title: str | None = None
    base_amount: float | None = None
    year: int | None = None


@strawberry.type
class SubmitSalaryPayload:
    observation: SalaryObservation | None
    created: bool = strawberry.field(description="False when this idempotency key was already stored.")
    user_errors: list[UserError]


@strawberry.input
class RoleSkillInput:
    skill: str
    importance: Importance


@strawberry.input
class UpsertRoleInput:
    slug: str
    title: str
    family: str = "software-engineering"
    summary: str = ""
    description: str = ""
    aliases: list[str] = strawberry.field(default_factory=list)
    responsibilities: list[str] = strawberry.field(default_factory=list)
    skills: list[RoleSkillInput] = strawberry.field(default_factory=list)


@strawberry.type
class RolePayload:
    role: Role | None
    user_errors: list[UserError]


@strawberry.input
class UpsertSkillInput:
    slug: str
    name: str
    category: str
    description: str = ""
    aliases: list[str] = strawberry.field(default_factory=list)


@strawberry.type
class SkillPayload:
    skill: Skill | None
    user_errors: list[UserError]


@strawberry.input
class ResourceInput:
    title: str
    kind: str
    url: str | None = None


@strawberry.input
class LearningStepInput:
    title: str
    description: str = ""
    skills: list[str] = strawberry.field(default_factory=list)
    resources: list[ResourceInput] = strawberry.field(default_factory=list)
    estimated_hours: float | None = None
    prerequisites: list[int] = strawberry.field(default_factory=list)


@strawberry.input
class UpsertLearningPathInput:
    slug: str
    role: str
    title: str
    summary: str = ""
    steps: list[LearningStepInput] = strawberry.field(default_factory=list)


@strawberry.type
class LearningPathPayload:
    learning_path: LearningPath | None
    user_errors: list[UserError]


@strawberry.type
class RecomputePayload:
    queued: list[str] = strawberry.field(description="Scopes newly queued (already-queued ones are not).")
    user_errors: list[UserError]


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Report one salary (any API key).")
    async def submit_salary(self, info: Info, input: SubmitSalaryInput) -> SubmitSalaryPayload:
        principal = await info.context.require("reader")
        db = info.context.resources.db
        result = await submit_salary(db, SalarySubmission(**vars(input)), principal.key_id)
        if result.created:
            await observations_written(info.context.resources.redis, [input.role])
        observation = (SalaryObservation(model=domain.SalaryObservation.from_document(result.observation))
                       if result.observation else None)
        return SubmitSalaryPayload(observation=observation, created=result.created,
                                   user_errors=_errors(result.errors))

    @strawberry.mutation(description="Create or replace a curated role (editor).")
    async def upsert_role(self, info: Info, input: UpsertRoleInput) -> RolePayload:
        await info.context.require("editor")
        links = tuple(domain.RoleSkill(skill=s.skill, importance=s.importance.value) for s in input.skills)
        role = domain.Role(slug=input.slug, title=input.title, family=input.family, summary=input.summary,
                           description=input.description, aliases=tuple(input.aliases),
                           responsibilities=tuple(input.responsibilities), skills=links, origin="curated")
        stored, errors = await editing.upsert_role(info.context.resources.db, role)
        return RolePayload(role=Role(model=stored) if stored else None, user_errors=_errors(errors))

    @strawberry.mutation(description="Create or replace a skill (editor).")
    async def upsert_skill(self, info: Info, input: UpsertSkillInput) -> SkillPayload:
        await info.context.require("editor")
        skill = domain.Skill(slug=input.slug, name=input.name, category=input.category,
                             description=input.description, aliases=tuple(input.aliases), origin="editor")
        stored, errors = await editing.upsert_skill(info.context.resources.db, skill)
        return SkillPayload(skill=Skill(model=stored) if stored else None, user_errors=_errors(errors))

    @strawberry.mutation(description="Create or replace a learning path (editor).")
    async def upsert_learning_path(self, info: Info, input: UpsertLearningPathInput) -> LearningPathPayload:
        await info.context.require("editor")
        steps = tuple(domain.LearningStep(
            position=i, title=s.title, description=s.description, skills=tuple(s.skills),
            resources=tuple(domain.Resource(r.title, r.kind, r.url) for r in s.resources),
            estimated_hours=s.estimated_hours, prerequisites=tuple(s.prerequisites),
        ) for i, s in enumerate(input.steps, start=1))
        path = domain.LearningPath(slug=input.slug, role=input.role, title=input.title,
                                   summary=input.summary, steps=steps)
        stored, errors = await editing.upsert_learning_path(info.context.resources.db, path)
        return LearningPathPayload(learning_path=LearningPath(model=stored) if stored else None,
                                   user_errors=_errors(errors))

    @strawberry.mutation(description="Recompute the summaries of one role, or all (admin).")
    async def request_recompute(self, info: Info, role: str | None = None) -> RecomputePayload:
        await info.context.require("admin")
        if role is not None and await info.context.loaders.role.load(role) is None:
            return RecomputePayload(queued=[], user_errors=[UserError(
                field="role", message=f"no role with slug {role[:80]!r}", code="NOT_FOUND")])
        queued = await enqueue_recompute(info.context.resources.redis, [role] if role else None, defer_s=0)
        return RecomputePayload(queued=queued, user_errors=[])
