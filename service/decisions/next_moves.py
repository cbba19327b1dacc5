"""Next moves: the roles a role can move to, ranked by what the move costs and what it pays.

For a role S, a place (the nation, a state or a metro area) and the skills a person has (S's core
and recommended skills, and any they name), each candidate target T (`candidates`) gets:

- **reach**: the share of T's needed skills (core and recommended; all its skills when it has
  none) the person has; the skills still to learn, most important first; and the hours of T's
  learning path steps that teach them (as `catalog.skill_gap` computes them; unknown without a path).
- **pay change** at the place, like with like: crowd medians (published summaries, normalised to
  USD) when both roles have one there, else OEWS annual medians of both roles' main occupations,
  else none; `basis` says which (CROWD or OFFICIAL).
- **employment and location quotient** of T's main occupation there (OEWS).
- **relatedness**: O*NET's tier and index (Primary-Short, Primary-Long, Supplemental) or the seed's
  own tier (career step, specialisation, ...), else "shared skills".

The ranking rule (`RULE`): score = 0.5 x reach + 0.3 x pay change (as a share of S's pay, clamped
to -100%..+100%; 0 when unknown) + 0.2 x relatedness weight (`candidates.TIER_WEIGHT`); higher
first, then more employment, then the slug. Each move says why it ranks where it does (`why`).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from service.catalog.model import LearningPath, RoleSkill, skill_link_order
from service.catalog.skill_gap import MAX_HAVE, resolve_skill_names
from service.decisions.candidates import Candidate, candidates_of, needed_skills
from service.decisions.crowd import CrowdGroup, crowd_groups
from service.decisions.official import OfficialPay, official_pay
from service.decisions.places import Place
from service.errors import BadUserInput, NotFound
from service.platform.resources import Resources
from service.store import database as c

MAX_MOVES = 50
WEIGHTS = {"reach": 0.5, "pay": 0.3, "relatedness": 0.2}
RULE = ("score = 0.5 x reach (share of the target's core and recommended skills known) + 0.3 x pay change (share of "
        "the current role's pay at the place, clamped to -1..1; 0 when unknown) + 0.2 x relatedness (O*NET "
        "Primary-Short 1, Primary-Long 0.7, Supplemental 0.4; the catalogue's career step 1, specialisation 0.8, "
        "neighbour 0.7, broader role 0.6, contrast 0.3, earlier step 0.2; shared skills only 0); higher first, "
        "then more employment, then the slug")


@dataclass(frozen=True)
class PayChange:
    basis: str  # CROWD or OFFICIAL
    current: float  # the current role's median at the place
    target: float
    change: float  # target - current, USD a year
    share: float  # change / current
    detail: str  # whose medians, in words
    current_count: int | None = None  # CROWD: people behind each median
    target_count: int | None = None
    current_occupation: str | None = None  # OFFICIAL: the SOC codes whose medians these are ...
    target_occupation: str | None = None
    release: str | None = None  # ... in this OEWS release
    versions: tuple[str, ...] = ()  # CROWD: the summary versions the medians were read from


@dataclass(frozen=True)
class NextMove:
    role: str
    title: str
    rank: int
    score: float
    relatedness: Candidate
    reach: float
    known: tuple[str, ...]  # needed skills of the target the person has
    to_learn: tuple[str, ...]  # needed skills still to learn, most important first
    hours: float | None  # of the target's learning path steps teaching them; None without a path
    path: str | None
    pay: PayChange | None
    occupation: str | None  # the target's main OEWS occupation at the place
    employment: float | None
    location_quotient: float | None
    why: str
    official_source: str | None = None  # the source slug of the occupation's figures (OEWS release)


@dataclass(frozen=True)
class NextMoves:
    role: str
    place: Place
    moves: tuple[NextMove, ...]
    unknown_skills: tuple[str, ...]  # names given that match no skill
    rule: str = RULE


def pay_change(current: str, target: str, crowd: dict[str, CrowdGroup | None],
               official: dict[str, OfficialPay | None]) -> PayChange | None:
    here, there = crowd.get(current), crowd.get(target)
    if here is not None and there is not None and here.median and there.median:
        return PayChange("CROWD", here.median, there.median, there.median - here.median,
                         (there.median - here.median) / here.median,
                         f"crowd medians, {here.count:,} and {there.count:,} people", current_count=here.count,
                         target_count=there.count,
                         versions=tuple(sorted({v for v in (here.version, there.version) if v})))
    mine, theirs = official.get(current), official.get(target)
    if mine is not None and theirs is not None and mine.median and theirs.median:
        return PayChange("OFFICIAL", mine.median, theirs.median, theirs.median - mine.median,
                         (theirs.median - mine.median) / mine.median,
                         f"OEWS {mine.release} annual medians of {mine.occupation} and {theirs.occupation}",
                         current_occupation=mine.occupation, target_occupation=theirs.occupation,
                         release=mine.release)
    return None


def _why(move: dict[str, Any], place: Place) -> str:
    parts = [f"knows {len(move['known'])} of the {len(move['known']) + len(move['to_learn'])} skills it needs "
             f"({move['reach']:.0%})"]
    if move["to_learn"]:
        hours = f"{move['hours']:g} h on its learning path" if move["hours"] is not None else "hours unknown (no " \
                                                                                              "learning path)"
        parts.append(f"{len(move['to_learn'])} to learn, {hours}")
    pay: PayChange | None = move["pay"]
    parts.append(f"pays {pay.share:+.0%} at {place.label()} ({pay.detail}: {pay.current:,.0f} to {pay.target:,.0f})"
                 if pay else f"pay change at {place.label()} unknown (no two medians of one kind)")
    related: Candidate = move["relatedness"]
    parts.append(f"{related.tier}" + (f" (O*NET index {related.index})" if related.index else "")
                 + (f" through {related.via}" if related.via else ""))
    share = 0.0 if pay is None else max(-1.0, min(1.0, pay.share))
    parts.append(f"score 0.5 x {move['reach']:.2f} + 0.3 x {share:.2f} + 0.2 x {related.weight:.1f} = "
                 f"{move['score']:.3f}")
    return "; ".join(parts)


async def next_moves(resources: Resources, role: str, area: str = "US", known_skills: list[str] | None = None,
                     first: int = 10) -> NextMoves:
    """The ranked moves from `role` at `area` ("US", a state or an OEWS area code) for a person who
    has the role's needed skills and `known_skills` (free-text names)."""
    if not 1 <= first <= MAX_MOVES:
        raise BadUserInput(f"`first` must be between 1 and {MAX_MOVES}", field="first")
    if known_skills is not None and len(known_skills) > MAX_HAVE:
        raise BadUserInput(f"`knownSkills` lists at most {MAX_HAVE} skills", field="knownSkills")
    place = Place.of(area)
    db = resources.db
    source = await db[c.ROLES].find_one({"slug": role}, {"slug": 1, "skills": 1, "onet_codes": 1})
    if source is None:
        raise NotFound(f"no role with slug {role!r}", field="role")
    named, unknown = await resolve_skill_names(db, known_skills or [])
    known = needed_skills(source) | named
    candidates = {x.role: x for x in await candidates_of(db, role)}
    targets = {d["slug"]: d async for d in db[c.ROLES].find(
        {"slug": {"$in": sorted(candidates)}}, {"slug": 1, "title": 1, "skills": 1, "onet_codes": 1})}
    paths: dict[str, LearningPath] = {}
    async for doc in db[c.LEARNING_PATHS].find({"role": {"$in": sorted(targets)}}).sort("slug", 1):
        paths.setdefault(doc["role"], LearningPath.from_document(doc))
    everyone = [role, *sorted(targets)]
    crowd, official = await asyncio.gather(
        crowd_groups(resources, everyone, place),
        official_pay(db, {slug: tuple(d.get("onet_codes") or ()) for slug, d in [(role, source), *targets.items()]},
                     place))
    moves = []
    for slug, doc in targets.items():
        needed = needed_skills(doc)
        links = sorted((RoleSkill.from_document(s) for s in doc.get("skills") or () if s["skill"] in needed),
                       key=skill_link_order)
        to_learn = tuple(link.skill for link in links if link.skill not in known)
        path = paths.get(slug)
        steps = [s for s in (path.steps if path else ()) if set(to_learn) & set(s.skills)]
        pay = pay_change(role, slug, crowd, official)
        there = official.get(slug)
        reach = (len(needed) - len(to_learn)) / len(needed) if needed else 0.0
        share = 0.0 if pay is None else max(-1.0, min(1.0, pay.share))
        related = candidates[slug]
        score = WEIGHTS["reach"] * reach + WEIGHTS["pay"] * share + WEIGHTS["relatedness"] * related.weight
        moves.append({"role": slug, "title": doc.get("title", slug), "score": score, "relatedness": related,
                      "reach": reach, "known": tuple(link.skill for link in links if link.skill in known),
                      "to_learn": to_learn, "hours": sum(s.estimated_hours or 0 for s in steps) if path else None,
                      "path": path.slug if path else None, "pay": pay,
                      "occupation": there.occupation if there else None,
                      "employment": there.employment if there else None,
                      "location_quotient": there.location_quotient if there else None,
                      "official_source": there.source if there else None})
    moves.sort(key=lambda m: (-m["score"], -(m["employment"] or 0), m["role"]))
    ranked = tuple(NextMove(rank=i, why=_why(m, place), **m) for i, m in enumerate(moves[:first], start=1))
    return NextMoves(role, place, ranked, tuple(unknown))
