"""Limits on what one operation may ask: tokens (checked while parsing), depth and aliases (at
validation), and its node cost (`schema.policy.cost`), with the rate limit the cost is charged to.

- Every operation pays `BASE_POINTS` before it is even parsed (`charge_base`, from the schema's
  entry points), so malformed and invalid documents are not free.
- Over `MAX_NODES` an operation is refused before execution. Its count is reported in
  `extensions.cost`; its points (one per hundred nodes, at least one) are charged to the caller's
  rate-limit bucket (`service.access.rate_limit`) before execution, less the base already paid.
"""

from __future__ import annotations

import logging
import math
from collections.abc import AsyncIterator
from typing import Any

from graphql import GraphQLError
from graphql.execution import ExecutionResult
from strawberry.extensions import SchemaExtension

from schema.policy.cost import count_nodes
from service.access import rate_limit
from service.access.rate_limit import Decision
from service.errors import CareerGraphError

log = logging.getLogger("careergraph.api")

MAX_DEPTH = 10
MAX_ALIASES = 15
MAX_NODES = 50_000
BASE_POINTS = 1
PREPAID = "rate_limit_prepaid"  # scope["state"] key: the response cache already took the whole cost
def points_for(nodes: int) -> int:
    """Rate-limit points an operation costs: one per hundred nodes, at least one."""
    return max(1, math.ceil(nodes / 100))


def cost_extension(nodes: int) -> dict[str, Any]:
    """What an answer's `extensions` say of its cost."""
    return {"cost": {"requestedNodes": nodes, "maxNodes": MAX_NODES, "points": points_for(nodes)}}


def rate_limited_error(decision: Decision, points: int | None = None) -> GraphQLError:
    """The refusal; `points` is the operation's whole cost when only part of it was being taken."""
    cost = points if points is not None else decision.cost
    return GraphQLError(
        f"rate limit reached: this operation costs {cost} points and {decision.remaining} are "
        f"left; retry in {decision.retry_after_s:g} s",
        extensions={"code": "RATE_LIMITED", "retryAfterSeconds": decision.retry_after_s,
                    "cost": {"points": cost, "remaining": decision.remaining, "limit": decision.limit}})


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


async def apply_charge(context: Any, points: int, whole: int | None = None) -> GraphQLError | None:
    """Charge `points` (of an operation costing `whole`), put the rate-limit headers on the
    response; the error when refused."""
    decision = _prepaid(context) or await charge(context, points)
    http = context.response is not None and not context.is_websocket  # a socket has no headers to add
    if http:
        for name, value in rate_limit_headers(decision):
            context.response.headers[name] = value
    if decision is None or decision.allowed:
        return None
    if http:
        context.response.status_code = 429
    return rate_limited_error(decision, whole)


def _prepaid(context: Any) -> Decision | None:
    """The decision the response cache took for this request's whole cost, if it took one."""
    scope = getattr(getattr(context, "request", None), "scope", None)
    state = scope.get("state") if isinstance(scope, dict) else None
    found = state.get(PREPAID) if isinstance(state, dict) else None
    return found if isinstance(found, Decision) else None


async def charge_base(context: Any) -> GraphQLError | None:
    """What every operation pays before it is parsed."""
    return await apply_charge(context, BASE_POINTS) if context is not None else None


class CostLimit(SchemaExtension):
    """Refuse operations over MAX_NODES before they run; charge the rest to the caller's rate
    limit (RATE_LIMITED, HTTP 429, when the bucket is short); report the cost of every operation."""

    def __init__(self, *, execution_context: Any = None) -> None:
        self.nodes = 0

    async def on_execute(self) -> AsyncIterator[None]:
        ctx = self.execution_context
        if ctx.graphql_document is not None:
            self.nodes = count_nodes(ctx.schema._schema, ctx.graphql_document, ctx.operation_name,
                                     ctx.variables)
            remainder = points_for(self.nodes) - BASE_POINTS
            if self.nodes > MAX_NODES:
                ctx.result = ExecutionResult(data=None, errors=[GraphQLError(
                    f"query may return {self.nodes} nodes; the limit is {MAX_NODES}",
                    extensions={"code": "QUERY_TOO_COMPLEX"})])
            elif ctx.context is not None and remainder > 0:
                refusal = await apply_charge(ctx.context, remainder, points_for(self.nodes))
                if refusal is not None:
                    ctx.result = ExecutionResult(data=None, errors=[refusal])
        yield

    def get_results(self) -> dict[str, Any]:
        return cost_extension(self.nodes)

