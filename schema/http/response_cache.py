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
flags can lag a write); one made only of `nextMoves` (no stale flag, and nothing it reads changes
without a new version) lives the exact TTL, renewed by no read. See `service.store.response_entries`.
Only error-free 200 answers are stored.
When an entry is missing, one request per process computes it and the others wait for it
(single flight), so an expiry under load costs one execution, not one per waiting client.
The front door (`schema.http.view`) asks `lookup` which entry an operation's answer is, charges
and reads it in one round trip (`read`), and stores what the execution answered (`store`). A cache
outage or anything unusual goes the normal way.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from collections.abc import AsyncIterator
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

from schema.http import conditional
from schema.http.operation import Operation
from schema.policy.cost import count_nodes
from schema.policy.documents import try_parse
from service.access import charged_reads
from service.access.api_keys import Principal
from service.platform import metrics
from service.store import response_entries

CACHEABLE_ROOT_FIELDS = frozenset({"salarySummaries", "payComparison", "officialWages", "nextMoves", "payPosition",
                                   "__typename"})
#: Read other roles' figures too, so keyed as about every role; but nothing they read changes without a new
#: version (the catalogue's edits and imports queue a full recompute, which refreshes the candidates first),
#: so an answer made only of them lives as long as an exact one.
ABOUT_OTHER_ROLES = frozenset({"nextMoves"})
UNCACHEABLE_ARGUMENTS = frozenset({"live"})
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
class Lookup:
    """Where a cacheable operation's answer is kept, and what its text determines: worked out once
    per process (parsing, the node count and the hash cost more than the rest of a hit together)."""
    key: str
    nodes: int
    operation: str  # the metrics label
    roles: tuple[str, ...] | None  # the roles the answer is about; None: every role
    whole_under_latest: bool = False  # every root field is in ABOUT_OTHER_ROLES: exact under the latest version


class ResponseCache:
    def __init__(self, schema: GraphQLSchema) -> None:
        self.schema = schema
        self.inflight: dict[str, asyncio.Event] = {}
        self.shapes: dict[str, Lookup] = {}  # insertion-ordered: the oldest goes first when full

    def lookup(self, operation: Operation, principal: Principal) -> Lookup | None:
        """Where the operation's answer is cached; None when it is not a cacheable read."""
        query = operation.query
        if operation.transport not in ("GET", "POST") or query is None \
                or not any(name in query for name in CACHEABLE_ROOT_FIELDS if name != "__typename"):
            return None  # most operations are told apart without a look at their document
        try:  # the request's canonical text: what identifies its answer
            material = orjson.dumps([query, operation.variables, operation.operation_name, operation.media,
                                     principal.role], option=orjson.OPT_SORT_KEYS).decode()
        except TypeError:  # orjson's JSONEncodeError, e.g. an integer beyond 64 bits: not cached
            return None
        found = self.shapes.get(material)  # a repeated read is known by its text alone
        if found is None:
            if not cacheable(query):
                return None
            found = self._shape(query, operation.variables, operation.operation_name, material)
            if len(material) <= SHAPE_MAX_CHARS:
                if len(self.shapes) >= SHAPES_MAX:
                    self.shapes.pop(next(iter(self.shapes)))
                self.shapes[material] = found
        return found

    def _shape(self, query: str, variables: dict[str, Any] | None, operation_name: str | None,
               material: str) -> Lookup:
        document = try_parse(query)
        assert document is not None  # cacheable() parsed it
        nodes = count_nodes(self.schema, document, operation_name, variables)
        (operation,) = document.definitions
        assert isinstance(operation, OperationDefinitionNode)
        fields = [s.name.value for s in operation.selection_set.selections if isinstance(s, FieldNode)]
        named = [f for f in fields if f != "__typename"]
        return Lookup(key=hashlib.sha256(material.encode()).hexdigest(), nodes=nodes,
                      operation=metrics.operation_label("query", fields), roles=roles_of(operation, variables or {}),
                      whole_under_latest=bool(named) and all(f in ABOUT_OTHER_ROLES for f in named))

    def keep_s(self, settings: Any, lookup: Lookup) -> float:
        """How long an entry lives unread: an exact one (about named roles, or made only of fields that
        change with the latest version) longer."""
        ttl = settings.response_cache_ttl_s
        return max(ttl, settings.response_cache_exact_ttl_s) if lookup.roles or lookup.whole_under_latest else ttl

    def validators(self, settings: Any, lookup: Lookup, entry: response_entries.Entry,
                   private: bool) -> conditional.Validators | None:
        """A GET's validators: its ETag changes with the versions the answer depends on."""
        if entry.versions is None:
            return None
        return conditional.summary_validators(entry.versions, lookup.key, settings.response_cache_ttl_s, private)

    async def read(self, resources: Any, lookup: Lookup, identity: str, points: int) -> charged_reads.ChargedRead:
        """Charge `points` and read the entry, in one round trip; when another request of this
        process is computing the missing entry, wait for it and read again. Redis errors are the
        caller's."""
        settings = resources.settings
        keep = self.keep_s(settings, lookup)
        charged = await charged_reads.read_charged(
            resources.redis, lookup.key, lookup.roles, keep, identity=identity, points=points,
            capacity=settings.rate_limit_points, refill_per_s=settings.rate_limit_refill_per_s)
        entry = charged.entry
        if entry is not None and entry.payload is None and lookup.key in self.inflight:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.inflight[lookup.key].wait(), FOLLOWER_WAIT_S)
            entry = await response_entries.read(resources.redis, lookup.key, lookup.roles, keep)
            charged = charged_reads.ChargedRead(charged.decision, entry)
        if entry is not None:
            metrics.count_cache("response", entry.payload is not None)
        return charged

    @contextlib.asynccontextmanager
    async def computing(self, lookup: Lookup) -> AsyncIterator[None]:
        """While this request computes the entry, others of this process wait for it."""
        done = self.inflight.setdefault(lookup.key, asyncio.Event())
        try:
            yield
        finally:
            done.set()
            if self.inflight.get(lookup.key) is done:
                del self.inflight[lookup.key]

    async def store(self, resources: Any, lookup: Lookup, entry: response_entries.Entry, payload: bytes) -> None:
        """Keep an error-free answer under the versions it was built from (best effort)."""
        if entry.versions is None:
            return
        settings = resources.settings
        exact = entry.exact or lookup.whole_under_latest
        ttl = self.keep_s(settings, lookup) if exact else settings.response_cache_ttl_s
        with contextlib.suppress(RedisError, OSError):
            await response_entries.store(resources.redis, entry.versions, lookup.key, payload, ttl)
