"""`submitSalary` answered without a GraphQL execution, for the requests whose answer it can build
exactly (`schema.http.submission_shapes` says which); every other request goes the normal way.

Submissions are the one mutation clients send at volume, and a GraphQL execution (Strawberry's
argument conversion, the executor, its extensions) costs more of the API's CPU than storing the
submission does. What a request's text determines is worked out once per process, as the
response cache does for reads. A request is taken only when its document has a known shape, its
input coerces without error, its key is a reader's or better and its rate-limit points can be
taken. Anything else, including every error an execution would report, goes to GraphQL with the
points already taken marked as paid, so it is charged once.

The answer is the one the execution would give: the same use case
(`service.salaries.submissions.submit_salary`), the same data in selection order, the same
`extensions.cost`, the same error shaping (`schema.policy.errors`), time limits and headers.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pymongo
from graphql import GraphQLSchema, located_error
from graphql.execution import ExecutionResult
from starlette.types import ASGIApp, Receive, Scope, Send

from schema.http.messages import REQUEST_STATE, headers_of, media_of
from schema.http.submission_shapes import FIELD, SubmissionShape, observation_readers, recognise, submission_of
from schema.http.view import GRAPHQL_RESPONSE, is_request_error
from schema.policy.errors import shape_result
from schema.policy.execution import EXECUTION_TIMEOUT_S, timeout_error
from schema.policy.limits import PREPAID, cost_extension, points_for, rate_limit_headers
from schema.policy.observability import set_operation
from service.access import rate_limit
from service.access.api_keys import authenticate
from service.errors import CareerGraphError
from service.platform import metrics
from service.salaries.submissions import SalarySubmission, submit_salary

SHAPES_MAX = 256  # documents a process remembers (taken or not)
SHAPE_MAX_CHARS = 8_192  # longer texts are never taken here
OPERATION_LABEL = metrics.operation_label("mutation", [FIELD])


class DirectSubmissions:
    """ASGI wrapper in front of the response cache and GraphQL (after persisted queries, which
    hand on the request they read)."""

    def __init__(self, app: ASGIApp, schema: GraphQLSchema) -> None:
        self.app, self.schema, self.readers = app, schema, observation_readers(schema)
        self.shapes: dict[tuple[str, Any], SubmissionShape | None] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = scope.get("state", {}).get(REQUEST_STATE) if scope["type"] == "http" else None
        if not (isinstance(request, dict) and scope["method"] == "POST" and isinstance(request.get("query"), str)
                and FIELD in request["query"] and await self._answer(scope, request, send)):
            await self.app(scope, receive, send)

    def _shape(self, query: str, operation_name: Any) -> SubmissionShape | None:
        if len(query) > SHAPE_MAX_CHARS or not isinstance(operation_name, str | None):
            return None
        memo = (query, operation_name)
        if memo not in self.shapes:
            if len(self.shapes) >= SHAPES_MAX:
                self.shapes.pop(next(iter(self.shapes)))
            self.shapes[memo] = recognise(self.schema, query, operation_name, self.readers)
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

    async def _run(self, scope: Scope, shape: SubmissionShape, submission: SalarySubmission, key_id: str | None,
                   graphql_response: bool) -> tuple[dict[str, Any], int]:
        """The answer and its status, as `schema.policy.execution` and `schema.http.view` would make them."""
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
