"""Domain objects: small frozen dataclasses, and their mapping to and from MongoDB documents.

Each type's `to_document` / `from_document` is the only place that knows its field names in
MongoDB; everything else speaks in these objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from service.text import search_keys


@dataclass(frozen=True)
class Source:
    """Where a figure comes from."""

    slug: str
    publisher: str
    title: str
    url: str | None = None
    published: date | None = None
    retrieved: date | None = None
    licence: str | None = None
    note: str | None = None

    def to_document(self) -> dict[str, Any]:
        return {
            "slug": self.slug, "publisher": self.publisher, "title": self.title, "url": self.url,
            "published": self.published.isoformat() if self.published else None,
            "retrieved": self.retrieved.isoformat() if self.retrieved else None,
            "licence": self.licence, "note": self.note,
        }

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> Source:
        return cls(
            slug=doc["slug"], publisher=doc["publisher"], title=doc["title"], url=doc.get("url"),
            published=date.fromisoformat(doc["published"]) if doc.get("published") else None,
            retrieved=date.fromisoformat(doc["retrieved"]) if doc.get("retrieved") else None,
            licence=doc.get("licence"), note=doc.get("note"),
        )


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


IMPORTANCE_RANK = {"core": 0, "recommended": 1, "optional": 2}


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

    def to_document(self) -> dict[str, Any]:
        return {
            "slug": self.slug, "title": self.title, "family": self.family,
            "summary": self.summary, "description": self.description,
            "aliases": list(self.aliases), "responsibilities": list(self.responsibilities),
            "tasks": list(self.tasks), "onet_codes": list(self.onet_codes),
            "job_zone": self.job_zone, "skills": [s.to_document() for s in self.skills],
            "related": [{"role": r.role, "tier": r.tier, "index": r.index} for r in self.related],
            "sources": list(self.sources), "origin": self.origin,
            "search_keys": search_keys(self.title, *self.aliases, self.slug),
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
class SalaryBenchmark:
    """A published figure: "the mean pay of role R in country C, band B, is X"."""

    key: str
    role: str
    statistic: str  # mean, median, minimum ("X or more"), range
    amount: float | None
    currency: str
    source: str
    country: str | None = None
    experience_band: str | None = None
    amount_max: float | None = None
    period: str = "year"
    scope: str = ""  # what the figure covers, in words ("experienced, at large companies")
    year: int | None = None

    def to_document(self) -> dict[str, Any]:
        return {
            "key": self.key, "role": self.role, "statistic": self.statistic,
            "amount": self.amount, "amount_max": self.amount_max, "currency": self.currency,
            "country": self.country, "experience_band": self.experience_band,
            "period": self.period, "scope": self.scope, "year": self.year, "source": self.source,
        }

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> SalaryBenchmark:
        return cls(
            key=doc["key"], role=doc["role"], statistic=doc["statistic"], amount=doc.get("amount"),
            currency=doc["currency"], source=doc["source"], country=doc.get("country"),
            experience_band=doc.get("experience_band"), amount_max=doc.get("amount_max"),
            period=doc.get("period", "year"), scope=doc.get("scope", ""), year=doc.get("year"),
        )


@dataclass(frozen=True)
class Outlook:
    """Growth outlook for a role or an occupation group over a period."""

    key: str
    subject: str  # a role slug
    subject_label: str  # what the publisher measured, e.g. "web developers"
    region: str
    source: str
    period: str | None = None
    growth_percent: float | None = None
    openings_per_year: int | None = None

    def to_document(self) -> dict[str, Any]:
        return {
            "key": self.key, "subject": self.subject, "subject_label": self.subject_label,
            "region": self.region, "period": self.period, "growth_percent": self.growth_percent,
            "openings_per_year": self.openings_per_year, "source": self.source,
        }

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> Outlook:
        return cls(
            key=doc["key"], subject=doc["subject"], subject_label=doc.get("subject_label", ""),
            region=doc["region"], source=doc["source"], period=doc.get("period"),
            growth_percent=doc.get("growth_percent"), openings_per_year=doc.get("openings_per_year"),
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


@dataclass(frozen=True)
class SalaryObservation:
    """One person's annual pay, as reported to a source."""

    key: str  # the content hash
    role: str
    raw_title: str
    amount: float
    currency: str
    country: str | None
    experience_band: str | None
    years_experience: float | None
    source: str
    tag: str | None = None
    company: str | None = None
    city: str | None = None
    region: str | None = None
    base_amount: float | None = None
    year: int | None = None

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> SalaryObservation:
        return cls(
            key=doc["content_hash"], role=doc["role"], raw_title=doc.get("raw_title") or "",
            amount=doc["amount"], currency=doc["currency"], country=doc.get("country"),
            experience_band=doc.get("experience_band"), years_experience=doc.get("years_experience"),
            source=doc["source"], tag=doc.get("tag"), company=doc.get("company"),
            city=doc.get("city"), region=doc.get("region"), base_amount=doc.get("base_amount"),
            year=doc.get("year"),
        )
