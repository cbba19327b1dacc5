"""The plain HTTP routes beside `/graphql`: liveness, readiness, metrics and the bench floor."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from service.ops import metrics as cluster_metrics
from service.platform import metrics
from service.platform.resources import ServiceUnavailable, ping_mongodb, ping_redis
from service.store import summary_cache


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


async def metrics_endpoint(request: Request) -> Response:
    body = await cluster_metrics.exposition(request.app.state.resources)
    return Response(body, media_type=metrics.CONTENT_TYPE)


async def bench_floor(request: Request) -> Response:
    """The benchmark's floor for this stack: read the body, return stored bytes from Redis."""
    await request.body()
    payload = await request.app.state.resources.redis.get(summary_cache.BENCH_FLOOR)
    return Response(payload or b"{}", media_type="application/json")
