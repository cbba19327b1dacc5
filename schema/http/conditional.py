"""HTTP caching of GET queries: `Cache-Control`, a strong `ETag`, `Vary`, and `304 Not Modified`
(`respond()` applies them).

Summary reads (`schema.http.response_cache`) get an ETag from the summary version and the request,
so a repeated GET is answered 304 before anything runs, and `max-age` no longer than the response
cache's TTL: `public` when no key is needed, `private` when one is sent or required. Every other
error-free GET answer gets `Cache-Control: no-cache` (`private` with a key) and an ETag from its
body: a client revalidates and gets 304 when nothing changed. Every other answer is `no-store`. The
answer depends on the media type asked for and on the key's role, hence `Vary: Accept, Authorization`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

VARY = "Accept, Authorization"
NO_STORE = "no-store"


@dataclass(frozen=True)
class Validators:
    etag: str
    cache_control: str


def summary_validators(version: str, key: str, ttl_s: float, private: bool) -> Validators:
    """A summary read's: its ETag changes with the summary version it was built from."""
    control = f"{'private' if private else 'public'}, max-age={max(0, int(ttl_s))}"
    return Validators(strong_etag(f"{version}:{key}".encode()), control)


def body_validators(body: bytes, private: bool) -> Validators:
    """Any other error-free GET answer's: revalidated by its body."""
    return Validators(strong_etag(body), "private, no-cache" if private else "no-cache")


def strong_etag(material: bytes) -> str:
    return '"' + hashlib.sha256(material).hexdigest()[:32] + '"'


def matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 If-None-Match: weak comparison, `*`, a comma-separated list."""
    if not if_none_match:
        return False
    candidates = [c.strip() for c in if_none_match.split(",")]
    return "*" in candidates or etag in [c.removeprefix("W/") for c in candidates]


def headers(validators: Validators) -> list[tuple[str, str]]:
    return [("etag", validators.etag), ("cache-control", validators.cache_control), ("vary", VARY)]
