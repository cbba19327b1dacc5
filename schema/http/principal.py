"""One caller per request: the key in its one `Authorization` header, checked once.

A request with more than one `Authorization` header is refused (400): which one counts would
depend on who reads it. A key that is present but malformed, unknown or revoked is UNAUTHENTICATED
for every operation, even one an anonymous caller may run: it is never served as anonymous. With
`CAREERGRAPH_REQUIRE_API_KEY`, a caller without a key is UNAUTHENTICATED too."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from schema.http.respond import Refusal
from schema.policy.access import require_key_where_needed
from service.access.api_keys import Principal, authenticate
from service.errors import CareerGraphError


def credentials(headers: Iterable[tuple[bytes, bytes]]) -> str | None:
    """The one Authorization header's value, None without one; a Refusal for several."""
    found = [value for name, value in headers if name.lower() == b"authorization"]
    if len(found) > 1:
        raise Refusal("BAD_REQUEST", "send at most one Authorization header", status=400)
    return found[0].decode("latin-1") if found else None


async def principal_of(resources: Any, authorization: str | None) -> Principal:
    """The caller with these credentials, or the Refusal that says why not."""
    try:
        principal = await authenticate(resources, authorization)
        require_key_where_needed(principal, resources.settings)
    except CareerGraphError as exc:
        raise Refusal(exc.code, exc.message) from None
    return principal
