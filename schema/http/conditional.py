"""HTTP caching of GET queries: `Cache-Control`, a strong `ETag`, `Vary`, and `304 Not Modified`.

Summary reads (`schema.http.response_cache`) get an ETag from the summary version and the request, so a
repeated GET is answered 304 before anything runs, and `max-age` no longer than the response cache's
TTL: `public` when no key is needed, `private` when one is sent or required. Every other error-free
GET answer gets `Cache-Control: no-cache` (`private` with a key) and an ETag from its body: a client
revalidates and gets 304 when nothing changed. Answers with errors are `no-store`. The answer depends
on the media type asked for and on the key's role, hence `Vary: Accept, Authorization`.
"""

from __future__ import annotations

import hashlib
import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

VARY = b"Accept, Authorization"
STATE_ETAG = "http_etag"  # set by the response cache on summary reads
STATE_CACHE_CONTROL = "http_cache_control"


def summary_cache_control(ttl_s: float, private: bool) -> bytes:
    return f"{'private' if private else 'public'}, max-age={max(0, int(ttl_s))}".encode()


def strong_etag(material: str | bytes) -> bytes:
    data = material.encode() if isinstance(material, str) else material
    return b'"' + hashlib.sha256(data).hexdigest()[:32].encode() + b'"'


def matches(if_none_match: bytes | None, etag: bytes) -> bool:
    """RFC 9110 If-None-Match: weak comparison, `*`, a comma-separated list."""
    if not if_none_match:
        return False
    candidates = [c.strip() for c in if_none_match.split(b",")]
    return b"*" in candidates or etag in [c.removeprefix(b"W/") for c in candidates]


def validator_headers(etag: bytes, cache_control: bytes) -> list[tuple[bytes, bytes]]:
    return [(b"etag", etag), (b"cache-control", cache_control), (b"vary", VARY)]


async def send_not_modified(send: Send, etag: bytes, cache_control: bytes,
                            extra: list[tuple[bytes, bytes]] = ()) -> None:  # type: ignore[assignment]
    await send({"type": "http.response.start", "status": 304,
                "headers": [*validator_headers(etag, cache_control), *extra]})
    await send({"type": "http.response.body", "body": b""})


def _error_free(body: bytes) -> bool:
    try:
        answer = json.loads(body)
    except ValueError:
        return False
    return isinstance(answer, dict) and "errors" not in answer and answer.get("data") is not None


class ConditionalGet:
    """Adds the validators to GET answers and turns a matching If-None-Match into 304."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = {k.lower(): v for k, v in scope.get("headers") or []}
        if scope["type"] != "http" or scope["method"] != "GET" or b"multipart" in headers.get(b"accept", b""):
            await self.app(scope, receive, send)
            return
        start: Message = {}
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, keep)
        body = b"".join(chunks)
        state = scope.get("state", {})
        out = [(k, v) for k, v in start.get("headers", []) if k.lower() not in (b"etag", b"cache-control", b"vary")]
        if start.get("status") == 200 and _error_free(body):
            etag = state.get(STATE_ETAG) or strong_etag(body)
            private = b"authorization" in headers
            control = state.get(STATE_CACHE_CONTROL) or (b"private, no-cache" if private else b"no-cache")
            if matches(headers.get(b"if-none-match"), etag):
                kept = [(k, v) for k, v in out if k.lower().startswith(b"x-")]
                await send_not_modified(send, etag, control, kept)
                return
            out += validator_headers(etag, control)
        else:
            out.append((b"cache-control", b"no-store"))
        await send({**start, "headers": out})
        await send({"type": "http.response.body", "body": body})
