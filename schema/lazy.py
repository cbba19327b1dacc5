"""Types of other features, referenced lazily.

Annotations use `Annotated["Role", strawberry.lazy("schema.catalog.role")]`; resolvers that build
an object of another feature's type get its class from `lazy_type`, which imports the module the
first time it is asked (as `strawberry.lazy` does for annotations). So the feature packages import
one another never, and any module imports first.
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import Any

from schema.context import Info

ROLE = "schema.catalog.role"
CATALOG = "schema.catalog.types"
SALARIES = "schema.salaries.types"
SUMMARIES = "schema.summaries.types"
DEMAND = "schema.summaries.demand"
COMPARISON = "schema.summaries.comparison"
OFFICIAL = "schema.official.types"
WAGES = "schema.official.wages"


@cache
def lazy_type(module: str, name: str) -> Any:
    """The class `name` of `module`, imported on first use."""
    return getattr(importlib.import_module(module), name)


async def load_role(info: Info, slug: str) -> Any:
    """The `Role` with this slug (through the request's DataLoader), or None."""
    found = await info.context.loaders.role.load(slug)
    return lazy_type(ROLE, "Role")(model=found) if found else None


async def load_skill(info: Info, slug: str) -> Any:
    """The `Skill` with this slug (through the request's DataLoader), or None."""
    found = await info.context.loaders.skill.load(slug)
    return lazy_type(CATALOG, "Skill")(model=found) if found else None
