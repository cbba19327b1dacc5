"""Job titles to roles: the matcher behind importers' routing and the API's `classifyTitle`.

A title is matched against every role's title and aliases: the curated roles' and the O*NET
occupations' (about 57,000 alternate and reported titles once O*NET is imported):

- **exact**: the title's search key (case, spaces and punctuation folded) equals a role's title
  or alias: score 1.0 for a curated role, 0.95 for an O*NET occupation (curated roles are the
  ones careergraph's summaries are about);
- **similar**: otherwise, word overlap (Jaccard) with the nearest title or alias, after folding
  spelling variants ("back-end" and "back end" are "backend"; "engineer", "developer" and
  "programmer" are one word) and dropping seniority words ("senior", "lead", "II"), times 0.9.

`TitleIndex.load` reads the roles once; the API keeps an index for `INDEX_TTL_S`.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from service.text import search_key

if TYPE_CHECKING:  # the salary parsing process unpickles an index: it needs no driver
    from pymongo.asynchronous.database import AsyncDatabase

EXACT_CURATED, EXACT_ONET, SIMILAR_WEIGHT = 1.0, 0.95, 0.9
ROUTING_THRESHOLD = 0.6  # a similar match below this routes nowhere
INDEX_TTL_S = 300.0
MAX_TOKEN_SPREAD = 500  # a word in more titles than this selects no candidates (too common)
MEMO_SIZE = 20_000  # titles classified once per index
SENIORITY = frozenset("senior sr junior jr lead principal staff chief head i ii iii iv v entry level mid"
                      .split())
STOP_WORDS = frozenset("of and the for in a an & to at with".split())
MIN_SCORE = 0.3  # weaker similarities are noise, not candidates
DEV = frozenset({"engineer", "developer", "programmer", "dev", "engineers", "developers"})
_VARIANTS = ((r"\bback[\s-]?end\b", "backend"), (r"\bfront[\s-]?end\b", "frontend"),
             (r"\bfull[\s-]?stack\b", "fullstack"), (r"\bdev[\s-]?ops\b", "devops"),
             (r"\bml\b", "machine learning"))
_WORD = re.compile(r"[a-z0-9+#]+")


@lru_cache(maxsize=65536)
def tokens(title: str) -> frozenset[str]:
    text = title.lower()
    for pattern, replacement in _VARIANTS:
        text = re.sub(pattern, replacement, text)
    return frozenset("dev" if w in DEV else w for w in _WORD.findall(text)
                     if w not in SENIORITY and w not in STOP_WORDS)


@dataclass(frozen=True)
class TitleMatch:
    role: str
    score: float
    matched: str  # the role's title or alias that matched
    method: str  # exact or similar


@dataclass
class TitleIndex:
    # search key -> (score, role, text); and (role, text, weight, tokens) of every title and alias
    exact: dict[str, list[tuple[float, str, str]]] = field(default_factory=dict)
    names: list[tuple[str, str, float, frozenset[str]]] = field(default_factory=list)
    by_token: dict[str, list[int]] = field(default_factory=dict)
    loaded_at: float = 0.0
    memo: dict[tuple[str, int], list[TitleMatch]] = field(default_factory=dict)

    def add(self, role: str, text: str, curated: bool) -> None:
        weight = EXACT_CURATED if curated else EXACT_ONET
        key = search_key(text)
        if key:
            self.exact.setdefault(key, []).append((weight, role, text))
        words = tokens(text)
        if words:
            self.names.append((role, text, weight, words))
            for word in words:
                self.by_token.setdefault(word, []).append(len(self.names) - 1)

    @classmethod
    async def load(cls, db: AsyncDatabase[dict[str, Any]]) -> TitleIndex:
        from service.store import database as c

        index = cls(loaded_at=time.monotonic())
        async for doc in db[c.ROLES].find({}, {"slug": 1, "title": 1, "aliases": 1, "origin": 1}):
            curated = doc.get("origin", "curated") != "onet"
            for text in (doc["title"], *doc.get("aliases", ())):
                index.add(doc["slug"], text, curated)
        return index

    def classify(self, title: str, limit: int = 5) -> list[TitleMatch]:
        """The best roles for `title`, best first, one match per role (remembered per index)."""
        key = (title, limit)
        found = self.memo.get(key)
        if found is None:
            found = self._classify(title, limit)
            if len(self.memo) < MEMO_SIZE:
                self.memo[key] = found
        return found

    def _classify(self, title: str, limit: int) -> list[TitleMatch]:
        best: dict[str, TitleMatch] = {}

        def offer(match: TitleMatch) -> None:
            if match.role not in best or best[match.role].score < match.score:
                best[match.role] = match

        for weight, role, text in self.exact.get(search_key(title), ()):
            offer(TitleMatch(role, weight, text, "exact"))
        nearest: dict[str, tuple[float, str]] = {}
        for candidate, similarity in self._similar(tokens(title)):
            role, text, weight, _ = self.names[candidate]
            score = similarity * weight
            if role not in nearest or nearest[role][0] < score:
                nearest[role] = (score, text)
        for role, (score, text) in nearest.items():
            if SIMILAR_WEIGHT * score >= MIN_SCORE:
                offer(TitleMatch(role, round(SIMILAR_WEIGHT * score, 4), text, "similar"))
        return sorted(best.values(), key=lambda m: (-m.score, m.role))[:limit]

    def _similar(self, words: frozenset[str]) -> list[tuple[int, float]]:
        if not words:
            return []
        shared: dict[int, int] = defaultdict(int)
        for word in words:
            postings = self.by_token.get(word, [])
            if len(postings) <= MAX_TOKEN_SPREAD:
                for candidate in postings:
                    shared[candidate] += 1
        scored = []
        for candidate, overlap in shared.items():
            other = self.names[candidate][3]
            scored.append((candidate, overlap / len(words | other)))
        return scored


_indexes: dict[str, TitleIndex] = {}


async def title_index(db: AsyncDatabase[dict[str, Any]]) -> TitleIndex:
    """This database's index, read again after INDEX_TTL_S (a process keeps one per database)."""
    found = _indexes.get(db.name)
    if found is None or time.monotonic() - found.loaded_at > INDEX_TTL_S:
        found = _indexes[db.name] = await TitleIndex.load(db)
    return found


async def classify_title(db: AsyncDatabase[dict[str, Any]], title: str, first: int = 5) -> list[TitleMatch]:
    from service.errors import BadUserInput

    text = title.strip()
    if not text or len(text) > 200:
        raise BadUserInput("a title is 1-200 characters", field="title")
    if not 1 <= first <= 20:
        raise BadUserInput("`first` must be between 1 and 20", field="first")
    return (await title_index(db)).classify(text, first)
