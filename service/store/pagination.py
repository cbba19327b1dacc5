"""Keyset pagination with opaque, stable, tamper-evident cursors.

A cursor holds the sort field's name, the row's value of it and the row's tiebreak (its slug or
content hash), so a page boundary stays put when rows are inserted elsewhere. `first`/`after`
walks forwards; `last`/`before` walks backwards.

A cursor is signed with a server secret (HMAC-SHA256): one the client edited, or one minted for
another list or order, is refused with BAD_USER_INPUT before anything reaches MongoDB. Even a
correctly signed cursor is decoded into nothing but a scalar of the sort field's kind and a
string, so no query operator can ever ride on it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import math
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.collection import AsyncCollection

from service.errors import BadUserInput

T = TypeVar("T")
MAX_PAGE = 100
MAX_CURSOR_LENGTH = 512
SIGNATURE_BYTES = 16
NUMBER, TEXT = "number", "text"
#: The kind of each field a list may be sorted by.
SORT_KINDS = {"title": TEXT, "slug": TEXT, "name": TEXT, "amount": NUMBER}


@dataclass(frozen=True)
class PageRequest:
    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None
    secret: bytes = field(default=b"", repr=False)  # signs and checks cursors

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


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(secret: bytes, body: bytes) -> bytes:
    return hmac.new(secret, body, hashlib.sha256).digest()[:SIGNATURE_BYTES]


def encode_cursor(sort_field: str, sort_value: Any, tiebreak: Any, secret: bytes) -> str:
    body = json.dumps([sort_field, sort_value, tiebreak], separators=(",", ":")).encode()
    return f"{_b64(body)}.{_b64(_sign(secret, body))}"


def _scalar_of(kind: str, value: Any) -> bool:
    if value is None:
        return True  # a row without the field sorts first; its cursor says so
    if kind == NUMBER:
        return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    return isinstance(value, str) and len(value) <= 400


def decode_cursor(cursor: str, sort_field: str, secret: bytes, argument: str = "after") -> tuple[Any, str]:
    """(sort value, tiebreak) of a cursor minted here for this sort field; BadUserInput otherwise."""
    def refuse() -> BadUserInput:
        return BadUserInput("malformed or foreign cursor: pass an `endCursor` or `startCursor` from "
                            "this list, unchanged", field=argument)

    if not isinstance(cursor, str) or len(cursor) > MAX_CURSOR_LENGTH or cursor.count(".") != 1:
        raise refuse()
    encoded_body, encoded_signature = cursor.split(".")
    try:
        body, signature = _unb64(encoded_body), _unb64(encoded_signature)
        decoded = json.loads(body)
    except (ValueError, binascii.Error, UnicodeDecodeError, RecursionError):
        raise refuse() from None
    if not hmac.compare_digest(signature, _sign(secret, body)):
        raise refuse()
    if not (isinstance(decoded, list) and len(decoded) == 3 and decoded[0] == sort_field):
        raise refuse()
    _, value, tiebreak = decoded
    if not _scalar_of(SORT_KINDS.get(sort_field, TEXT), value) or not isinstance(tiebreak, str):
        raise refuse()
    return value, tiebreak


def _boundary(sort_field: str, tie_field: str, value: Any, tiebreak: str, after: bool,
              descending: bool) -> dict[str, Any]:
    op = "$gt" if after != descending else "$lt"
    tie_op = "$gt" if after else "$lt"
    # {"$eq": value} rather than a bare value: the decoded value is a scalar anyway, and this says so.
    return {"$or": [{sort_field: {op: value}}, {sort_field: {"$eq": value}, tie_field: {tie_op: tiebreak}}]}


async def paginate(collection: AsyncCollection[dict[str, Any]], query: dict[str, Any],
                   page: PageRequest, sort_field: str, tie_field: str = "slug",
                   descending: bool = False, projection: dict[str, Any] | None = None
                   ) -> Page[dict[str, Any]]:
    """One page of `query` ordered by (sort_field, tie_field), with cursors and counts."""
    page.validate()
    conditions = [query] if query else []
    for given, after, argument in ((page.after, True, "after"), (page.before, False, "before")):
        if given:
            value, tiebreak = decode_cursor(given, sort_field, page.secret, argument)
            conditions.append(_boundary(sort_field, tie_field, value, tiebreak, after, descending))
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
    items = [(encode_cursor(sort_field, d.get(sort_field), d.get(tie_field), page.secret), d) for d in docs]
    return Page(items=items,
                has_next_page=more if forward else bool(page.before),
                has_previous_page=more if not forward else bool(page.after),
                total_count=total)
