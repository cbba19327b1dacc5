"""Limits on what one operation may ask: depth, aliases and tokens (checked at validation), and a
node cost with the rate limit it is charged to.

- Cost is counted as GitHub counts nodes: each connection or list field asking for `first`/`last`
  N multiplies the nodes below it. Over `MAX_NODES` the query is refused before execution. The
  count is reported in `extensions.cost`, and its points (one per hundred nodes, at least one)
  are charged to the caller's rate-limit bucket (`service.rate_limit`) before execution.
"""

from __future__ import annotations

import logging
import math
from collections.abc import AsyncIterator
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
)
from graphql.execution import ExecutionResult
from starlette.responses import Response
from strawberry.extensions import SchemaExtension

from service.access import rate_limit
from service.access.rate_limit import Decision
from service.errors import CareerGraphError

log = logging.getLogger("careergraph.api")

MAX_DEPTH = 10
MAX_ALIASES = 15
MAX_TOKENS = 2000
MAX_NODES = 50_000
def _argument(field: FieldNode, names: tuple[str, ...], variables: dict[str, Any]) -> int | None:
    for argument in field.arguments or ():
        if argument.name.value not in names:
            continue
        node = argument.value
        if isinstance(node, IntValueNode):
            return int(node.value)
        if isinstance(node, VariableNode):
            value = variables.get(node.name.value)
            return value if isinstance(value, int) else None
    return None


def count_nodes(document: Any, operation_name: str | None, variables: dict[str, Any]) -> int:
    """Nodes an operation may return, GitHub style (connections multiply their children)."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = next((o for o in operations if o.name and o.name.value == operation_name), None) or \
        (operations[0] if operations else None)
    if chosen is None:
        return 0

    def walk(selection_set: SelectionSetNode | None, multiplier: int, seen: frozenset[str]) -> int:
        total = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                size = _argument(selection, ("first", "last"), variables)
                if size is not None:
                    nodes = multiplier * max(size, 0)
                    total += nodes + walk(selection.selection_set, max(nodes, 1), seen)
                else:
                    total += walk(selection.selection_set, multiplier, seen)
            elif isinstance(selection, InlineFragmentNode):
                total += walk(selection.selection_set, multiplier, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name in fragments and name not in seen:
                    total += walk(fragments[name].selection_set, multiplier, seen | {name})
        return total

    return walk(chosen.selection_set, 1, frozenset())


def points_for(nodes: int) -> int:
    """Rate-limit points an operation costs: one per hundred nodes, at least one."""
    return max(1, math.ceil(nodes / 100))


def rate_limited_error(decision: Decision) -> GraphQLError:
    return GraphQLError(
        f"rate limit reached: this operation costs {decision.cost} points and {decision.remaining} are "
        f"left; retry in {decision.retry_after_s:g} s",
        extensions={"code": "RATE_LIMITED", "retryAfterSeconds": decision.retry_after_s,
                    "cost": {"points": decision.cost, "remaining": decision.remaining,
                             "limit": decision.limit}})


def rate_limit_headers(decision: Decision | None) -> list[tuple[str, str]]:
    if decision is None:
        return []
    headers = [("x-ratelimit-limit", str(decision.limit)), ("x-ratelimit-remaining", str(decision.remaining))]
    if not decision.allowed:
        headers.append(("retry-after", str(math.ceil(decision.retry_after_s))))
    return headers


async def charge(context: Any, points: int) -> Decision | None:
    """Take `points` from the caller's bucket (by key id, else by address)."""
    settings = context.settings
    try:
        key_id = (await context.principal()).key_id
    except CareerGraphError:  # a bad key: ApiKeyGate or the resolver says so; bill the address
        key_id = None
    client = getattr(context.request, "client", None)
    identity = rate_limit.client_identity(key_id, client.host if client else None)
    return await rate_limit.take(context.resources.redis, identity, points, settings.rate_limit_points,
                                 settings.rate_limit_refill_per_s)


class CostLimit(SchemaExtension):
    """Refuse operations over MAX_NODES before they run; charge the rest to the caller's rate
    limit (RATE_LIMITED, HTTP 429, when the bucket is short); report the cost of every operation."""

    def __init__(self, *, execution_context: Any = None) -> None:
        self.nodes = 0

    async def on_execute(self) -> AsyncIterator[None]:
        ctx = self.execution_context
        if ctx.graphql_document is not None:
            self.nodes = count_nodes(ctx.graphql_document, ctx.operation_name, ctx.variables or {})
            if self.nodes > MAX_NODES:
                ctx.result = ExecutionResult(data=None, errors=[GraphQLError(
                    f"query may return {self.nodes} nodes; the limit is {MAX_NODES}",
                    extensions={"code": "QUERY_TOO_COMPLEX"})])
            elif ctx.context is not None:
                decision = await charge(ctx.context, points_for(self.nodes))
                _add_headers(ctx.context.response, rate_limit_headers(decision))
                if decision is not None and not decision.allowed:
                    if isinstance(ctx.context.response, Response):
                        ctx.context.response.status_code = 429
                    ctx.result = ExecutionResult(data=None, errors=[rate_limited_error(decision)])
        yield

    def get_results(self) -> dict[str, Any]:
        return {"cost": {"requestedNodes": self.nodes, "maxNodes": MAX_NODES,
                         "points": points_for(self.nodes)}}


def _add_headers(response: Any, headers: list[tuple[str, str]]) -> None:
    if isinstance(response, Response):  # HTTP only: over a WebSocket the "response" is the socket
        for name, value in headers:
            response.headers[name] = value
