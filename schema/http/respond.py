"""The one place answers are made: status codes, media types, cache and rate-limit headers and
error bodies, for every route of the front door, over HTTP and WebSocket alike.

- A refusal (`Refusal`) is a GraphQL error with a code. One raised before the request could be
  read (bad JSON, media type, size, method, path) carries its own status. Any other (a persisted
  query refused, a key refused, too complex) is a request error: 200 with `application/json`, as
  every client library expects, and with `application/graphql-response+json` 400 (401 for
  UNAUTHENTICATED) and no `data`, as GraphQL over HTTP asks. RATE_LIMITED is 429 with Retry-After.
- An executed result keeps GraphQL over HTTP's rules: with `application/graphql-response+json` a
  request error (no data, no path) is 400 and carries no `data`.
- GET answers get their validators (`schema.http.conditional`) and a matching If-None-Match gets
  304; everything else is `no-store`.
- Over a WebSocket a refusal is the operation's `next` (no data, the error) and `complete`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson
from starlette.responses import Response

from schema.http import conditional
from schema.http.media import GRAPHQL_RESPONSE, JSON
from schema.policy.limits import rate_limit_headers
from service.access.rate_limit import Decision

CACHE_HEADER = "x-careergraph-cache"


@dataclass
class Refusal(Exception):
    """A request or operation refused before it ran."""

    code: str
    message: str
    status: int | None = None  # a transport refusal's own status; None: a request error
    headers: list[tuple[str, str]] = field(default_factory=list)
    extensions: dict[str, Any] = field(default_factory=dict)
    decision: Decision | None = None  # a RATE_LIMITED refusal's: its headers say when to retry

    def error(self) -> dict[str, Any]:
        return {"message": self.message, "extensions": {"code": self.code, **self.extensions}}


@dataclass
class Outcome:
    """What the front door decided that the answer shows, beside its body."""

    media: str = JSON
    method: str = "POST"
    decision: Decision | None = None  # the rate-limit charge
    cache: str | None = None  # "hit" or "miss" for a response-cache read
    validators: conditional.Validators | None = None  # a summary read's, for a GET
    if_none_match: str | None = None
    private: bool = False  # a key was sent


def encode(body: Any) -> bytes:
    try:
        return orjson.dumps(body)
    except TypeError:  # an integer beyond 64 bits, say: the standard library writes it
        import json

        return json.dumps(body, separators=(",", ":")).encode()


def refused(refusal: Refusal, outcome: Outcome) -> Response:
    status = refusal.status
    if status is None:
        if refusal.code == "RATE_LIMITED":
            status = 429
        elif outcome.media != GRAPHQL_RESPONSE:
            status = 200
        else:
            status = 401 if refusal.code == "UNAUTHENTICATED" else 400
    extra = list(refusal.headers)
    if status == 401:
        extra.append(("www-authenticate", 'Bearer realm="careergraph"'))
    if refusal.decision is not None:
        outcome.decision = refusal.decision
    return _answer(status, encode({"errors": [refusal.error()]}), outcome, cacheable=False, extra=extra)


def result(body: dict[str, Any], request_error: bool, outcome: Outcome) -> Response:
    """An executed operation's answer (`body` as Strawberry's `process_result` makes it)."""
    status = 200
    if request_error and outcome.media == GRAPHQL_RESPONSE:
        body.pop("data", None)
        status = 400
    error_free = "errors" not in body and body.get("data") is not None
    return _answer(status, encode(body), outcome, cacheable=error_free)


def stored(payload: bytes, outcome: Outcome) -> Response:
    """An answer the response cache kept (error-free, as every entry is)."""
    return _answer(200, payload, outcome, cacheable=True)


def _answer(status: int, payload: bytes, outcome: Outcome, cacheable: bool,
            extra: Iterable[tuple[str, str]] = ()) -> Response:
    media = outcome.media + ("; charset=utf-8" if outcome.media == GRAPHQL_RESPONSE else "")
    headers = [("content-type", media), *extra, *rate_limit_headers(outcome.decision)]
    if outcome.cache:
        headers.append((CACHE_HEADER, outcome.cache))
    if outcome.method == "GET" and status == 200 and cacheable:
        validators = outcome.validators or conditional.body_validators(payload, outcome.private)
        headers += conditional.headers(validators)
        if conditional.matches(outcome.if_none_match, validators.etag):
            kept = [(k, v) for k, v in headers if k.startswith("x-") or k in ("etag", "cache-control", "vary")]
            return _response(304, b"", kept)
    else:
        headers.append(("cache-control", conditional.NO_STORE))
    return _response(status, payload, headers)


def _response(status: int, payload: bytes, headers: list[tuple[str, str]]) -> Response:
    response = Response(payload, status_code=status)
    response.raw_headers = [(b"content-length", str(len(payload)).encode())] if status != 304 else []
    response.raw_headers += [(k.encode(), v.encode("latin-1")) for k, v in headers]
    return response


def transport_error(status: int, code: str, message: str, headers: Iterable[tuple[str, str]] = ()) -> Response:
    """A request refused before it could be read (no media type negotiated yet: JSON)."""
    return refused(Refusal(code, message, status=status, headers=list(headers)), Outcome())


def ws_refusal(operation_id: str, refusal: Refusal) -> list[dict[str, Any]]:
    """An operation on a socket refused before it ran: its `next` (no data, the error) and `complete`."""
    return [{"id": operation_id, "type": "next", "payload": {"data": None, "errors": [refusal.error()]}},
            {"id": operation_id, "type": "complete"}]


HTTP_CODES = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 413: "PAYLOAD_TOO_LARGE"}


async def http_error(request: Any, exc: Exception) -> Response:
    """Starlette's own refusals (unknown path, wrong method) in the same shape."""
    status = getattr(exc, "status_code", 500)
    allow = [("allow", "GET, POST")] if status == 405 else []
    return transport_error(status, HTTP_CODES.get(status, "BAD_REQUEST"),
                           str(getattr(exc, "detail", "")) or "request refused", allow)
