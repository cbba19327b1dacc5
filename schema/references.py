"""Objects of another feature's type, built from the type the field itself declares.

A feature names another feature's type lazily, `Annotated[Role, strawberry.lazy("schema.catalog.role")]`
with the real import under `TYPE_CHECKING`, so the import graph says who depends on whom: a hub type
such as `Role` composes the fields other features give it (`schema/<feature>/role_fields.py`), and
those features never import the hub. A resolver that returns a hub object builds it from its
field's declared type, which Strawberry has resolved: the annotation is the one place it is named.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from strawberry.types.base import StrawberryContainer
from strawberry.types.lazy_type import LazyType

from schema.context import Info


@cache
def _resolved(lazy: LazyType[Any, Any]) -> Any:
    return lazy.resolve_type()  # imports the module once; the answer is kept


def declared_type(info: Info) -> Any:
    """The object type the field being resolved returns, inside its list and null wrappers."""
    kind: Any = info.return_type
    while isinstance(kind, StrawberryContainer):
        kind = kind.of_type
    return _resolved(kind) if isinstance(kind, LazyType) else kind


async def load_role(info: Info, slug: str) -> Any:
    """The role with this slug (through the request's DataLoader) as the field's type, or None."""
    found = await info.context.loaders.role.load(slug)
    return declared_type(info)(model=found) if found else None


async def load_roles(info: Info, slugs: list[str]) -> list[Any]:
    """The roles with these slugs that exist, in order, as the field's type."""
    found = await info.context.loaders.role.load_many(slugs)
    wrap = declared_type(info)
    return [wrap(model=role) for role in found if role is not None]


async def load_skill(info: Info, slug: str) -> Any:
    """The skill with this slug (through the request's DataLoader) as the field's type, or None."""
    found = await info.context.loaders.skill.load(slug)
    return declared_type(info)(model=found) if found else None


async def load_skills(info: Info, slugs: list[str]) -> list[Any]:
    """The skills with these slugs that exist, in order, as the field's type."""
    found = await info.context.loaders.skill.load_many(slugs)
    wrap = declared_type(info)
    return [wrap(model=skill) for skill in found if skill is not None]
