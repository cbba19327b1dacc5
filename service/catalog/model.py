"""The catalogue: skills, roles, their links and learning paths, as small frozen dataclasses.

Each type's `to_document` / `from_document` is the only place that knows its field names in
MongoDB; everything else speaks in these objects.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from service.importance import IMPORTANCE_RANK
from service.text import distinct_keys, search_key, search_keys


@dataclass(frozen=True)
class Skill:
    slug: str
    name: str
    category: str
    description: str = ""
    aliases: tuple[str, ...] = ()
    hot: bool = False
    in_demand: bool = False
    commodity: str | None = None  # O*NET / UNSPSC commodity title, where known
    origin: str = "curated"

    def to_document(self) -> dict[str, Any]:
        return {
            "slug": self.slug, "name": self.name, "category": self.category,
            "description": self.description, "aliases": list(self.aliases), "hot": self.hot,
            "in_demand": self.in_demand, "commodity": self.commodity, "origin": self.origin,
            "search_keys": search_keys(self.name, *self.aliases, self.slug),
        }

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> Skill:
        return cls(
            slug=doc["slug"], name=doc["name"], category=doc["category"],
            description=doc.get("description", ""), aliases=tuple(doc.get("aliases", ())),
            hot=doc.get("hot", False), in_demand=doc.get("in_demand", False),
            commodity=doc.get("commodity"), origin=doc.get("origin", "curated"),
        )


@dataclass(frozen=True)
class RoleSkill:
    """How much a role needs a skill: core, recommended or optional."""

    skill: str
    importance: str
    hot: bool = False
    in_demand: bool = False
    origin: str = "curated"

    def to_document(self) -> dict[str, Any]:
        return {"skill": self.skill, "importance": self.importance, "hot": self.hot,
                "in_demand": self.in_demand, "origin": self.origin}

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> RoleSkill:
        return cls(skill=doc["skill"], importance=doc["importance"], hot=doc.get("hot", False),
                   in_demand=doc.get("in_demand", False), origin=doc.get("origin", "curated"))


def skill_link_order(link: RoleSkill) -> tuple[int, bool, bool, str]:
    """Most important first; within an importance, in-demand, then hot, then by slug."""
    return (IMPORTANCE_RANK[link.importance], not link.in_demand, not link.hot, link.skill)


@dataclass(frozen=True)
class RelatedRole:
    role: str
    tier: str  # e.g. "career step", "contrast", or O*NET's "Primary-Short"
    index: int | None = None


@dataclass(frozen=True)
class Role:
    slug: str
    title: str
    family: str
    summary: str = ""
    description: str = ""
    aliases: tuple[str, ...] = ()
    responsibilities: tuple[str, ...] = ()
    tasks: tuple[str, ...] = ()  # O*NET task statements, kept apart from curated text
    onet_codes: tuple[str, ...] = ()
    job_zone: int | None = None
    skills: tuple[RoleSkill, ...] = ()
    related: tuple[RelatedRole, ...] = ()
    sources: tuple[str, ...] = ()
    origin: str = "curated"

    def to_document(self, alias_keys: Iterable[str] | None = None) -> dict[str, Any]:
        """`alias_keys`: the aliases' search keys in order, where the caller folded them already
        (an importer keeps aliases by key); they are what `search_key` gives for each alias."""
        keys = search_keys(self.title, *self.aliases, self.slug) if alias_keys is None else \
            distinct_keys([search_key(self.title), *alias_keys, search_key(self.slug)])
        return {
            "slug": self.slug, "title": self.title, "family": self.family,
            "summary": self.summary, "description": self.description,
            "aliases": list(self.aliases), "responsibilities": list(self.responsibilities),
            "tasks": list(self.tasks), "onet_codes": list(self.onet_codes),
            "job_zone": self.job_zone, "skills": [s.to_document() for s in self.skills],
            "related": [{"role": r.role, "tier": r.tier, "index": r.index} for r in self.related],
            "sources": list(self.sources), "origin": self.origin, "search_keys": keys,
        }

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> Role:
        return cls(
            slug=doc["slug"], title=doc["title"], family=doc.get("family", ""),
            summary=doc.get("summary", ""), description=doc.get("description", ""),
            aliases=tuple(doc.get("aliases", ())),
            responsibilities=tuple(doc.get("responsibilities", ())),
            tasks=tuple(doc.get("tasks", ())), onet_codes=tuple(doc.get("onet_codes", ())),
            job_zone=doc.get("job_zone"),
            skills=tuple(RoleSkill.from_document(s) for s in doc.get("skills", ())),
            related=tuple(RelatedRole(r["role"], r["tier"], r.get("index"))
                          for r in doc.get("related", ())),
            sources=tuple(doc.get("sources", ())), origin=doc.get("origin", "curated"),
        )




@dataclass(frozen=True)
class Resource:
    title: str
    kind: str  # course, certificate, article, documentation, tool
    url: str | None = None


@dataclass(frozen=True)
class LearningStep:
    position: int
    title: str
    description: str
    skills: tuple[str, ...] = ()
    resources: tuple[Resource, ...] = ()
    estimated_hours: float | None = None
    prerequisites: tuple[int, ...] = ()  # positions of earlier steps


@dataclass(frozen=True)
class LearningPath:
    slug: str
    role: str
    title: str
    summary: str
    steps: tuple[LearningStep, ...] = field(default_factory=tuple)
    sources: tuple[str, ...] = ()

    def to_document(self) -> dict[str, Any]:
        return {
            "slug": self.slug, "role": self.role, "title": self.title, "summary": self.summary,
            "sources": list(self.sources),
            "steps": [{
                "position": s.position, "title": s.title, "description": s.description,
                "skills": list(s.skills), "estimated_hours": s.estimated_hours,
                "prerequisites": list(s.prerequisites),
                "resources": [{"title": r.title, "kind": r.kind, "url": r.url} for r in s.resources],
            } for s in self.steps],
        }

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> LearningPath:
        return cls(
            slug=doc["slug"], role=doc["role"], title=doc["title"], summary=doc.get("summary", ""),
            sources=tuple(doc.get("sources", ())),
            steps=tuple(LearningStep(
                position=s["position"], title=s["title"], description=s.get("description", ""),
                skills=tuple(s.get("skills", ())), estimated_hours=s.get("estimated_hours"),
                prerequisites=tuple(s.get("prerequisites", ())),
                resources=tuple(Resource(r["title"], r["kind"], r.get("url"))
                                for r in s.get("resources", ())),
            ) for s in doc.get("steps", ())),
        )
