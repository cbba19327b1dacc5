"""Search across roles, skills and learning paths, ranked.

Ranking, best first: an exact name or alias match (its search key equals the query's), then a
prefix match, then MongoDB full-text relevance on titles, aliases and summaries. Curated records
rank above imported ones at equal relevance. "back end developer", "backend dev", "postgres" and
"k8s" all hit curated aliases exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from service.catalog.model import LearningPath, Role, Skill
from service.errors import BadUserInput
from service.store import database as c
from service.text import search_key

MAX_RESULTS = 50
EXACT, PREFIX, TEXT = 3.0, 2.0, 1.0


@dataclass(frozen=True)
class SearchHit:
    kind: str  # role, skill, learning_path
    score: float
    item: Role | Skill | LearningPath


def _kind_of(collection: str) -> str:
    return {c.ROLES: "role", c.SKILLS: "skill", c.LEARNING_PATHS: "learning_path"}[collection]


def _build(collection: str, doc: dict[str, Any]) -> Role | Skill | LearningPath:
    if collection == c.ROLES:
        return Role.from_document(doc)
    if collection == c.SKILLS:
        return Skill.from_document(doc)
    return LearningPath.from_document(doc)


async def search(db: AsyncDatabase[dict[str, Any]], text: str, first: int = 10) -> list[SearchHit]:
    text = text.strip()
    if not text or len(text) > 200:
        raise BadUserInput("search text must be 1-200 characters", field="text")
    if not 1 <= first <= MAX_RESULTS:
        raise BadUserInput(f"`first` must be between 1 and {MAX_RESULTS}", field="first")
    key = search_key(text)
    scored: dict[tuple[str, str], tuple[float, dict[str, Any]]] = {}

    def offer(collection: str, doc: dict[str, Any], score: float) -> None:
        if doc.get("origin", "curated") == "curated":
            score += 0.5
        ident = (collection, doc["slug"])
        if ident not in scored or scored[ident][0] < score:
            scored[ident] = (score, doc)

    for collection in (c.ROLES, c.SKILLS):
        if key:
            async for doc in db[collection].find({"search_keys": key}).limit(first):
                offer(collection, doc, EXACT)
            prefix = {"search_keys": {"$regex": f"^{re.escape(key)}"}}
            async for doc in db[collection].find(prefix).sort("slug", 1).limit(first):
                offer(collection, doc, PREFIX)
    for collection in (c.ROLES, c.SKILLS, c.LEARNING_PATHS):
        cursor = db[collection].find({"$text": {"$search": text}}, {"score": {"$meta": "textScore"}})
        async for doc in cursor.sort([("score", {"$meta": "textScore"})]).limit(first):
            relevance = float(doc.pop("score", 0.0))
            offer(collection, doc, TEXT * relevance / (1.0 + relevance))  # below any prefix match
    ranked = sorted(scored.items(), key=lambda kv: (-kv[1][0], kv[0][0], kv[0][1]))[:first]
    return [SearchHit(_kind_of(coll), score, _build(coll, doc)) for (coll, _), (score, doc) in ranked]
