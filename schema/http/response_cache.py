"""Whole-response cache for summary reads: a dashboard's repeated query skips GraphQL entirely.

A query (POST with a JSON body, or GET) is cacheable when its only root fields are `salarySummaries` (without `live`),
`payComparison`, `officialWages`, `nextMoves`, `payPosition` and `__typename`: those answers depend on nothing but
the summary version (official figures and the catalogue change only by an import or an edit, and each publishes a
new version). `nextMoves` reads other roles' figures too, so its answers are keyed as about every role. The key is a
hash of the query text, the variables, the operation name, the response media type and the caller's role.
An answer about named roles (every root field has a `role` argument) lives under those roles'
summary versions and stale flags, so a recompute of one role leaves the others' answers cached;
such an entry is exact (it cannot outlive the versions it was built from), so it lives
`response_cache_exact_ttl_s` (60 s) unread and an entry read near its end is kept for as long
again: a dashboard polled once a minute never meets a miss, which would hold the event loop for
the whole execution (tens of milliseconds for a 100 KB answer) and every request queued behind it.
Any other answer lives
under the latest version overall and expires after the TTL (which bounds how long its `stale`
flags can lag a write). See `service.store.response_entries`. Only error-free 200 answers are stored.
When an entry is missing, one request per process computes it and the others wait for it
(single flight), so an expiry under load costs one execution, not one per waiting client.
A bad key, a cache outage or anything unusual goes the normal way, which gives the proper error.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
from dataclasses import dataclass
from typing import Any

import orjson
from graphql import (
    FieldNode,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    StringValueNode,
    VariableNode,
)
from redis.exceptions import RedisError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from schema.http import conditional
from schema.http.messages import handed_request, headers_of, media_of, read_body, replay
from schema.policy.cost import count_nodes
from schema.policy.documents import try_parse
from schema.policy.limits import PREPAID, points_for, rate_limit_headers, rate_limited_error
from schema.policy.observability import set_operation
from service.access import charged_reads, rate_limit
from service.access.api_keys import authenticate
from service.errors import CareerGraphError
from service.platform import metrics
from service.store import response_entries

log = logging.getLogger("careergraph.response_cache")
CACHEABLE_ROOT_FIELDS = frozenset({"salarySummaries", "payComparison", "officialWages", "nextMoves", "payPosition",
                                   "__typename"})
ABOUT_OTHER_ROLES = frozenset({"nextMoves"})  # reads other roles' figures too: keyed as about every role
UNCACHEABLE_ARGUMENTS = frozenset({"live"})
CACHE_HEADER = b"x-careergraph-cache"
MAX_ROLE_CHARS = 200  # longer is no slug: such an answer is keyed as about every role
FOLLOWER_WAIT_S = 5.0  # a waiting request gives up on the computing one after this and runs itself
SHAPES_MAX = 512  # request shapes (query, variables, ...) whose key and cost a process remembers
SHAPE_MAX_CHARS = 16_384  # longer requests are worked out each time rather than kept


def cacheable(query: str) -> bool:
    """One query operation whose root fields are all summary reads, with no fragments."""
    if not any(name in query for name in CACHEABLE_ROOT_FIELDS if name != "__typename"):
        return False  # most queries are told apart without parsing
    document = try_parse(query)
    if document is None or len(document.definitions) != 1:
        return False
    (operation,) = document.definitions
    if not isinstance(operation, OperationDefinitionNode) or operation.operation != OperationType.QUERY:
        return False
    for selection in operation.selection_set.selections:
        if not isinstance(selection, FieldNode) or selection.name.value not in CACHEABLE_ROOT_FIELDS:
            return False
        if any(arg.name.value in UNCACHEABLE_ARGUMENTS for arg in selection.arguments or ()):
            return False
        if selection.directives:
            return False
    return True


def roles_of(operation: OperationDefinitionNode, variables: dict[str, Any]) -> tuple[str, ...] | None:
    """The roles a cacheable operation is about: every root field but `__typename` names one in
    its `role` argument (a string, or a variable holding one). None when any does not, or when
    there are more than `response_entries.MAX_ROLES`: the answer is then keyed as about every role."""
    roles: set[str] = set()
    for selection in operation.selection_set.selections:
        if not isinstance(selection, FieldNode) or selection.name.value == "__typename":
            continue
        if selection.name.value in ABOUT_OTHER_ROLES:
            return None
        argument = next((a.value for a in selection.arguments or () if a.name.value == "role"), None)
        if isinstance(argument, VariableNode):
            value = variables.get(argument.name.value)
        else:
            value = argument.value if isinstance(argument, StringValueNode) else None
        if not isinstance(value, str) or len(value) > MAX_ROLE_CHARS:
            return None
        roles.add(value)
    return tuple(sorted(roles)) if roles and len(roles) <= response_entries.MAX_ROLES else None


@dataclass(frozen=True)
class _Shape:
    """What a request's text determines: worked out once per process (parsing, the node count and
    the hash cost more than the rest of a hit together) and looked up by that text after."""
    key: str
    points: int
    operation: str
    roles: tuple[str, ...] | None


@dataclass(frozen=True)
class _Lookup:
    key: str
    identity: str  # whose rate-limit bucket pays for a hit
    points: int
    operation: str  # the metrics label
    private: bool = False  # a key was sent: shared caches must not keep the answer
    roles: tuple[str, ...] | None = None  # the roles the answer is about; None: every role


class ResponseCache:
    """ASGI wrapper around the GraphQL app (POST with a JSON body only)."""

    def __init__(self, app: ASGIApp, schema: GraphQLSchema) -> None:
        self.app, self.schema = app, schema
        self.inflight: dict[str, asyncio.Event] = {}
        self.shapes: dict[str, _Shape] = {}  # insertion-ordered: the oldest goes first when full

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = headers_of(scope)
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body = b""
        if scope["method"] == "POST" and headers.get(b"content-type", b"").startswith(b"application/json"):
            body = await read_body(receive)
        elif scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        request = handed_request(scope, body)
        again = replay(body, receive)
        resources = scope["app"].state.resources
        ttl = resources.settings.response_cache_ttl_s
        lookup = await self._lookup(resources, headers, request, scope.get("client")) if ttl > 0 and request else None
        if lookup is None:
            await self.app(scope, again, send)
            return
        key, settings, decision = lookup.key, resources.settings, None
        keep = max(ttl, settings.response_cache_exact_ttl_s) if lookup.roles else ttl  # how long an exact entry lives
        try:
            charged = await charged_reads.read_charged(
                resources.redis, key, lookup.roles, keep, identity=lookup.identity, points=lookup.points,
                capacity=settings.rate_limit_points, refill_per_s=settings.rate_limit_refill_per_s)
            decision, entry = charged.decision, charged.entry
            if entry is not None and entry.payload is None and key in self.inflight:  # another is computing it
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.inflight[key].wait(), FOLLOWER_WAIT_S)
                entry = await response_entries.read(resources.redis, key, lookup.roles, keep)
        except (RedisError, OSError):
            if decision is not None:
                scope.setdefault("state", {})[PREPAID] = decision
            await self.app(scope, again, send)
            return
        if entry is None:  # the bucket is short: refused before anything was looked up or run
            assert decision is not None
            set_operation(scope, lookup.operation)
            metrics.count_error("RATE_LIMITED")
            await _send_rate_limited(send, decision, headers)
            return
        version, payload = entry.versions, entry.payload
        validators = None
        if scope["method"] == "GET" and version is not None:  # HTTP caching (schema.http.conditional)
            private = lookup.private or resources.settings.require_api_key
            validators = (conditional.strong_etag(f"{version}:{key}"),
                          conditional.summary_cache_control(ttl, private))
            state = scope.setdefault("state", {})
            state[conditional.STATE_ETAG], state[conditional.STATE_CACHE_CONTROL] = validators
        metrics.count_cache("response", payload is not None)
        if payload is not None:  # a hit was charged like an execution would be
            set_operation(scope, lookup.operation)
            if validators and conditional.matches(headers.get(b"if-none-match"), validators[0]):
                limits = [(k.encode(), v.encode()) for k, v in rate_limit_headers(decision)]
                await conditional.send_not_modified(send, *validators, [(CACHE_HEADER, b"hit"), *limits])
            else:
                await _send_cached(send, payload, headers, decision, validators)
            return
        if decision is not None:  # the execution must not charge the operation a second time
            scope.setdefault("state", {})[PREPAID] = decision
        done = self.inflight.setdefault(key, asyncio.Event())
        try:
            captured = _Capture(send)
            await self.app(scope, again, captured)
            if version is not None and captured.storable():
                with contextlib.suppress(RedisError, OSError):
                    await response_entries.store(resources.redis, version, key, captured.body(),
                                                 keep if entry.exact else ttl)
        finally:
            done.set()
            if self.inflight.get(key) is done:
                del self.inflight[key]

    async def _lookup(self, resources: Any, headers: dict[bytes, bytes], request: dict[str, Any],
                      client: tuple[str, int] | None) -> _Lookup | None:
        if not isinstance(request.get("query"), str):
            return None
        variables = request.get("variables")
        if not cacheable(request["query"]) or not isinstance(variables, dict | None):
            return None
        authorization = headers.get(b"authorization", b"").decode("latin-1") or None
        try:
            principal = await authenticate(resources.db, authorization)
        except CareerGraphError:
            return None
        if resources.settings.require_api_key and principal.key_id is None:
            return None
        media = b"graphql-response" in headers.get(b"accept", b"")
        try:  # the request's canonical text: what identifies its answer
            material = orjson.dumps([request["query"], variables, request.get("operationName"), media,
                                     principal.role], option=orjson.OPT_SORT_KEYS).decode()
        except TypeError:  # orjson's JSONEncodeError, e.g. an integer beyond 64 bits: not cached
            return None
        shape = self.shapes.get(material)
        if shape is None:
            shape = self._shape(request["query"], variables, request.get("operationName"), material)
            if len(material) <= SHAPE_MAX_CHARS:
                if len(self.shapes) >= SHAPES_MAX:
                    self.shapes.pop(next(iter(self.shapes)))
                self.shapes[material] = shape
        return _Lookup(key=shape.key, points=shape.points, operation=shape.operation, roles=shape.roles,
                       identity=rate_limit.client_identity(principal.key_id, client[0] if client else None),
                       private=authorization is not None)

    def _shape(self, query: str, variables: dict[str, Any] | None, operation_name: Any, material: str) -> _Shape:
        document = try_parse(query)
        assert document is not None  # cacheable() parsed it
        nodes = count_nodes(self.schema, document, operation_name, variables)
        (operation,) = document.definitions
        assert isinstance(operation, OperationDefinitionNode)
        fields = [s.name.value for s in operation.selection_set.selections if isinstance(s, FieldNode)]
        return _Shape(key=hashlib.sha256(material.encode()).hexdigest(), points=points_for(nodes),
                      operation=metrics.operation_label("query", fields), roles=roles_of(operation, variables or {}))


async def _send_cached(send: Send, payload: bytes, headers: dict[bytes, bytes],
                       decision: rate_limit.Decision | None, validators: tuple[bytes, bytes] | None) -> None:
    limits = [(k.encode(), v.encode()) for k, v in rate_limit_headers(decision)]
    caching = conditional.validator_headers(*validators) if validators else []
    await send({"type": "http.response.start", "status": 200, "headers": [
        (b"content-type", media_of(headers)), (b"content-length", str(len(payload)).encode()),
        (CACHE_HEADER, b"hit"), *limits, *caching]})
    await send({"type": "http.response.body", "body": payload})


async def _send_rate_limited(send: Send, decision: rate_limit.Decision, headers: dict[bytes, bytes]) -> None:
    error = rate_limited_error(decision)
    body = json.dumps({"errors": [{"message": error.message, "extensions": error.extensions}]}).encode()
    limits = [(k.encode(), v.encode()) for k, v in rate_limit_headers(decision)]
    await send({"type": "http.response.start", "status": 429, "headers": [
        (b"content-type", media_of(headers)), (b"content-length", str(len(body)).encode()), *limits]})
    await send({"type": "http.response.body", "body": body})


class _Capture:
    """Passes the response through and keeps a copy of a 200 answer."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.status = 0
        self.chunks: list[bytes] = []

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            message.setdefault("headers", []).append((CACHE_HEADER, b"miss"))
        elif message["type"] == "http.response.body" and self.status == 200:
            self.chunks.append(message.get("body", b""))
        await self.send(message)

    def body(self) -> bytes:
        return b"".join(self.chunks)

    def storable(self) -> bool:
        if self.status != 200:
            return False
        try:
            answer = json.loads(self.body())
        except ValueError:
            return False
        return isinstance(answer, dict) and "errors" not in answer and answer.get("data") is not None
