"""`node` and `nodes`: any object by its global ID, across features (Relay's object identification)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import strawberry

from schema.catalog.role import Role
from schema.catalog.types import LearningPath, Skill
from schema.context import Info
from schema.provenance import Source
from schema.relay import Node, from_global_id
from schema.salaries.types import SalaryObservation
from service.errors import BadUserInput
from service.salaries.reads import observation_by_key
from service.salaries.visibility import view_for

MAX_NODES = 100
KEYED_TYPES = frozenset({"SalaryObservation"})  # what anonymous callers may not fetch
Fetch = Callable[[Info, str], Awaitable[Any]]

FETCH: dict[str, tuple[Any, Fetch]] = {
    "Role": (Role, lambda info, key: info.context.loaders.role.load(key)),
    "Skill": (Skill, lambda info, key: info.context.loaders.skill.load(key)),
    "LearningPath": (LearningPath, lambda info, key: info.context.loaders.path.load(key)),
    "SalaryObservation": (SalaryObservation, lambda info, key: _observation(info, key)),
    "Source": (Source, lambda info, key: info.context.loaders.source.load(key)),
}  # benchmarks and outlooks are reached through their role


async def _observation(info: Info, key: str) -> Any:
    """An observation in the caller's view: a reader's key reaches rows of public files only."""
    principal = await info.context.principal()
    return await observation_by_key(info.context.resources.db, key, view_for(principal.role))


async def _node(info: Info, global_id: str) -> Node | None:
    type_name, key = from_global_id(global_id)
    if type_name not in FETCH:
        return None
    if type_name in KEYED_TYPES:
        await info.context.require("reader")
    wrap, fetch = FETCH[type_name]
    found = await fetch(info, key)
    return wrap(model=found) if found else None


@strawberry.type
class NodeQuery:
    @strawberry.field
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return await _node(info, id)

    @strawberry.field
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
        if len(ids) > MAX_NODES:
            raise BadUserInput(f"at most {MAX_NODES} ids", field="ids")
        return [await _node(info, i) for i in ids]
