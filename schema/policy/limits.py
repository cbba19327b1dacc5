"""Limits on what one operation may ask, and what it costs.

- Tokens are checked while parsing (`schema.policy.documents`), depth and aliases at validation.
- Nodes are counted before execution (`schema.policy.cost`); over `MAX_NODES` an operation is refused
  (after validation, whose errors come first) and pays one point.
- An operation costs one point per hundred nodes (at least one), and a document the process has not
  parsed before also pays for its text beyond `FREE_DOCUMENT_BYTES`, one point per
  `DOCUMENT_BYTES_PER_POINT` bytes: parsing and validating a fresh text is work (a 2,000-token
  document takes up to half a second to validate), while a repeated one comes from the caches.
- The front door (`schema.http`) prices each operation here, charges the whole cost to the caller's
  rate-limit bucket (`service.access.rate_limit`) once, before execution, and leaves the cost in
  `charged_cost` for the execution to report in `extensions.cost`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLError
from graphql.execution import ExecutionResult
from strawberry.extensions import SchemaExtension

from schema.policy import documents
from schema.policy.cost import count_nodes
from service.access import rate_limit
from service.access.rate_limit import Decision

MAX_DEPTH = 10
MAX_ALIASES = 15
MAX_NODES = 50_000
FREE_DOCUMENT_BYTES = 2048  # what a hand-written query or a dashboard's takes
DOCUMENT_BYTES_PER_POINT = 32


def points_for(nodes: int) -> int:
    """Rate-limit points the nodes cost: one per hundred, at least one."""
    return max(1, math.ceil(nodes / 100))


def document_points(query: str) -> int:
    """What parsing and validating a fresh text costs."""
    return math.ceil(max(0, len(query.encode()) - FREE_DOCUMENT_BYTES) / DOCUMENT_BYTES_PER_POINT)


@dataclass(frozen=True)
class Cost:
    nodes: int
    document_points: int = 0  # the text's share, when it was fresh

    @property
    def points(self) -> int:
        """What is charged: an operation refused as too complex pays one point, not its nodes'."""
        return (1 if self.too_complex else points_for(self.nodes)) + self.document_points

    @property
    def too_complex(self) -> bool:
        return self.nodes > MAX_NODES


def fresh_document_points(query: str) -> int:
    """What the text costs now: its size's points when this process has not parsed it before (ask
    before parsing it), nothing when it comes from the caches."""
    return 0 if documents.known(query) else document_points(query)


def too_complex_error(cost: Cost) -> GraphQLError:
    return GraphQLError(f"query may return {cost.nodes} nodes; the limit is {MAX_NODES}",
                        extensions={"code": "QUERY_TOO_COMPLEX"})


def cost_extension(cost: Cost) -> dict[str, Any]:
    """What an answer's `extensions` say of its cost."""
    return {"cost": {"requestedNodes": cost.nodes, "maxNodes": MAX_NODES, "points": cost.points}}


def rate_limited_error(decision: Decision, points: int) -> GraphQLError:
    """The refusal of an operation costing `points`."""
    return GraphQLError(
        f"rate limit reached: this operation costs {points} points and {decision.remaining} are "
        f"left; retry in {decision.retry_after_s:g} s",
        extensions={"code": "RATE_LIMITED", "retryAfterSeconds": decision.retry_after_s,
                    "cost": {"points": points, "remaining": decision.remaining, "limit": decision.limit}})


def rate_limit_headers(decision: Decision | None) -> list[tuple[str, str]]:
    if decision is None:
        return []
    headers = [("x-ratelimit-limit", str(decision.limit)), ("x-ratelimit-remaining", str(decision.remaining))]
    if not decision.allowed:
        headers.append(("retry-after", str(math.ceil(decision.retry_after_s))))
    return headers


async def charge(resources: Any, identity: str, points: int) -> Decision | None:
    """Take `points` from `identity`'s bucket (None: rate limiting is off or Redis is down)."""
    settings = resources.settings
    return await rate_limit.take(resources.redis, identity, points, settings.rate_limit_points,
                                 settings.rate_limit_refill_per_s)


#: The cost the front door charged for the operation this task runs (set per request, and per
#: WebSocket operation in the operation's own task).
charged_cost: ContextVar[Cost | None] = ContextVar("charged_cost", default=None)


class CostLimit(SchemaExtension):
    """Refuses an operation over `MAX_NODES` once it is valid, and reports every operation's cost in
    `extensions.cost`: the one the front door charged, or, for an execution that did not come
    through it, the count made here."""

    def __init__(self, *, execution_context: Any = None) -> None:
        self.cost: Cost | None = None

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        self.cost = charged_cost.get()
        if self.cost is None and ctx.graphql_document is not None:
            self.cost = Cost(count_nodes(ctx.schema._schema, ctx.graphql_document, ctx.operation_name,
                                         ctx.variables))
        if self.cost is not None and self.cost.too_complex:
            ctx.result = ExecutionResult(data=None, errors=[too_complex_error(self.cost)])
        yield

    def get_results(self) -> dict[str, Any]:
        return cost_extension(self.cost) if self.cost is not None else {}
