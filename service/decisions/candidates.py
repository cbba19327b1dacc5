"""Which roles a role can move to: the candidates `next_moves` ranks, precomputed per role.

Finding them reads every role's skills (1,016 roles after a full O*NET import), so the worker does
it and stores the result (`move_candidates`, one document a role); a read ranks only a role's
candidates. The candidates of a role S:

- the roles S names as related (the seed's tiers: career step, specialisation, neighbour, ...;
  O*NET's Primary-Short, Primary-Long and Supplemental, with O*NET's index);
- O*NET's related occupations of S's own O*NET codes, and the curated roles naming them;
- the `SKILL_NEIGHBOURS` roles sharing most of the skills they need (core and recommended) with S.

Never S itself, the catch-all `other-roles`, nor the O*NET occupation S is (the same job under
O*NET's name). S's own relations come first; through O*NET, a candidate keeps its strongest tier,
and a curated role of one of S's own occupations gets none (O*NET cannot tell two roles of one
occupation apart).

What the worker stores per role: `{role, candidates: [{role, tier, index, via}], computed_at}`.
When: at the start of every full recompute (the worker's and `careergraph recompute`'s), when the
catalogue differs from the one the stored candidates were found from (`refresh_candidates`, by a
digest of every role's skills, relations and O*NET codes). A catalogue change (seed, imports, role,
skill and path edits) queues a full recompute, so its candidates are stored before that run
publishes the version that retires cached answers. A read that finds no document computes the
role's own and stores it.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import bson
from pymongo import ReplaceOne

from service.official.oews_reads import Db
from service.store import database as c

MOVE_CANDIDATES = c.MOVE_CANDIDATES
SKILL_NEIGHBOURS = 20
FALLBACK_ROLE = "other-roles"
#: How related a tier says two roles are (0-1). O*NET's tiers, then the seed's own.
TIER_WEIGHT = {"Primary-Short": 1.0, "Primary-Long": 0.7, "Supplemental": 0.4, "career step": 1.0,
               "specialisation": 0.8, "neighbour": 0.7, "broader role": 0.6, "contrast": 0.3, "earlier step": 0.2}
SHARED_SKILLS = "shared skills"
_ROLE_FIELDS = {"slug": 1, "skills.skill": 1, "skills.importance": 1, "related": 1, "onet_codes": 1, "origin": 1}


@dataclass(frozen=True)
class Candidate:
    role: str
    tier: str  # a TIER_WEIGHT tier, or SHARED_SKILLS
    index: int | None = None  # O*NET's relatedness index (1 most related) where it has one
    via: str | None = None  # the O*NET code or role the relation came through

    @property
    def weight(self) -> float:
        return TIER_WEIGHT.get(self.tier, 0.0)

    def to_document(self) -> dict[str, Any]:
        return {"role": self.role, "tier": self.tier, "index": self.index, "via": self.via}

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> Candidate:
        return cls(doc["role"], doc["tier"], doc.get("index"), doc.get("via"))


def needed_skills(doc: dict[str, Any]) -> set[str]:
    """The skills a role needs: its core and recommended ones (all its skills when it has none)."""
    links = doc.get("skills") or []
    needed = {link["skill"] for link in links if link.get("importance") in ("core", "recommended")}
    return needed or {link["skill"] for link in links}


class Catalogue:
    """Every role's skills, relations and O*NET codes, indexed for finding candidates."""

    def __init__(self, docs: list[dict[str, Any]]) -> None:
        self.roles = {doc["slug"]: doc for doc in docs}
        self.needs = {slug: needed_skills(doc) for slug, doc in self.roles.items()}
        self.by_skill: dict[str, set[str]] = defaultdict(set)
        for slug, skills in self.needs.items():
            for skill in skills:
                self.by_skill[skill].add(slug)
        self.by_code: dict[str, set[str]] = defaultdict(set)  # O*NET code -> roles naming it
        self.onet_role: dict[str, str] = {}  # O*NET code -> the O*NET occupation's own role
        for slug, doc in self.roles.items():
            for code in doc.get("onet_codes") or ():
                self.by_code[code].add(slug)
                if doc.get("origin") == "onet":
                    self.onet_role[code] = slug

    @classmethod
    async def load(cls, db: Db) -> Catalogue:
        return cls([doc async for doc in db[c.ROLES].find({}, {**_ROLE_FIELDS, "_id": 0})])

    def digest(self) -> str:
        """A digest of what candidates are found from: every role's skills, relations and O*NET codes."""
        found = hashlib.sha256()
        for slug in sorted(self.roles):
            found.update(bson.encode(self.roles[slug]))
        return found.hexdigest()

    def candidates(self, slug: str) -> list[Candidate]:
        source = self.roles.get(slug)
        if source is None:
            return []
        codes = set(source.get("onet_codes") or ())
        same_job = {self.onet_role[code] for code in codes if code in self.onet_role}
        found: dict[str, Candidate] = {}

        def offer(candidate: Candidate) -> None:
            role = candidate.role
            if role in (slug, FALLBACK_ROLE) or role in same_job or role not in self.roles:
                return
            held = found.get(role)
            if held is None or (candidate.weight, -(candidate.index or 99)) > (held.weight, -(held.index or 99)):
                found[role] = candidate

        for link in source.get("related") or ():
            offer(Candidate(link["role"], link["tier"], link.get("index")))
        direct = set(found)  # the role's own relations speak first
        for code in sorted(codes):
            occupation = self.onet_role.get(code)
            if occupation is None:
                continue
            for link in self.roles[occupation].get("related") or ():
                related = self.roles.get(link["role"]) or {}
                # the O*NET occupation, and the curated roles naming it that are not of S's own occupations
                reached = {link["role"]} | {curated for other in related.get("onet_codes") or ()
                                            for curated in self.by_code.get(other, ())
                                            if not codes & set(self.roles[curated].get("onet_codes") or ())}
                for target in sorted(reached - direct):
                    offer(Candidate(target, link["tier"], link.get("index"), via=code))
        shared: Counter[str] = Counter()
        for skill in self.needs.get(slug, ()):
            shared.update(self.by_skill[skill])
        for role, _ in sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))[:SKILL_NEIGHBOURS + 1]:
            offer(Candidate(role, SHARED_SKILLS))
        return sorted(found.values(), key=lambda c: c.role)


async def store_candidates(db: Db, roles: list[str] | None = None) -> int:
    """Compute and store the candidates of `roles` (every role when None); how many were stored.
    Each document records the digest of the catalogue it was found from."""
    catalogue = await Catalogue.load(db)
    wanted = sorted(catalogue.roles) if roles is None else [r for r in roles if r in catalogue.roles]
    now, digest = datetime.now(UTC), catalogue.digest()
    ops = [ReplaceOne({"role": role}, {"role": role, "computed_at": now, "catalogue_digest": digest,
                                       "candidates": [x.to_document() for x in catalogue.candidates(role)]},
                      upsert=True) for role in wanted]
    for start in range(0, len(ops), 500):
        await db[MOVE_CANDIDATES].bulk_write(ops[start:start + 500], ordered=False)
    if roles is None:  # roles that are gone
        await db[MOVE_CANDIDATES].delete_many({"role": {"$nin": wanted}})
    return len(ops)


MAX_REFRESHES = 3


async def refresh_candidates(db: Db) -> int:
    """Store every role's candidates unless they were all found from the catalogue as it is now (the
    worker and `careergraph recompute` call it at the start of a full recompute, so a catalogue change,
    which queues one, is in the candidates before the run publishes its version); when the catalogue
    changed while they were found, find them again (at most `MAX_REFRESHES` times). How many were
    stored (0: they were current)."""
    stored = 0
    for _ in range(MAX_REFRESHES):
        before = (await Catalogue.load(db)).digest()
        held = await db[MOVE_CANDIDATES].distinct("catalogue_digest")
        if held == [before] and await db[MOVE_CANDIDATES].count_documents({}) == await db[c.ROLES].count_documents({}):
            break
        stored = await store_candidates(db)
    return stored


async def candidates_of(db: Db, role: str) -> list[Candidate]:
    """The stored candidates of a role, computed and stored first when there are none."""
    doc = await db[MOVE_CANDIDATES].find_one({"role": role})
    if doc is None:
        await store_candidates(db, [role])
        doc = await db[MOVE_CANDIDATES].find_one({"role": role})
    return [Candidate.from_document(d) for d in (doc or {}).get("candidates", ())]
