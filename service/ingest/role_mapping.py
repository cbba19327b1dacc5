"""Which role a salary row belongs to, from its title and specialisation tag.

Rules are tried in order; the first whose `title` and `tag` patterns both match (case-insensitive
regular expressions searched anywhere in the text; a missing pattern matches anything) wins.
A row no rule claims goes to `other-roles` with its title kept, so nothing is dropped. A `--map`
file's `roles` rules are tried before these defaults.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

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
    for candidate in rules:
        if candidate.matches(title.strip(), tag.strip()):
            return candidate.role
    return FALLBACK_ROLE
