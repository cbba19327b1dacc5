"""The operation label each request is counted and logged under."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import FieldNode, OperationDefinitionNode
from strawberry.extensions import SchemaExtension

from service.platform import metrics

OPERATION = "operation"  # the key in the ASGI scope's state that RequestGuard reads


def set_operation(scope: Any, label: str) -> None:
    scope.setdefault("state", {})[OPERATION] = label


class OperationLabel(SchemaExtension):
    """Names the operation for metrics and logs: its type and root fields, once it is valid."""

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        request = getattr(ctx.context, "request", None)
        document = ctx.graphql_document
        if request is not None and document is not None:
            operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
            chosen = next((o for o in operations if o.name and o.name.value == ctx.operation_name),
                          operations[0] if operations else None)
            if chosen is not None:
                fields = [s.name.value for s in chosen.selection_set.selections if isinstance(s, FieldNode)]
                set_operation(request.scope, metrics.operation_label(chosen.operation.value, fields))
        yield
