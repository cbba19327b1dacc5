"""Inputs and payloads of the catalogue's queries and mutations."""

from __future__ import annotations

from enum import Enum

import strawberry

from schema.catalog.role import Role
from schema.catalog.types import Importance, LearningPath, Skill
from schema.user_errors import UserError


@strawberry.enum
class RoleOrder(Enum):
    TITLE = "title"
    SLUG = "slug"


@strawberry.input
class RoleFilter:
    family: str | None = None
    skill: str | None = None
    search: str | None = None
    has_salary_data: bool | None = None


@strawberry.input
class SkillFilter:
    category: str | None = None
    hot: bool | None = None
    in_demand: bool | None = None
    search: str | None = None


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
