"""The GraphQL view at /graphql: Strawberry's ASGI view, with the front door in its request path.

Over HTTP each request is read once into its operation (`schema.http.operation`, the media types
decided exactly), its caller authenticated once (`schema.http.principal`), admitted by the door
(`schema.http.door`: persisted queries, price, one charge, the response cache), run through
Strawberry's own `execute_single` and `process_result`, and answered by `schema.http.respond`.
Over a WebSocket Strawberry's graphql-transport-ws handler runs, with the same door on every
`subscribe` (`schema.http.subscriptions`).
"""

from __future__ import annotations

from typing import Any

from cross_web import AsyncHTTPRequestAdapter, HTTPException, StarletteRequestAdapter
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET

from schema.context import Context
from schema.http import ide, respond
from schema.http.door import Admitted, FrontDoor
from schema.http.media import answer_media
from schema.http.operation import Operation, from_http
from schema.http.principal import credentials, principal_of
from schema.http.respond import Outcome, Refusal
from schema.http.subscriptions import DoorTransportWS
from schema.http.websocket import on_acknowledged
from schema.policy.limits import charged_cost, cost_extension
from schema.policy.observability import set_operation
from service.access.api_keys import Principal


def is_request_error(result: Any) -> bool:
    """Errors before execution (parse, validation, variables, limits): no data, no field path."""
    return bool(result.errors) and result.data is None and all(e.path is None for e in result.errors)


class BodyOnce(StarletteRequestAdapter):
    """Strawberry's view of a Starlette request, reading the body straight from its ASGI messages
    (the guard bounds its size and its time) and keeping the raw query string."""

    def __init__(self, request: Request) -> None:
        super().__init__(request)
        self.receive, self.query_string = request.receive, request.scope.get("query_string", b"")

    async def get_body(self) -> bytes:
        chunks = []
        while True:
            message = await self.receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                return b"".join(chunks)


def _request_id(request: Request | WebSocket) -> str:
    return str(request.scope.get("state", {}).get("request_id", ""))


class CareerGraphQL(GraphQL[Context, None]):
    graphql_transport_ws_handler_class = DoorTransportWS
    request_adapter_class = BodyOnce

    def __init__(self, schema: Any, **options: Any) -> None:
        super().__init__(schema, **options)
        self.door = FrontDoor(schema._schema)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)  # a WebSocket: Strawberry's handler, with the door
            return
        response = await self.answer(Request(scope=scope, receive=receive))
        await response(scope, receive, send)

    async def answer(self, request: Request) -> Response:
        """A GET or POST to /graphql, from its bytes to its answer."""
        outcome = Outcome(media=answer_media(request.headers.get("accept")), method=request.method,
                          if_none_match=request.headers.get("if-none-match"))
        try:
            adapter = self.request_adapter_class(request)
            if request.method == "GET" and self.should_render_graphql_ide(adapter) \
                    and "extensions" not in request.query_params:
                if self.graphql_ide is None:
                    raise Refusal("NOT_FOUND", "Not Found", status=404)
                return await self.render_graphql_ide(request)
            operation = await self.parse_http_body(adapter)
            authorization = credentials(request.scope["headers"])
            outcome.private = authorization is not None or request.app.state.resources.settings.require_api_key
            principal = await principal_of(request.app.state.resources, authorization)
            return await self.run_admitted(request, operation, principal, outcome)
        except Refusal as refusal:
            return respond.refused(refusal, outcome)

    async def parse_http_body(self, request: AsyncHTTPRequestAdapter) -> Operation:
        """Strawberry's seam for reading a request: here, once, into the front door's operation."""
        assert isinstance(request, BodyOnce)
        body = await request.get_body() if request.method == "POST" else b""
        return from_http(request.method, request.content_type, request.query_string, body,
                         answer_media(request.headers.get("accept")))

    async def run_admitted(self, request: Request, operation: Operation, principal: Principal,
                           outcome: Outcome) -> Response:
        resources = request.app.state.resources
        priced = await self.door.price(resources, operation, principal)
        set_operation(request.scope, priced.label)
        admitted = await self.door.admit(resources, priced, principal, request.client.host if request.client else None)
        outcome.decision = admitted.decision
        lookup, entry = admitted.lookup, admitted.entry
        if lookup is None or entry is None:
            shortcut = self.door.submissions
            plan = shortcut.plan(admitted.operation) if resources.settings.submission_shortcut else None
            submission = shortcut.submission(plan, admitted.operation, principal) if plan is not None else None
            if plan is not None and submission is not None:
                result = await shortcut.answer(plan, submission, resources, principal, _request_id(request))
                body = dict(await self.process_result(request, result))  # type: ignore[arg-type]
                body["extensions"] = cost_extension(admitted.cost)
                return respond.result(body, is_request_error(result), outcome)
            response, _ = await self.execute(request, admitted, principal, outcome)
            return response
        if outcome.method == "GET" and entry.versions is not None:
            outcome.validators = self.door.cache.validators(resources.settings, lookup, entry, outcome.private)
        if entry.payload is not None:
            outcome.cache = "hit"
            return respond.stored(entry.payload, outcome)
        outcome.cache = "miss"
        async with self.door.cache.computing(lookup):
            response, error_free = await self.execute(request, admitted, principal, outcome)
            if error_free and response.status_code == 200:
                await self.door.cache.store(resources, lookup, entry, bytes(response.body))
        return response

    async def execute(self, request: Request, admitted: Admitted, principal: Principal,
                      outcome: Outcome) -> tuple[Response, bool]:
        """The answer of Strawberry's execution, and whether it is error-free (cacheable)."""
        context = Context(request=request, resources=request.app.state.resources, request_id=_request_id(request),
                          notices=request.app.state.notices, cursor_secret=request.app.state.cursor_secret,
                          caller=principal)
        token = charged_cost.set(admitted.cost)
        try:
            result: ExecutionResult = await self.execute_single(
                request=request, request_adapter=self.request_adapter_class(request), sub_response=Response(),
                context=context, root_value=None, request_data=admitted.operation)
        except HTTPException as exc:  # Strawberry's refusal of the operation's type for the method
            raise Refusal("BAD_REQUEST", exc.reason, status=exc.status_code) from None
        finally:
            charged_cost.reset(token)
        body = dict(await self.process_result(request, result))
        error_free = "errors" not in body and body.get("data") is not None
        return respond.result(body, is_request_error(result), outcome), error_free

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        """A socket's context: it lives as long as the socket (HTTP requests make their own)."""
        return Context(request=request, resources=request.app.state.resources,
                       request_id=request.scope.get("state", {}).get("request_id", ""),
                       notices=request.app.state.notices, cursor_secret=request.app.state.cursor_secret)

    async def render_graphql_ide(self, request: Request) -> Response:
        return ide.page(request)

    async def on_ws_connect(self, context: Context) -> Any:
        """graphql-transport-ws connection_init: the key comes in the handshake's one Authorization
        header or in the payload as {"authorization": "Bearer cg_..."} (browsers cannot set headers on
        a WebSocket). A bad key, or none where keys are required, closes the socket with 4403."""
        try:
            header = credentials(context.request.scope["headers"])
            params = context.connection_params if isinstance(context.connection_params, dict) else {}
            given = params.get("authorization") or params.get("Authorization")
            context.credentials = header or (given if isinstance(given, str) else None)
            context.caller = await principal_of(context.resources, context.credentials)
        except Refusal as refusal:
            raise ConnectionRejectionError({"code": refusal.code, "message": refusal.message}) from None
        on_acknowledged(context)
        return UNSET
