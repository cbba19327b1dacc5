"""The front door's decisions for one operation, the same on every transport: the persisted query
policy, the price, and the one charge, all before anything runs.

`admit` takes an operation read once (`schema.http.operation`) and its caller (`schema.http.principal`)
and returns what may run: the text, its cost, the rate-limit decision and, for a cacheable read
over HTTP, where its answer is cached and what the cache holds (the charge and the read are one
Redis round trip). Anything refused is a `Refusal` for `respond()`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from graphql import FieldNode, OperationDefinitionNode, OperationType
from redis.exceptions import RedisError

from schema.http import persisted
from schema.http.operation import GET, Operation
from schema.http.respond import Refusal
from schema.http.response_cache import Lookup, ResponseCache
from schema.http.submissions import SubmissionShortcut
from schema.policy import limits
from schema.policy.cost import count_nodes
from schema.policy.limits import Cost
from service.access.api_keys import Principal
from service.access.rate_limit import Decision, client_identity
from service.platform import metrics
from service.store.response_entries import Entry

log = logging.getLogger("careergraph.api")


@dataclass(frozen=True)
class Priced:
    operation: Operation  # with the text to run
    cost: Cost
    label: str  # the operation as metrics and logs name it
    lookup: Lookup | None = None  # where a cacheable read's answer is kept


@dataclass(frozen=True)
class Admitted:
    operation: Operation
    cost: Cost
    decision: Decision | None  # the charge; None when rate limiting is off or Redis is down
    lookup: Lookup | None = None
    entry: Entry | None = None  # what the cache holds for a cacheable read


class FrontDoor:
    def __init__(self, schema: Any) -> None:
        self.schema = schema  # graphql-core's
        self.cache = ResponseCache(schema)
        self.submissions = SubmissionShortcut(schema)

    async def price(self, resources: Any, operation: Operation, principal: Principal) -> Priced:
        """The text to run and what it costs; a Refusal when the policy says no."""
        operation = await persisted.resolve(resources, operation)
        query = operation.query
        assert query is not None  # resolved
        document_points = limits.fresh_document_points(query)  # before anything parses the text
        lookup = self.cache.lookup(operation, principal) if resources.settings.response_cache_ttl_s > 0 else None
        if lookup is not None:  # a cacheable read: a query, its nodes counted once per process
            return Priced(operation, Cost(lookup.nodes, document_points), lookup.operation, lookup)
        definition = operation.definition()
        if operation.transport == GET and definition is not None and definition.operation != OperationType.QUERY:
            raise Refusal("METHOD_NOT_ALLOWED", f"{definition.operation.value}s are not allowed when using GET",
                          status=405, headers=[("allow", "POST")])
        nodes = count_nodes(self.schema, operation.document(), operation.operation_name, operation.variables) \
            if definition is not None else 0
        return Priced(operation, Cost(nodes, document_points), self._label(definition))

    async def admit(self, resources: Any, priced: Priced, principal: Principal, address: str | None) -> Admitted:
        """The one charge (with the cached answer's read, for a cacheable read); RATE_LIMITED when
        the caller's bucket is short."""
        cost, lookup = priced.cost, priced.lookup
        identity = client_identity(principal.key_id, address)
        entry, decision = None, None
        if lookup is not None:
            try:
                charged = await self.cache.read(resources, lookup, identity, cost.points)
                decision, entry = charged.decision, charged.entry
            except (RedisError, OSError) as exc:  # the cache is out: run it, charged as any other
                log.warning("response cache unavailable (%s)", type(exc).__name__)
                lookup = None
        if lookup is None:
            decision = await limits.charge(resources, identity, cost.points)
        if decision is not None and not decision.allowed:
            metrics.count_error("RATE_LIMITED")
            error = limits.rate_limited_error(decision, cost.points)
            raise Refusal("RATE_LIMITED", error.message, decision=decision, extensions={
                k: v for k, v in (error.extensions or {}).items() if k != "code"})
        return Admitted(priced.operation, cost, decision, lookup, entry)

    def _label(self, definition: OperationDefinitionNode | None) -> str:
        """The operation's type and root fields, only those the schema has (labels stay bounded)."""
        if definition is None:
            return ""
        root = self.schema.get_root_type(definition.operation)
        known = root.fields if root is not None else {}
        fields = [s.name.value for s in definition.selection_set.selections
                  if isinstance(s, FieldNode) and s.name.value in known]
        return metrics.operation_label(definition.operation.value, fields)
