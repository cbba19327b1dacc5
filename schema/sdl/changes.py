"""How the code's schema differs from the last released one (`schema/released.graphql`), and whether
CHANGELOG.md's "Unreleased" section declares it.

Every added or removed schema coordinate must be named there in backticks, e.g. `Role.payComparison`
(a new type covers its fields, a new field its arguments), and every breaking change that graphql-core's
`find_breaking_changes` reports must be named on a line that says **Breaking**. At a release the
section gets its version and `python -m schema.sdl.export schema/released.graphql` moves the baseline.

`python -m schema.sdl.changes` prints what is undeclared (exit 1) or nothing (exit 0)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from graphql import GraphQLSchema, build_schema, find_breaking_changes, specified_scalar_types

RELEASED_PATH = Path(__file__).resolve().parent.parent / "released.graphql"
CHANGELOG_PATH = Path(__file__).resolve().parents[2] / "CHANGELOG.md"
_QUOTED = re.compile(r"`([A-Za-z_][\w.():]*)`")


def coordinates(schema: GraphQLSchema) -> set[str]:
    """Types, fields, arguments and enum values, as schema coordinates."""
    found: set[str] = set()
    for name, kind in schema.type_map.items():
        if name.startswith("__") or name in specified_scalar_types:
            continue
        found.add(name)
        for field_name, field in (getattr(kind, "fields", None) or {}).items():
            found.add(f"{name}.{field_name}")
            found.update(f"{name}.{field_name}({arg}:)" for arg in getattr(field, "args", None) or {})
        found.update(f"{name}.{value}" for value in getattr(kind, "values", None) or {})
    return found


def _parent(coordinate: str) -> str | None:
    if "(" in coordinate:
        return coordinate.split("(")[0]
    return coordinate.rsplit(".", 1)[0] if "." in coordinate else None


def _outermost(changed: set[str]) -> list[str]:
    """Drop coordinates whose parent changed too (a new type brings its fields)."""
    kept = []
    for coordinate in sorted(changed):
        parent, covered = _parent(coordinate), False
        while parent is not None:
            covered = covered or parent in changed
            parent = _parent(parent)
        if not covered:
            kept.append(coordinate)
    return kept


def unreleased_section(changelog: str) -> str:
    match = re.search(r"^## Unreleased\s*$(.*?)(?=^## |\Z)", changelog, re.MULTILINE | re.DOTALL)
    return match.group(1) if match else ""


def undeclared(released_sdl: str, current: GraphQLSchema, changelog: str) -> list[str]:
    """What the Unreleased section fails to declare, one line each; empty when it declares everything."""
    released = build_schema(released_sdl)
    section = unreleased_section(changelog)
    named = set(_QUOTED.findall(section))
    breaking_named = {c for line in section.splitlines() if "**Breaking**" in line for c in _QUOTED.findall(line)}
    old, new = coordinates(released), coordinates(current)
    missing = [f"added, not in CHANGELOG.md: `{c}`" for c in _outermost(new - old) if c not in named]
    missing += [f"removed, not in CHANGELOG.md: `{c}`" for c in _outermost(old - new) if c not in breaking_named]
    for change in find_breaking_changes(released, current):
        quoted = set(re.findall(r"[A-Za-z_][\w]*(?:\.[\w]+)?(?:\(\w+:\))?", change.description))
        if not quoted & breaking_named:
            missing.append(f"breaking ({change.type.name}), not declared **Breaking**: {change.description}")
    return missing


def main() -> int:
    from schema.root import build_schema as code_schema

    problems = undeclared(RELEASED_PATH.read_text(), code_schema()._schema, CHANGELOG_PATH.read_text())
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
