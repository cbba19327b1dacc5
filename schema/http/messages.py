"""Small helpers for the ASGI wrappers around the GraphQL app: headers, a body read once and
replayed to the app, the GraphQL request read once (and handed on in the scope), and the media
type an answer should carry."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

import orjson
from starlette.types import Message, Receive, Scope

REQUEST_STATE = "graphql_request"  # scope["state"] key: the request as the first wrapper read it


def headers_of(scope: Scope) -> dict[bytes, bytes]:
    return {k.lower(): v for k, v in scope.get("headers") or []}


async def read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


def replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


def media_of(headers: dict[bytes, bytes]) -> bytes:
    return (b"application/graphql-response+json" if b"graphql-response" in headers.get(b"accept", b"")
            else b"application/json")


def graphql_request(scope: Scope, body: bytes) -> dict[str, Any] | None:
    """The request as a POST body carries it: the JSON object of a POST, or a GET's parameters with
    `variables` and `extensions` decoded. None when it is malformed (the GraphQL app says why)."""
    if scope["method"] == "POST":
        try:
            request = orjson.loads(body)
        except orjson.JSONDecodeError:  # what orjson refuses and json may take (NaN, huge integers)
            try:
                request = json.loads(body)
            except (ValueError, RecursionError):
                return None
        return request if isinstance(request, dict) else None
    params: dict[str, Any] = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True))
    for name in ("variables", "extensions"):
        if params.get(name):
            try:
                params[name] = json.loads(params[name])
            except (ValueError, RecursionError):
                return None
    return params


def handed_request(scope: Scope, body: bytes) -> dict[str, Any] | None:
    """The request an outer wrapper already read, else read it now."""
    state = scope.get("state") or {}
    return state[REQUEST_STATE] if REQUEST_STATE in state else graphql_request(scope, body)
