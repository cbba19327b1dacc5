"""The GraphQL view: Strawberry's ASGI app, with the context, error shaping and the transport rules
of GraphQL over HTTP applied to every answer."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.types.unset import UNSET

from schema.context import Context
from schema.http import ide
from schema.http.errors import transport_error
from schema.http.websocket import on_acknowledged
from service.errors import CareerGraphError

GRAPHQL_RESPONSE = "application/graphql-response+json"
MEDIA_TYPE_HEADER = "x-careergraph-media-type"  # internal: never leaves the server


def wants_graphql_response(request: Request) -> bool:
    return GRAPHQL_RESPONSE in request.headers.get("accept", "")


def is_request_error(result: Any) -> bool:
    """Errors before execution (parse, validation, variables, limits): no data, no field path."""
    return bool(result.errors) and result.data is None and all(e.path is None for e in result.errors)


class CareerGraphQL(GraphQL[Context, None]):
    async def get_context(
        self, request: Request | WebSocket, response: Any
    ) -> Context:
        return Context(request=request, response=response, resources=request.app.state.resources,
                       request_id=request.scope.get("state", {}).get("request_id", ""),
                       notices=request.app.state.notices, cursor_secret=request.app.state.cursor_secret)

    async def render_graphql_ide(self, request: Request) -> Response:
        return ide.page(request)

    async def on_ws_connect(self, context: Context) -> Any:
        """graphql-transport-ws connection_init: the key may come in its payload as
        {"authorization": "Bearer cg_..."} (browsers cannot set headers on a WebSocket).
        A bad key, or none where keys are required, closes the socket with 4403."""
        try:
            await context.require_reader()
        except CareerGraphError as exc:
            raise ConnectionRejectionError({"code": exc.code, "message": exc.message}) from exc
        on_acknowledged(context)
        return UNSET

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Strawberry answers transport errors (bad JSON, batching, media type) in plain text;
        here they leave as GraphQL errors with a code, and a body that is not UTF-8 or nests
        too deep for the JSON parser is a 400 like any other malformed body."""
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        try:
            response = await self.run(Request(scope=scope, receive=receive))
        except (UnicodeDecodeError, RecursionError):
            response = transport_error(400, "Unable to parse request body as JSON")
        except Exception as exc:  # Strawberry's HTTPException (from its transport library)
            if not isinstance(getattr(exc, "status_code", None), int):
                raise
            response = transport_error(exc.status_code, str(getattr(exc, "reason", "")))  # type: ignore[attr-defined]
            if response.status_code == 405:  # a mutation sent by GET
                response.headers["allow"] = "POST"
        await response(scope, receive, send)

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        sub_response = await super().get_sub_response(request)
        request.state.sub_response = sub_response  # read by process_result
        return sub_response

    async def process_result(self, request: Request, result: Any) -> Any:
        """Errors are already shaped (`schema.policy.execution`); GraphQL over HTTP's rules for
        application/graphql-response+json are applied here."""
        response = await super().process_result(request, result)
        if wants_graphql_response(request):
            request.state.sub_response.headers[MEDIA_TYPE_HEADER] = GRAPHQL_RESPONSE
            if is_request_error(result):  # GraphQL over HTTP: 400 and no `data` for request errors
                if not request.state.sub_response.status_code:  # keep a 429 from the rate limit
                    request.state.sub_response.status_code = 400
                response.pop("data", None)
        return response

    def create_response(self, response_data: Any, sub_response: Response) -> Response:
        media_type = sub_response.headers.get(MEDIA_TYPE_HEADER)
        if media_type:
            del sub_response.headers[MEDIA_TYPE_HEADER]
        response = super().create_response(response_data, sub_response)
        if media_type:
            response.headers["content-type"] = f"{media_type}; charset=utf-8"
        return response

    async def execute_single(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return await super().execute_single(*args, **kwargs)
        except Exception as exc:
            # Strawberry answers a mutation sent by GET with 400; GraphQL over HTTP asks for 405.
            reason = str(getattr(exc, "reason", ""))
            if getattr(exc, "status_code", None) == 400 and reason.startswith("mutations are not allowed"):
                raise type(exc)(405, reason) from exc
            raise
