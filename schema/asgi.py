"""The Starlette app: `create_app()`, which uvicorn calls as a factory (`schema.asgi:create_app`).
Clients open in the lifespan; the routes and the middleware are put together here."""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import AsyncIterator
from datetime import timedelta

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import Route, WebSocketRoute
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from schema.http.dashboard import dashboard, dashboard_file, home
from schema.http.exports import export_file
from schema.http.guard import RequestGuard
from schema.http.ide import ide_file
from schema.http.probes import bench_floor, healthz, metrics_endpoint, readyz
from schema.http.respond import http_error
from schema.http.sockets import SocketLimits
from schema.http.view import CareerGraphQL
from schema.http.websocket import FrameGuard
from schema.root import build_schema
from service.access.revocations import Revocations
from service.official import prices
from service.platform.config import Settings
from service.platform.logs import configure_logging
from service.platform.resources import open_resources
from service.salaries.submissions import ensure_submissions_source
from service.store.database import ensure_collections
from service.store.secrets import CURSOR, shared_secret
from service.summaries.notices import NoticeHub


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env(os.environ)
    configure_logging(settings.log_level, settings.log_format)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with open_resources(settings) as resources:
            await ensure_collections(resources.db)
            await ensure_submissions_source(resources)
            app.state.resources = resources
            app.state.cursor_secret = await shared_secret(resources.db, CURSOR, settings.cursor_secret)
            app.state.notices = NoticeHub(resources.redis)
            app.state.revocations = Revocations(resources)
            app.state.revocations.channel.ensure_running()  # a revoked key's kept copy is dropped at once
            prices.read_in_background()  # real pay's CPI, read before a request needs it
            # What start-up built (the schema, the drivers, the imported modules) lives as long as
            # the process: kept out of the collector's reach, a full collection under load scans
            # only what requests allocate instead of pausing the event loop for every object.
            gc.collect()
            gc.freeze()
            try:
                yield
            finally:
                await app.state.notices.close()
                await app.state.revocations.close()

    schema = build_schema(production=settings.is_production)
    graphql = CareerGraphQL(
        schema,
        graphql_ide=None if settings.is_production else "graphiql",
        connection_init_wait_timeout=timedelta(seconds=settings.ws_init_timeout_s),
        max_subscriptions_per_connection=settings.ws_max_subscriptions,
        allowed_origins=list(settings.cors_origins),
        subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),  # not the legacy graphql-ws
    )
    routes = [
        Route("/", home, methods=["GET"]),
        Route("/dashboard", dashboard, methods=["GET"]),
        Route("/dashboard/{name}", dashboard_file, methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/metrics", metrics_endpoint, methods=["GET"]),
        Route("/export/{name}", export_file, methods=["GET"]),
        Route("/graphql", graphql, methods=["GET", "POST"]),  # the front door: schema.http.view
        WebSocketRoute("/graphql", SocketLimits(FrameGuard(graphql), settings)),
    ]
    if not settings.is_production:  # GraphiQL's files, for the page GET /graphql gives a browser
        routes.append(Route("/graphiql/{name}", ide_file, methods=["GET"]))
    if settings.bench_endpoints and not settings.is_production:
        routes.append(Route("/bench/floor", bench_floor, methods=["POST"]))
    middleware = [Middleware(RequestGuard)]
    if settings.cors_origins:
        middleware.append(Middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                                     allow_methods=["GET", "POST"],
                                     allow_headers=["authorization", "content-type", "if-none-match"],
                                     expose_headers=["etag"]))
    return Starlette(routes=routes, lifespan=lifespan, middleware=middleware,
                     exception_handlers={404: http_error, 405: http_error})
