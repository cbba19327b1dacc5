"""Persisted queries, the protocol Apollo Client's persisted-query link and Relay speak, and the
allow-list, applied to every operation the front door admits (GET, POST and WebSocket alike).

An operation whose `extensions.persistedQuery` is `{"version": 1, "sha256Hash": H}`:
- without `query`: runs the text stored under H (allow-list first, then queries clients registered),
  or answers PERSISTED_QUERY_NOT_FOUND, on which a client sends the text once more;
- with `query`: H must be the SHA-256 of the text (else PERSISTED_QUERY_HASH_MISMATCH); the text is
  registered under H and runs.
`CAREERGRAPH_PERSISTED_QUERIES=allowlist` runs only allow-listed texts, by hash or in full, on every
transport, and registers nothing (PERSISTED_QUERY_NOT_ALLOWED); `off` refuses hashes
(PERSISTED_QUERY_NOT_SUPPORTED). The refusals are request errors (`schema.http.respond`): 200 with
`application/json` (as Apollo's servers answer, so every client library retries), 400 with
`application/graphql-response+json`.
"""

from __future__ import annotations

import contextlib
from typing import Any

from redis.exceptions import RedisError

from schema.http.operation import Operation
from schema.http.respond import Refusal
from service.access import persisted_queries as pq

NOT_FOUND = "PersistedQueryNotFound"  # the message Apollo's link also looks for


def _not_allowed() -> Refusal:
    return Refusal("PERSISTED_QUERY_NOT_ALLOWED", "this server runs only its allow-listed queries")


async def resolve(resources: Any, operation: Operation) -> Operation:
    """The operation with the text it is to run; a Refusal when the policy says no."""
    mode = resources.settings.persisted_queries
    persisted, query = operation.persisted, operation.query
    if persisted is None:
        assert query is not None  # the operation was read with one or the other
        if mode == "allowlist" and await pq.allowed(resources.db, pq.sha256(query)) is None:
            raise _not_allowed()
        return operation
    if mode == "off":
        raise Refusal("PERSISTED_QUERY_NOT_SUPPORTED", "persisted queries are turned off on this server")
    if not (isinstance(persisted, dict) and persisted.get("version") == 1 and pq.is_hash(persisted.get("sha256Hash"))):
        raise Refusal("BAD_REQUEST", "persistedQuery needs version 1 and a sha256Hash of 64 lowercase hex digits")
    digest = persisted["sha256Hash"]
    if query is not None:
        if pq.sha256(query) != digest:
            raise Refusal("PERSISTED_QUERY_HASH_MISMATCH", "sha256Hash is not the SHA-256 of the query")
        if mode == "allowlist":
            if await pq.allowed(resources.db, digest) is None:
                raise _not_allowed()
        else:
            with contextlib.suppress(RedisError, OSError):  # registering is best effort
                await pq.register(resources.redis, digest, query)
        return operation
    text = None
    if mode == "auto":  # what clients registered first: one Redis read on a dashboard's hot path
        with contextlib.suppress(RedisError, OSError):
            text = await pq.registered(resources.redis, digest)
    if text is None:
        text = await pq.allowed(resources.db, digest)
    if text is None:
        raise Refusal("PERSISTED_QUERY_NOT_FOUND", NOT_FOUND)
    return operation.with_text(text)
