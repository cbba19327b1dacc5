"""Small helpers for the ASGI wrappers around the GraphQL app: headers, a body read once and
replayed to the app, and the media type an answer should carry."""

from __future__ import annotations

from starlette.types import Message, Receive, Scope


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
