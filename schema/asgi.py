"""The Starlette app: `/graphql`, `/healthz` and `/readyz`. Created by `create_app()`, which
uvicorn calls as a factory (`schema.asgi:create_app`); clients open in the lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

from graphql import GraphQLError
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.types import ExecutionResult as StrawberryExecutionResult
from strawberry.types.unset import UNSET

from schema.context import Context
from schema.observability import OPERATION, metrics_endpoint
from schema.protection import shape_error
from schema.response_cache import ResponseCache
from schema.root import build_schema
from service import metrics, summary_cache
from service.collections import ensure_collections
from service.config import Settings
from service.errors import CareerGraphError
from service.logs import configure_logging, request_id
from service.notices import NoticeHub
from service.resources import ServiceUnavailable, open_resources, ping_mongodb, ping_redis
from service.submissions import ensure_submissions_source

access_log = logging.getLogger("careergraph.access")
MAX_BODY_BYTES = 64 * 1024
GRAPHQL_RESPONSE = "application/graphql-response+json"
MEDIA_TYPE_HEADER = "x-careergraph-media-type"  # internal: never leaves the server


def wants_graphql_response(request: Request) -> bool:
    return GRAPHQL_RESPONSE in request.headers.get("accept", "")


def is_request_error(result: Any) -> bool:
    """Errors before execution (parse, validation, variables, limits): no data, no field path."""
    return bool(result.errors) and result.data is None and all(e.path is None for e in result.errors)
EXECUTION_TIMEOUT_S = 10.0


class CareerGraphQL(GraphQL[Context, None]):
    async def get_context(
        self, request: Request | WebSocket, response: Any
    ) -> Context:
        return Context(request=request, response=response, resources=request.app.state.resources,
                       request_id=request.scope.get("state", {}).get("request_id", ""),
                       notices=request.app.state.notices)

    async def on_ws_connect(self, context: Context) -> Any:
        """graphql-transport-ws connection_init: the key may come in its payload as
        {"authorization": "Bearer cg_..."} (browsers cannot set headers on a WebSocket).
        A bad key, or none where keys are required, closes the socket with 4403."""
        try:
            await context.require_reader()
        except CareerGraphError as exc:
            raise ConnectionRejectionError({"code": exc.code, "message": exc.message}) from exc
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
        await response(scope, receive, send)

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        sub_response = await super().get_sub_response(request)
        request.state.sub_response = sub_response  # read by process_result
        return sub_response

    async def process_result(self, request: Request, result: Any) -> Any:
        if result.errors:
            production = request.app.state.resources.settings.is_production
            rid = request.scope.get("state", {}).get("request_id", "")
            result.errors = [shape_error(e, rid, production) for e in result.errors]
            for error in result.errors:
                metrics.count_error((error.extensions or {}).get("code"))
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

    async def execute_single(
        self, *args: Any, **kwargs: Any
    ) -> Any:
        try:
            return await asyncio.wait_for(super().execute_single(*args, **kwargs), EXECUTION_TIMEOUT_S)
        except Exception as exc:
            # Strawberry answers a mutation sent by GET with 400; GraphQL over HTTP asks for 405.
            reason = str(getattr(exc, "reason", ""))
            if getattr(exc, "status_code", None) == 400 and reason.startswith("mutations are not allowed"):
                raise type(exc)(405, reason) from exc
            raise
        except TimeoutError:
            return StrawberryExecutionResult(data=None, errors=[GraphQLError(
                f"the operation took longer than {EXECUTION_TIMEOUT_S:g} s and was stopped",
                extensions={"code": "TIMEOUT"})])


TRANSPORT_CODES = {
    "Unable to parse request body as JSON": "BAD_REQUEST",
    "Batching is not enabled": "BATCHING_NOT_SUPPORTED",
    "Unsupported content type": "UNSUPPORTED_MEDIA_TYPE",
}


def transport_error(status: int, reason: str) -> JSONResponse:
    """A request refused before GraphQL could read it, as a well-formed GraphQL error."""
    code = TRANSPORT_CODES.get(reason) or HTTP_CODES.get(status, "BAD_REQUEST")
    if code == "UNSUPPORTED_MEDIA_TYPE":
        status = 415
        reason = "send application/json (or a GET with query parameters)"
    return JSONResponse({"errors": [{"message": reason, "extensions": {"code": code}}]}, status_code=status)


HTTP_CODES = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 413: "PAYLOAD_TOO_LARGE",
              415: "UNSUPPORTED_MEDIA_TYPE"}


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own refusals (unknown path, wrong method) in the same shape."""
    status = getattr(exc, "status_code", 500)
    response = transport_error(status, str(getattr(exc, "detail", "")) or "request refused")
    if status == 405:
        response.headers["allow"] = "GET, POST"
    return response


class RequestGuard:
    """Gives each request an id (echoed as X-Request-ID, carried by every log line), refuses bodies
    over MAX_BODY_BYTES, and counts and logs each request when it ends."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            request_id.set(uuid.uuid4().hex[:16])
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        rid = uuid.uuid4().hex[:16]
        request_id.set(rid)
        state = scope.setdefault("state", {})
        state["request_id"] = rid
        status = 500
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length", b"0")
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > MAX_BODY_BYTES:
                raise BodyTooLarge
            return message

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", []).append((b"x-request-id", rid.encode()))
            await send(message)

        try:
            if not length.isdigit() or int(length) > MAX_BODY_BYTES:
                raise BodyTooLarge
            await self.app(scope, limited_receive, send_with_id)
        except BodyTooLarge:
            await _too_large(scope, receive, send_with_id)
        finally:
            self._record(scope, status, time.perf_counter() - started)

    @staticmethod
    def _record(scope: Scope, status: int, seconds: float) -> None:
        path = scope.get("path", "")
        route = path if path in ROUTES else "other"
        operation = scope.get("state", {}).get(OPERATION, "")
        metrics.observe_request(route, operation, status, seconds)
        access_log.info("%s %s %d", scope.get("method"), path, status, extra={
            "status": status, "duration_ms": round(seconds * 1000, 3), "operation": operation})


class BodyTooLarge(Exception):
    pass


async def _too_large(scope: Scope, receive: Receive, send: Send) -> None:
    response = JSONResponse({"errors": [{"message": f"request body over {MAX_BODY_BYTES} bytes",
                                         "extensions": {"code": "PAYLOAD_TOO_LARGE"}}]}, status_code=413)
    await response(scope, receive, send)


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> JSONResponse:
    resources = request.app.state.resources
    results = await asyncio.gather(
        ping_mongodb(resources), ping_redis(resources), return_exceptions=True
    )
    failing = [r.store for r in results if isinstance(r, ServiceUnavailable)]
    if failing:
        detail = " and ".join(failing) + (" is" if len(failing) == 1 else " are") + " not answering"
        return JSONResponse(
            {"status": "unavailable", "failing": failing, "detail": detail}, status_code=503
        )
    return JSONResponse({"status": "ready"})


ROUTES = frozenset({"/graphql", "/healthz", "/readyz", "/metrics", "/bench/floor"})


async def bench_floor(request: Request) -> Response:
    """The benchmark's floor for this stack: read the body, return stored bytes from Redis."""
    await request.body()
    payload = await request.app.state.resources.redis.get(summary_cache.BENCH_FLOOR)
    return Response(payload or b"{}", media_type="application/json")


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env(os.environ)
    configure_logging(settings.log_level, settings.log_format)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with open_resources(settings) as resources:
            await ensure_collections(resources.db)
            await ensure_submissions_source(resources.db)
            app.state.resources = resources
            app.state.notices = NoticeHub(resources.redis)
            try:
                yield
            finally:
                await app.state.notices.close()

    graphql = CareerGraphQL(
        build_schema(production=settings.is_production),
        graphql_ide=None if settings.is_production else "graphiql",
        connection_init_wait_timeout=timedelta(seconds=settings.ws_init_timeout_s),
        max_subscriptions_per_connection=settings.ws_max_subscriptions,
        allowed_origins=list(settings.cors_origins),
    )
    routes = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/metrics", metrics_endpoint, methods=["GET"]),
        Route("/graphql", ResponseCache(graphql), methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql),
    ]
    if settings.bench_endpoints and not settings.is_production:
        routes.append(Route("/bench/floor", bench_floor, methods=["POST"]))
    middleware = [Middleware(RequestGuard)]
    if settings.cors_origins:
        middleware.append(Middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                                     allow_methods=["GET", "POST"],
                                     allow_headers=["authorization", "content-type"]))
    return Starlette(routes=routes, lifespan=lifespan, middleware=middleware,
                     exception_handlers={404: http_error, 405: http_error})
