"""`submitSalary` answered without a GraphQL execution, for the requests whose answer it can build
exactly; every other request goes the normal way.

Submissions are the one mutation clients send at volume, and a GraphQL execution (Strawberry's
argument conversion, the executor, its extensions) costs more of the API's CPU than storing the
submission does. What a request's text determines is worked out once per process, as the
response cache does for reads: a document is taken here only when it is one mutation whose one
root field is `submitSalary(input: $variable)` with `$variable: SubmitSalaryInput!`, no fragments,
directives or duplicate response keys, selecting only `created`, `userErrors { field message
code }`, `observation { id }` and `__typename` (aliases allowed), and when it passes the schema's
validation. A request is then taken only when its input coerces without error (graphql-core's own
coercion, so the values are the ones an execution would see), its key is a reader's or better
and its rate-limit points can be taken. Anything else, including every error an execution would
report, goes to GraphQL with the points already taken marked as paid, so it is charged once.

The answer is the one the execution would give: the same use case
(`service.salaries.submissions.submit_salary`), the same data in selection order, the same
`extensions.cost`, the same error shaping (`schema.errors`), time limits and headers.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

import pymongo
from graphql import (
    FieldNode,
    GraphQLInputObjectType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    NamedTypeNode,
    NonNullTypeNode,
    OperationDefinitionNode,
    OperationType,
    VariableNode,
    coerce_input_value,
    get_named_type,
    located_error,
    validate,
)
from graphql.execution import ExecutionResult
from starlette.types import ASGIApp, Receive, Scope, Send
from strawberry.schema.schema_converter import GraphQLCoreConverter

from schema.asgi_messages import REQUEST_STATE, headers_of, media_of
from schema.cost import count_nodes
from schema.documents import try_parse
from schema.errors import shape_result
from schema.execution import EXECUTION_TIMEOUT_S, timeout_error
from schema.http import GRAPHQL_RESPONSE, is_request_error
from schema.limits import PREPAID, cost_extension, points_for, rate_limit_headers
from schema.observability import set_operation
from schema.relay import to_global_id
from service.access import rate_limit
from service.access.api_keys import authenticate
from service.errors import CareerGraphError
from service.platform import metrics
from service.salaries.submissions import SalarySubmission, SubmissionResult, submit_salary

FIELD = "submitSalary"
ARGUMENT = "input"
INPUT_TYPE = "SubmitSalaryInput"
#: What the answer may select, by payload field: None for a leaf, else the fields allowed below it.
PAYLOAD_FIELDS: dict[str, frozenset[str] | None] = {
    "created": None, "__typename": None,
    "userErrors": frozenset({"field", "message", "code", "__typename"}),
    "observation": frozenset({"id", "__typename"}),
}
SHAPES_MAX = 256  # documents a process remembers (taken or not)
SHAPE_MAX_CHARS = 8_192  # longer texts are never taken here
OPERATION_LABEL = metrics.operation_label("mutation", [FIELD])

Selection = tuple[str, str, tuple[tuple[str, str], ...] | None]  # response key, field, leaves below


@dataclass(frozen=True)
class _Shape:
    variable: str
    key: str  # submitSalary's response key
    node: FieldNode  # where an error in it is located
    payload: tuple[Selection, ...]
    nodes: int
    typenames: dict[str, str]  # payload field (and "" for the payload itself) -> its type's name

    def render(self, result: SubmissionResult) -> dict[str, Any]:
        answer: dict[str, Any] = {}
        for key, name, below in self.payload:
            if name == "__typename":
                answer[key] = self.typenames[""]
            elif name == "created":
                answer[key] = result.created
            elif name == "userErrors":
                assert below is not None
                answer[key] = [self._object(below, "userErrors", {"field": e.field, "message": e.message,
                                                                  "code": e.code}) for e in result.errors]
            elif result.observation is None:
                answer[key] = None
            else:
                assert below is not None
                global_id = to_global_id(self.typenames["observation"], result.observation.key)
                answer[key] = self._object(below, "observation", {"id": global_id})
        return answer

    def _object(self, below: tuple[tuple[str, str], ...], field: str, values: dict[str, Any]) -> dict[str, Any]:
        return {key: self.typenames[field] if name == "__typename" else values[name] for key, name in below}


def _leaves(node: FieldNode, allowed: frozenset[str]) -> tuple[tuple[str, str], ...] | None:
    if node.selection_set is None:
        return None
    found = []
    for child in node.selection_set.selections:
        if not isinstance(child, FieldNode) or child.name.value not in allowed or child.selection_set \
                or child.arguments or child.directives:
            return None
        found.append(((child.alias or child.name).value, child.name.value))
    keys = [key for key, _ in found]
    return tuple(found) if len(set(keys)) == len(keys) else None


def _payload(node: FieldNode) -> tuple[Selection, ...] | None:
    if node.selection_set is None:
        return None
    found: list[Selection] = []
    for child in node.selection_set.selections:
        if not isinstance(child, FieldNode) or child.name.value not in PAYLOAD_FIELDS \
                or child.arguments or child.directives:
            return None
        allowed = PAYLOAD_FIELDS[child.name.value]
        below = None if allowed is None else _leaves(child, allowed)
        if (allowed is None) != (child.selection_set is None) or (allowed is not None and below is None):
            return None
        found.append(((child.alias or child.name).value, child.name.value, below))
    keys = [key for key, _, _ in found]
    return tuple(found) if len(set(keys)) == len(keys) else None


def recognise(schema: GraphQLSchema, query: str, operation_name: Any) -> _Shape | None:
    """The shape of a submitSalary document this module can answer, or None."""
    document = try_parse(query)
    if document is None or len(document.definitions) != 1:
        return None
    (operation,) = document.definitions
    if not isinstance(operation, OperationDefinitionNode) or operation.operation != OperationType.MUTATION \
            or operation.directives or len(operation.variable_definitions or ()) != 1 \
            or len(operation.selection_set.selections) != 1:
        return None
    if operation_name is not None and (operation.name is None or operation.name.value != operation_name):
        return None
    (definition,) = operation.variable_definitions or ()
    declared = definition.type
    if not (isinstance(declared, NonNullTypeNode) and isinstance(declared.type, NamedTypeNode)
            and declared.type.name.value == INPUT_TYPE) or definition.default_value or definition.directives:
        return None
    (field,) = operation.selection_set.selections
    if not isinstance(field, FieldNode) or field.name.value != FIELD or field.directives \
            or len(field.arguments or ()) != 1:
        return None
    (argument,) = field.arguments or ()
    if argument.name.value != ARGUMENT or not isinstance(argument.value, VariableNode) \
            or argument.value.name.value != definition.variable.name.value:
        return None
    payload = _payload(field)
    if payload is None or validate(schema, document):
        return None
    mutation = schema.mutation_type
    assert mutation is not None  # validation passed a mutation
    payload_type = get_named_type(mutation.fields[FIELD].type)
    assert isinstance(payload_type, GraphQLObjectType)
    typenames = {"": payload_type.name, **{name: get_named_type(f.type).name
                                          for name, f in payload_type.fields.items()}}
    return _Shape(variable=definition.variable.name.value, key=(field.alias or field.name).value, node=field,
                  payload=payload, nodes=count_nodes(schema, document, operation_name, None), typenames=typenames)


def submission_of(schema: GraphQLSchema, value: Any) -> SalarySubmission | None:
    """The submission the input coerces to, as an execution would coerce it; None when it does not."""
    if not isinstance(value, dict):
        return None
    input_type = schema.get_type(INPUT_TYPE)
    assert isinstance(input_type, GraphQLInputObjectType)
    coerced = coerce_input_value(value, GraphQLNonNull(input_type))  # Undefined when it does not coerce
    if not isinstance(coerced, dict):
        return None
    backref = GraphQLCoreConverter.DEFINITION_BACKREF
    return SalarySubmission(**{input_type.fields[name].extensions[backref].python_name: field_value
                               for name, field_value in coerced.items()})


class DirectSubmissions:
    """ASGI wrapper in front of the response cache and GraphQL (after persisted queries, which
    hand on the request they read)."""

    def __init__(self, app: ASGIApp, schema: GraphQLSchema) -> None:
        self.app, self.schema = app, schema
        self.shapes: dict[tuple[str, Any], _Shape | None] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = scope.get("state", {}).get(REQUEST_STATE) if scope["type"] == "http" else None
        if not (isinstance(request, dict) and scope["method"] == "POST" and isinstance(request.get("query"), str)
                and FIELD in request["query"] and await self._answer(scope, request, send)):
            await self.app(scope, receive, send)

    def _shape(self, query: str, operation_name: Any) -> _Shape | None:
        if len(query) > SHAPE_MAX_CHARS or not isinstance(operation_name, str | None):
            return None
        memo = (query, operation_name)
        if memo not in self.shapes:
            if len(self.shapes) >= SHAPES_MAX:
                self.shapes.pop(next(iter(self.shapes)))
            self.shapes[memo] = recognise(self.schema, query, operation_name)
        return self.shapes[memo]

    async def _answer(self, scope: Scope, request: dict[str, Any], send: Send) -> bool:
        """Answer the request here, or False to hand it to GraphQL."""
        shape = self._shape(request["query"], request.get("operationName"))
        variables = request.get("variables")
        if shape is None or not isinstance(variables, dict):
            return False
        submission = submission_of(self.schema, variables.get(shape.variable))
        if submission is None:
            return False
        resources = scope["app"].state.resources
        settings = resources.settings
        headers = headers_of(scope)
        try:
            principal = await authenticate(resources.db, headers.get(b"authorization", b"").decode("latin-1") or None)
            principal.require("reader")
        except CareerGraphError:
            return False
        client = scope.get("client")
        decision = await rate_limit.take(
            resources.redis, rate_limit.client_identity(principal.key_id, client[0] if client else None),
            points_for(shape.nodes), settings.rate_limit_points, settings.rate_limit_refill_per_s)
        if decision is not None and not decision.allowed:  # GraphQL answers the refusal, charged once
            scope.setdefault("state", {})[PREPAID] = decision
            return False
        set_operation(scope, OPERATION_LABEL)
        graphql_response = GRAPHQL_RESPONSE.encode() in headers.get(b"accept", b"")
        answer, status = await self._run(scope, shape, submission, principal.key_id, graphql_response)
        body = json.dumps(answer, separators=(",", ":")).encode()  # as Strawberry encodes it
        media = media_of(headers) + (b"; charset=utf-8" if graphql_response else b"")
        limits = [(k.encode(), v.encode()) for k, v in rate_limit_headers(decision)]
        await send({"type": "http.response.start", "status": status, "headers": [
            (b"content-length", str(len(body)).encode()), (b"content-type", media), *limits]})
        await send({"type": "http.response.body", "body": body})
        return True

    async def _run(self, scope: Scope, shape: _Shape, submission: SalarySubmission, key_id: str | None,
                   graphql_response: bool) -> tuple[dict[str, Any], int]:
        """The answer and its status, as `schema.execution` and `schema.http` would make them."""
        resources = scope["app"].state.resources
        settings = resources.settings
        cost = cost_extension(shape.nodes)
        try:
            async with asyncio.timeout(EXECUTION_TIMEOUT_S):
                with pymongo.timeout(settings.mongodb_timeout_s):
                    result = await submit_salary(resources, submission, key_id)
            return {"data": {shape.key: shape.render(result)}, "extensions": cost}, 200
        except TimeoutError:
            failed = ExecutionResult(data=None, errors=[timeout_error()])
        except Exception as exc:  # shaped (masked and logged when unexpected) as a resolver's error is
            failed = ExecutionResult(data=None, errors=[located_error(exc, [shape.node], [shape.key])],
                                     extensions=cost)
        shape_result(failed, scope.get("state", {}).get("request_id", ""), settings.is_production)
        answer: dict[str, Any] = {"data": None, "errors": [error.formatted for error in failed.errors or ()]}
        if failed.extensions:
            answer["extensions"] = failed.extensions
        if graphql_response and is_request_error(failed):  # GraphQL over HTTP: 400 and no data
            answer.pop("data")
            return answer, 400
        return answer, 200
