"""The Starlette app: `/graphql`, `/healthz` and `/readyz`. Created by `create_app()`, which
uvicorn calls as a factory (`schema.asgi:create_app`); clients open in the lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from schema.context import Context
from schema.root import build_schema
from service.config import Settings
from service.logs import configure_logging
from service.resources import ServiceUnavailable, open_resources, ping_mongodb, ping_redis


class CareerGraphQL(GraphQL[Context, None]):
    async def get_context(
        self, request: Request | WebSocket, response: Any
    ) -> Context:
        return Context(request=request, response=response, resources=request.app.state.resources)


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


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env(os.environ)
    configure_logging(settings.log_level)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with open_resources(settings) as resources:
            app.state.resources = resources
            yield

    graphql = CareerGraphQL(
        build_schema(), graphql_ide=None if settings.is_production else "graphiql"
    )
    routes = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/graphql", graphql, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql),
    ]
    return Starlette(routes=routes, lifespan=lifespan)
