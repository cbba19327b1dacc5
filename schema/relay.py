"""Relay building blocks: opaque global IDs, PageInfo and generic connections."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import strawberry

from service.errors import BadUserInput
from service.store.pagination import Page, PageRequest

T = TypeVar("T")
NODE_TYPES = ("Role", "Skill", "LearningPath", "Source", "SalaryObservation", "SalaryBenchmark", "Outlook")


def to_global_id(type_name: str, key: str) -> strawberry.ID:
    return strawberry.ID(base64.urlsafe_b64encode(f"{type_name}:{key}".encode()).decode().rstrip("="))


def from_global_id(global_id: str) -> tuple[str, str]:
    """(type name, key); BadUserInput for anything that is not one of our IDs."""
    try:
        padded = global_id + "=" * (-len(global_id) % 4)
        type_name, _, key = base64.urlsafe_b64decode(padded.encode()).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadUserInput(f"malformed ID {global_id[:60]!r}", field="id") from None
    if type_name not in NODE_TYPES or not key:
        raise BadUserInput(f"malformed ID {global_id[:60]!r}", field="id")
    return type_name, key


@strawberry.interface
class Node:
    @strawberry.field
    def id(self) -> strawberry.ID:
        return to_global_id(type(self).__name__, self.node_key())

    def node_key(self) -> str:
        raise NotImplementedError


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    total_count: int

    @strawberry.field
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]


def connection(page: Page[Any], wrap: Callable[[Any], T]) -> Connection[T]:
    edges = [Edge(cursor=cursor, node=wrap(item)) for cursor, item in page.items]
    return Connection(
        edges=edges,
        page_info=PageInfo(has_next_page=page.has_next_page, has_previous_page=page.has_previous_page,
                           start_cursor=edges[0].cursor if edges else None,
                           end_cursor=edges[-1].cursor if edges else None),
        total_count=page.total_count,
    )


def model_field(attr: str) -> Any:
    """A field read straight from the wrapped domain object: `slug: str = model_field("slug")`."""
    def resolve(root: Any) -> Any:
        return getattr(root.model, attr)

    return strawberry.field(resolver=resolve)


def page_request(info: Any, first: int | None, after: str | None, last: int | None,
                 before: str | None) -> PageRequest:
    """The page the arguments ask for, with the server's cursor secret."""
    return PageRequest(first=first, after=after, last=last, before=before,
                       secret=info.context.cursor_secret)
