"""Keyset pagination with opaque, stable cursors.

A cursor encodes the sort value and the slug of a row, so a page boundary stays put when rows are
inserted elsewhere. `first`/`after` walks forwards; `last`/`before` walks backwards.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.collection import AsyncCollection

from service.errors import BadUserInput

T = TypeVar("T")
MAX_PAGE = 100


@dataclass(frozen=True)
class PageRequest:
    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None

    def validate(self) -> None:
        if (self.first is None) == (self.last is None):
            raise BadUserInput("give exactly one of `first` or `last`", field="first")
        size = self.first if self.first is not None else self.last
        if size is None or not 1 <= size <= MAX_PAGE:
            raise BadUserInput(f"`first` / `last` must be between 1 and {MAX_PAGE}, got {size}",
                               field="first" if self.first is not None else "last")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[tuple[str, T]]  # (cursor, item)
    has_next_page: bool
    has_previous_page: bool
    total_count: int


def encode_cursor(sort_value: Any, tiebreak: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps([sort_value, tiebreak]).encode()).decode()


def decode_cursor(cursor: str) -> tuple[Any, Any]:
    try:
        value, tiebreak = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, TypeError):
        raise BadUserInput("malformed cursor", field="after") from None
    return value, tiebreak


def _boundary(sort_field: str, tie_field: str, cursor: str, after: bool, descending: bool) -> dict[str, Any]:
    value, tiebreak = decode_cursor(cursor)
    op = "$gt" if after != descending else "$lt"
    tie_op = "$gt" if after else "$lt"
    return {"$or": [{sort_field: {op: value}}, {sort_field: value, tie_field: {tie_op: tiebreak}}]}


async def paginate(collection: AsyncCollection[dict[str, Any]], query: dict[str, Any],
                   page: PageRequest, sort_field: str, tie_field: str = "slug",
                   descending: bool = False, projection: dict[str, Any] | None = None
                   ) -> Page[dict[str, Any]]:
    """One page of `query` ordered by (sort_field, tie_field), with cursors and counts."""
    page.validate()
    conditions = [query] if query else []
    if page.after:
        conditions.append(_boundary(sort_field, tie_field, page.after, True, descending))
    if page.before:
        conditions.append(_boundary(sort_field, tie_field, page.before, False, descending))
    combined = {"$and": conditions} if len(conditions) > 1 else (conditions[0] if conditions else {})
    forward = page.first is not None
    size = page.first if forward else page.last
    assert size is not None
    base = DESCENDING if descending else ASCENDING
    order = base if forward else -base  # walking backwards reads the same order reversed
    ordering = [(sort_field, order), (tie_field, order)]
    cursor = collection.find(combined, projection).sort(ordering).limit(size + 1)
    docs = await cursor.to_list(size + 1)
    more = len(docs) > size
    docs = docs[:size]
    if not forward:
        docs.reverse()
    total = await collection.count_documents(query)
    items = [(encode_cursor(d.get(sort_field), d.get(tie_field)), d) for d in docs]
    return Page(items=items,
                has_next_page=more if forward else bool(page.before),
                has_previous_page=more if not forward else bool(page.after),
                total_count=total)
