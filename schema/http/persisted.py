"""Automatic persisted queries over POST and GET (the protocol Apollo Client's persisted-query link and
Relay speak), in front of the response cache and GraphQL.

A request whose `extensions.persistedQuery` is `{"version": 1, "sha256Hash": H}`:
- without `query`: runs the text stored under H (allow-list first, then queries clients registered),
  or answers PERSISTED_QUERY_NOT_FOUND, on which a client sends the text once more;
- with `query`: H must be the SHA-256 of the text (else PERSISTED_QUERY_HASH_MISMATCH); the text is
  registered under H and runs.
`CAREERGRAPH_PERSISTED_QUERIES=allowlist` runs only allow-listed texts, by hash or in full, and
registers nothing (PERSISTED_QUERY_NOT_ALLOWED); `off` refuses hashes (PERSISTED_QUERY_NOT_SUPPORTED).
Errors come as GraphQL errors: status 200 with application/json (as Apollo's servers answer, so
every client library retries), 400 with application/graphql-response+json (GraphQL over HTTP).
"""

from __future__ import annotations

import contextlib
import json
from typing import Any
from urllib.parse import urlencode

from redis.exceptions import RedisError
from starlette.types import ASGIApp, Receive, Scope, Send

from schema.http.messages import REQUEST_STATE, graphql_request, headers_of, media_of, read_body, replay
from service.access import persisted_queries as pq

NOT_FOUND = "PersistedQueryNotFound"  # the message Apollo's link also looks for


class PersistedQueries:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "POST"):
            await self.app(scope, receive, send)
            return
        headers = headers_of(scope)
        body = b""
        if scope["method"] == "POST":
            if not headers.get(b"content-type", b"").startswith(b"application/json"):
                await self.app(scope, receive, send)
                return
            body = await read_body(receive)
        request = graphql_request(scope, body)
        if request is None:
            await self.app(scope, replay(body, receive), send)
            return
        outcome = await self._resolve(scope["app"].state.resources, request)
        if isinstance(outcome, tuple):
            await _refuse(send, headers, *outcome)
            return
        if outcome is not None:  # the stored text goes in the request as if the client had sent it
            request["query"] = outcome
            if scope["method"] == "POST":
                body = json.dumps(request).encode()
            else:
                extra = urlencode({"query": outcome}).encode()
                scope = {**scope, "query_string": b"&".join(p for p in (scope.get("query_string"), extra) if p)}
        scope.setdefault("state", {})[REQUEST_STATE] = request  # the response cache reads it from here
        await self.app(scope, replay(body, receive), send)

    async def _resolve(self, resources: Any, request: dict[str, Any]) -> str | tuple[str, str] | None:
        """The text to run (None: the request's own), or (code, message) to refuse it."""
        mode = resources.settings.persisted_queries
        query = request.get("query")
        extensions = request.get("extensions")
        persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
        if persisted is None:
            listed = mode != "allowlist" or not isinstance(query, str) or \
                await pq.allowed(resources.db, pq.sha256(query)) is not None
            if not listed:
                return "PERSISTED_QUERY_NOT_ALLOWED", "this server runs only its allow-listed queries"
            return None
        if mode == "off":
            return "PERSISTED_QUERY_NOT_SUPPORTED", "persisted queries are turned off on this server"
        if not (isinstance(persisted, dict) and persisted.get("version") == 1
                and pq.is_hash(persisted.get("sha256Hash"))):
            return "BAD_REQUEST", "persistedQuery needs version 1 and a sha256Hash of 64 lowercase hex digits"
        digest = persisted["sha256Hash"]
        if isinstance(query, str):
            if pq.sha256(query) != digest:
                return "PERSISTED_QUERY_HASH_MISMATCH", "sha256Hash is not the SHA-256 of the query"
            if mode == "allowlist":
                if await pq.allowed(resources.db, digest) is None:
                    return "PERSISTED_QUERY_NOT_ALLOWED", "this server runs only its allow-listed queries"
            else:
                with contextlib.suppress(RedisError, OSError):  # registering is best effort
                    await pq.register(resources.redis, digest, query)
            return None
        text = None
        if mode == "auto":  # what clients registered first: one Redis read on a dashboard's hot path
            with contextlib.suppress(RedisError, OSError):
                text = await pq.registered(resources.redis, digest)
        if text is None:
            text = await pq.allowed(resources.db, digest)
        return text if text is not None else ("PERSISTED_QUERY_NOT_FOUND", NOT_FOUND)


async def _refuse(send: Send, headers: dict[bytes, bytes], code: str, message: str) -> None:
    media = media_of(headers)
    status = 400 if media.startswith(b"application/graphql-response") else 200
    body = json.dumps({"errors": [{"message": message, "extensions": {"code": code}}]}).encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", media), (b"content-length", str(len(body)).encode()), (b"cache-control", b"no-store")]})
    await send({"type": "http.response.body", "body": body})
