"""The schema's two entry points, `execute` (HTTP, and nothing else) and `stream` (every operation
over WebSocket), with what must hold for every transport applied once (the front door, `schema.http`,
has admitted and charged the operation before either is called):

- the execution time limit, `EXECUTION_TIMEOUT_S` (or `CAREERGRAPH_EXECUTION_TIMEOUT`), answered with `TIMEOUT`;
- a MongoDB budget per operation, `CAREERGRAPH_MONGODB_TIMEOUT` (5 s) for all its commands
  together: `pymongo.timeout` sets `maxTimeMS` on every command, so mongod itself stops work that
  ran out of time (TIMEOUT) instead of running on for a client that has gone, and a MongoDB that
  does not answer is SERVICE_UNAVAILABLE within the same time;
- error shaping: every error leaves with `extensions.code`, unexpected ones masked and logged.

A subscription's stream is not timed (it lives as long as its socket); the documents it yields are.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator, AsyncIterator
from typing import Any

import pymongo
import strawberry
from graphql import GraphQLError, OperationType
from strawberry.types import ExecutionResult

from schema.policy.cost import chosen_operation
from schema.policy.documents import try_parse
from schema.policy.errors import shape_result

EXECUTION_TIMEOUT_S = 10.0


def timeout_error(limit_s: float) -> GraphQLError:
    return GraphQLError(f"the operation took longer than {limit_s:g} s and was stopped",
                        extensions={"code": "TIMEOUT"})


def _time_limit(context: Any) -> float:
    """`CAREERGRAPH_EXECUTION_TIMEOUT` when it is set, else EXECUTION_TIMEOUT_S."""
    settings = getattr(context, "settings", None)
    given = getattr(settings, "execution_timeout_s", None)
    return float(given) if given else EXECUTION_TIMEOUT_S


def _who(context: Any) -> tuple[str, bool]:
    settings = getattr(context, "settings", None)
    return getattr(context, "request_id", ""), bool(settings and settings.is_production)


def _mongodb_budget(context: Any) -> float:
    settings = getattr(context, "settings", None)
    return float(settings.mongodb_timeout_s) if settings is not None else EXECUTION_TIMEOUT_S


def _is_subscription(query: str | None, operation_name: str | None) -> bool:
    document = try_parse(query) if query else None
    operation = chosen_operation(document, operation_name) if document else None
    return operation is not None and operation.operation == OperationType.SUBSCRIPTION


class CareerGraphSchema(strawberry.Schema):
    def process_errors(self, errors: list[Any], execution_context: Any = None) -> None:
        """Errors are shaped and logged (with a request id) in `shape_result`; not logged twice."""

    async def execute(self, query: str | None, variable_values: dict[str, Any] | None = None,
                      context_value: Any | None = None, *args: Any, **kwargs: Any) -> ExecutionResult:
        limit_s = _time_limit(context_value)
        try:  # asyncio.timeout, not wait_for: no task of its own for each operation
            with pymongo.timeout(_mongodb_budget(context_value)):
                async with asyncio.timeout(limit_s):
                    result = await super().execute(query, variable_values, context_value, *args, **kwargs)
        except TimeoutError:
            result = ExecutionResult(data=None, errors=[timeout_error(limit_s)])
        return shape_result(result, *_who(context_value))

    async def stream(self, query: str | None, variable_values: dict[str, Any] | None = None,
                     context_value: Any | None = None, root_value: Any | None = None,
                     operation_name: str | None = None, *args: Any, **kwargs: Any) -> Any:
        timed = not _is_subscription(query, operation_name)
        source = await super().stream(query, variable_values, context_value, root_value, operation_name,
                                      *args, **kwargs)
        return _shaped(source, context_value, _time_limit(context_value) if timed else None)


async def _shaped(source: AsyncIterator[Any], context: Any, limit_s: float | None
                  ) -> AsyncGenerator[Any, None]:
    """The results of `source`, shaped; within `limit_s` in all when it is given."""
    deadline = None if limit_s is None else time.monotonic() + limit_s
    budget = _mongodb_budget(context)
    try:
        while True:
            try:
                if deadline is None:
                    result = await anext(source)
                else:
                    with pymongo.timeout(budget):
                        result = await asyncio.wait_for(anext(source), max(0.0, deadline - time.monotonic()))
            except StopAsyncIteration:
                return
            except TimeoutError:
                yield shape_result(ExecutionResult(data=None, errors=[timeout_error(limit_s or 0.0)]), *_who(context))
                return
            yield shape_result(result, *_who(context))
    finally:
        aclose = getattr(source, "aclose", None)
        if aclose is not None:
            await aclose()
