"""The Role type, a hub: what the catalogue knows of a role (`CatalogRole`), composed with the fields
the other features give it, as `schema/root.py` composes the root types. The features provide
those fields as mixins (`schema/<feature>/role_fields.py`) and never import this module."""

from __future__ import annotations

import strawberry

from schema.catalog.types import Importance, LearningPath, RelatedRole, RoleSkill
from schema.context import Info
from schema.decisions.role_fields import RoleDecisionFields
from schema.official.role_fields import RoleOfficialFields
from schema.provenance import Source, load_sources
from schema.relay import Node, model_field
from schema.salaries.role_fields import RoleObservationFields
from schema.summaries.role_fields import RoleSummaryFields
from service.catalog import model


@strawberry.type
class CatalogRole(Node):
    """What the catalogue knows of a role."""

    model: strawberry.Private[model.Role]

    def node_key(self) -> str:
        return self.model.slug

    slug: str = model_field("slug")
    title: str = model_field("title")
    family: str = model_field("family")
    summary: str = model_field("summary")
    description: str = model_field("description")
    aliases: list[str] = model_field("aliases")
    responsibilities: list[str] = model_field("responsibilities")
    tasks: list[str] = model_field("tasks")
    onet_codes: list[str] = model_field("onet_codes")
    job_zone: int | None = model_field("job_zone")
    origin: str = model_field("origin")

    @strawberry.field
    async def skills(self, info: Info, importance: list[Importance] | None = None,
                     category: str | None = None) -> list[RoleSkill]:
        wanted = {i.value for i in importance} if importance else None
        links = sorted((link for link in self.model.skills if wanted is None or link.importance in wanted),
                       key=model.skill_link_order)
        if category is not None:
            skills = await info.context.loaders.skill.load_many([link.skill for link in links])
            links = [link for link, skill in zip(links, skills, strict=True)
                     if skill is not None and skill.category == category]
        return [RoleSkill(link=link) for link in links]

    @strawberry.field
    def related_roles(self) -> list[RelatedRole]:
        return [RelatedRole(role_slug=r.role, tier=r.tier) for r in self.model.related]

    @strawberry.field
    async def learning_paths(self, info: Info) -> list[LearningPath]:
        return [LearningPath(model=p) for p in await info.context.loaders.paths_by_role.load(self.model.slug)]

    @strawberry.field
    async def sources(self, info: Info) -> list[Source]:
        return await load_sources(info, list(self.model.sources))


@strawberry.type
class Role(CatalogRole, RoleOfficialFields, RoleObservationFields, RoleSummaryFields, RoleDecisionFields):
    """A role with every feature's fields."""
