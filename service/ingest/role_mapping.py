"""Which role a salary row belongs to, from its title(s) and specialisation tag.

`route` tries, for each of the row's titles in turn, and takes the first that lands:

1. the `--map` file's `roles` rules;
2. the built-in rules that read the tag (levels.fyi's "Software Engineer" is a backend developer
   when its tag says "Distributed Systems (Back-End)");
3. an exact title or alias of a role (`service.catalog.titles`: curated roles, then O*NET's
   alternate titles);
4. the built-in rules on the title alone;
5. the most similar title or alias, when it is similar enough (`ROUTING_THRESHOLD`).

A rule matches when its `title` and `tag` patterns both do (case-insensitive regular expressions
searched anywhere; a missing pattern matches anything). A row nothing claims goes to
`other-roles` with its title kept, so nothing is dropped, and the import report lists the most
frequent such titles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from service.catalog.titles import ROUTING_THRESHOLD, TitleIndex

FALLBACK_ROLE = "other-roles"


@dataclass(frozen=True)
class RoleRule:
    role: str
    title: re.Pattern[str] | None = None
    tag: re.Pattern[str] | None = None

    def matches(self, title: str, tag: str) -> bool:
        return (self.title is None or bool(self.title.search(title))) and \
            (self.tag is None or bool(self.tag.search(tag)))


def rule(role: str, title: str | None = None, tag: str | None = None) -> RoleRule:
    return RoleRule(role=role, title=re.compile(title, re.I) if title else None,
                    tag=re.compile(tag, re.I) if tag else None)


SWE = r"^software (engineer|developer)$|^(backend|back-end|frontend|front-end|full[ -]?stack) "
DEFAULT_RULES: tuple[RoleRule, ...] = (
    rule("engineering-manager", title=r"engineering manager"),
    rule("backend-developer", title=SWE, tag=r"back-?end|backend|distributed systems|api development"),
    rule("full-stack-developer", title=SWE, tag=r"full[ -]?stack"),
    rule("frontend-developer", title=SWE, tag=r"front-?end|web development"),
    rule("devops-engineer", title=SWE, tag=r"devops|site reliability|\bsre\b|infrastructure"),
    rule("machine-learning-engineer", title=SWE, tag=r"\bml\b|machine learning|\bai\b"),
    rule("mobile-developer", title=SWE, tag=r"\bios\b|android|mobile"),
    rule("backend-developer", title=r"back-?end (developer|engineer)"),
    rule("frontend-developer", title=r"front-?end (developer|engineer)"),
    rule("full-stack-developer", title=r"full[ -]?stack (developer|engineer)"),
    rule("software-engineer", title=r"^software (engineer|developer)"),
    rule("data-scientist", title=r"data scientist"),
    rule("product-manager", title=r"^product manager"),
)


def rules_from_map(entries: list[dict[str, Any]]) -> tuple[RoleRule, ...]:
    """Rules from a map file's `roles` list; ValueError names the bad entry."""
    out = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("role"), str):
            raise ValueError(f"roles[{index}] needs a 'role' slug")
        try:
            out.append(rule(entry["role"], entry.get("title"), entry.get("tag")))
        except re.error as exc:
            raise ValueError(f"roles[{index}] has a bad pattern: {exc}") from exc
    return tuple(out)


def role_for(title: str, tag: str, rules: tuple[RoleRule, ...] = DEFAULT_RULES) -> str:
    """The first rule's role (the fallback when none matches)."""
    for candidate in rules:
        if candidate.matches(title.strip(), tag.strip()):
            return candidate.role
    return FALLBACK_ROLE


TAGGED = tuple(r for r in DEFAULT_RULES if r.tag is not None)
UNTAGGED = tuple(r for r in DEFAULT_RULES if r.tag is None)


@dataclass(frozen=True)
class Routed:
    role: str
    title: str  # the title that decided
    how: str  # rule, exact, similar or none


def _first_rule(rules: tuple[RoleRule, ...], title: str, tag: str) -> str | None:
    found = role_for(title, tag, rules)
    return None if found == FALLBACK_ROLE else found


def route(titles: list[str], tag: str, custom: tuple[RoleRule, ...], index: TitleIndex | None) -> Routed:
    """The role of a row (see the module's docstring)."""
    for title in (t.strip() for t in titles if t.strip()):
        for rules, how in ((custom, "rule"), (TAGGED, "rule")):
            found = _first_rule(rules, title, tag)
            if found:
                return Routed(found, title, how)
        matches = index.classify(title, 1) if index is not None else []
        if matches and matches[0].method == "exact":
            return Routed(matches[0].role, title, "exact")
        found = _first_rule(UNTAGGED, title, tag)
        if found:
            return Routed(found, title, "rule")
        if matches and matches[0].score >= ROUTING_THRESHOLD:
            return Routed(matches[0].role, title, "similar")
    return Routed(FALLBACK_ROLE, titles[0].strip() if titles else "", "none")
