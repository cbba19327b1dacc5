"""`GET /export/{kind}.{jsonl|csv}` and `GET /export/{kind}.manifest.json`: the bulk export
(`service.ops.export`) over HTTP, streamed, for API-key holders; observations need an admin key and
never carry company names here. An export costs `EXPORT_POINTS` of the key's rate-limit bucket."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from service.access import rate_limit
from service.access.api_keys import authenticate
from service.errors import CareerGraphError
from service.ops.export import FORMATS, KINDS, Written, chunks, manifest

EXPORT_POINTS = 100
MEDIA = {"jsonl": "application/x-ndjson", "csv": "text/csv; charset=utf-8"}


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"errors": [{"message": message, "extensions": {"code": code}}]}, status_code=status)


async def _allowed(request: Request, kind: str) -> JSONResponse | None:
    resources = request.app.state.resources
    try:
        principal = await authenticate(resources.db, request.headers.get("authorization"))
        principal.require("admin" if kind == "observations" else "reader")
    except CareerGraphError as exc:
        return _error(401 if exc.code == "UNAUTHENTICATED" else 403, exc.code, exc.message)
    settings = resources.settings
    decision = await rate_limit.take(resources.redis, rate_limit.client_identity(principal.key_id, None),
                                     EXPORT_POINTS, settings.rate_limit_points, settings.rate_limit_refill_per_s)
    if decision is not None and not decision.allowed:
        return _error(429, "RATE_LIMITED", "the key's rate limit is spent; try again later")
    return None


async def export_file(request: Request) -> Response:
    name = request.path_params["name"]
    kind, _, fmt = name.rpartition(".")
    if kind.endswith(".manifest") and fmt == "json":
        return await export_manifest(request, kind.removesuffix(".manifest"))
    if kind not in KINDS or fmt not in FORMATS:
        return _error(404, "NOT_FOUND", f"exports are /export/KIND.jsonl or .csv, KIND one of {', '.join(KINDS)}")
    refused = await _allowed(request, kind)
    if refused is not None:
        return refused
    written = Written(kind, fmt)
    body = chunks(request.app.state.resources.db, kind, fmt, written)
    return StreamingResponse(body, media_type=MEDIA[fmt], headers={
        "content-disposition": f'attachment; filename="{kind}.{fmt}"', "cache-control": "private, no-store"})


async def export_manifest(request: Request, kind: str) -> Response:
    """The manifest of the export as it stands now (read through once to count and hash it)."""
    if kind not in KINDS:
        return _error(404, "NOT_FOUND", f"no export {kind[:40]!r}")
    refused = await _allowed(request, kind)
    if refused is not None:
        return refused
    db = request.app.state.resources.db
    files = []
    for fmt in FORMATS:
        written = Written(kind, fmt)
        async for _ in chunks(db, kind, fmt, written):
            pass
        files.append((f"{kind}.{fmt}", written))
    return Response(json.dumps(await manifest(db, files), indent=2), media_type="application/json",
                    headers={"cache-control": "private, no-store"})
