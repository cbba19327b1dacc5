"""The key gate: with CAREERGRAPH_REQUIRE_API_KEY, every operation needs a valid key."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError
from graphql.execution import ExecutionResult
from strawberry.extensions import SchemaExtension

from service.errors import CareerGraphError


class ApiKeyGate(SchemaExtension):
    """With CAREERGRAPH_REQUIRE_API_KEY, every operation needs a valid key."""

    async def on_execute(self) -> Any:
        ctx = self.execution_context
        context = ctx.context
        if context is not None and context.settings.require_api_key:
            try:
                principal = await context.principal()
                principal.require("reader")
            except CareerGraphError as exc:
                ctx.result = ExecutionResult(data=None, errors=[GraphQLError(
                    exc.message, extensions={"code": exc.code})])
        yield
