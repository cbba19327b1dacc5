"""`GET /export/{kind}.{jsonl|csv}` and `GET /export/{kind}.manifest.json`: the bulk export
(`service.ops.export`) over HTTP, streamed, for API-key holders. Observations come in the key's view
(`service.salaries.visibility`, as GraphQL and the CLI give them): a reader key gets the rows of
public files, an admin key every row and field. An export costs `EXPORT_POINTS` of the key's
rate-limit bucket."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from schema.http.principal import credentials, principal_of
from schema.http.respond import Outcome, Refusal, refused
from schema.policy.limits import charge, rate_limited_error
from service.access import rate_limit
from service.errors import CareerGraphError
from service.ops.export import FORMATS, KINDS, Written, chunks, manifest
from service.salaries.visibility import view_for

EXPORT_POINTS = 100
MEDIA = {"jsonl": "application/x-ndjson", "csv": "text/csv; charset=utf-8"}


def _error(status: int, code: str, message: str) -> Response:
    return refused(Refusal(code, message, status=status), Outcome())


async def _allowed(request: Request) -> Response | str:
    """The caller as the front door knows them (one Authorization header, a valid key), charged
    `EXPORT_POINTS`: the key's view of observations, or the refusal."""
    resources = request.app.state.resources
    outcome = Outcome(method="GET")
    try:
        principal = await principal_of(resources, credentials(request.scope["headers"]))
        try:
            principal.require("reader")
        except CareerGraphError as exc:
            raise Refusal(exc.code, exc.message, status=401 if exc.code == "UNAUTHENTICATED" else 403) from None
        outcome.decision = await charge(resources, rate_limit.client_identity(principal.key_id, None), EXPORT_POINTS)
        if outcome.decision is not None and not outcome.decision.allowed:
            raise Refusal("RATE_LIMITED", rate_limited_error(outcome.decision, EXPORT_POINTS).message)
    except Refusal as refusal:
        if refusal.status is None and refusal.code != "RATE_LIMITED":
            refusal.status = 401 if refusal.code == "UNAUTHENTICATED" else 400
        return refused(refusal, outcome)
    return view_for(principal.role)


async def export_file(request: Request) -> Response:
    name = request.path_params["name"]
    kind, _, fmt = name.rpartition(".")
    if kind.endswith(".manifest") and fmt == "json":
        return await export_manifest(request, kind.removesuffix(".manifest"))
    if kind not in KINDS or fmt not in FORMATS:
        return _error(404, "NOT_FOUND", f"exports are /export/KIND.jsonl or .csv, KIND one of {', '.join(KINDS)}")
    view = await _allowed(request)
    if not isinstance(view, str):
        return view
    written = Written(kind, fmt)
    body = chunks(request.app.state.resources.db, kind, fmt, written, view)
    return StreamingResponse(body, media_type=MEDIA[fmt], headers={
        "content-disposition": f'attachment; filename="{kind}.{fmt}"', "cache-control": "private, no-store"})


async def export_manifest(request: Request, kind: str) -> Response:
    """The manifest of the export as it stands now (read through once to count and hash it)."""
    if kind not in KINDS:
        return _error(404, "NOT_FOUND", f"no export {kind[:40]!r}")
    view = await _allowed(request)
    if not isinstance(view, str):
        return view
    db = request.app.state.resources.db
    files = []
    for fmt in FORMATS:
        written = Written(kind, fmt)
        async for _ in chunks(db, kind, fmt, written, view):
            pass
        files.append((f"{kind}.{fmt}", written))
    return Response(json.dumps(await manifest(db, files), indent=2), media_type="application/json",
                    headers={"cache-control": "private, no-store"})
