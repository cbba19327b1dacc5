"""Serves the dashboard's files. Only the files shipped in `static/` can be asked for (the name is
looked up in a table read once, never joined to a path), each with its ETag, a strict Content
Security Policy (nothing from another origin, no inline script) and no caching without revalidation,
so an upgrade shows at the next load."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from starlette.requests import Request
from starlette.responses import Response

from schema.http.errors import transport_error

DASHBOARD_PACKAGE = "schema.dashboard"  # the files ship as its package data
MEDIA_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
               ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}
POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


@dataclass(frozen=True)
class StaticFile:
    body: bytes
    media_type: str
    etag: str


@cache
def shipped() -> dict[str, StaticFile]:
    """Every file in `static/` by name, read once."""
    files = {}
    for entry in resources.files(DASHBOARD_PACKAGE).joinpath("static").iterdir():
        suffix = "." + entry.name.rsplit(".", 1)[-1]
        if entry.is_file() and suffix in MEDIA_TYPES:
            body = entry.read_bytes()
            files[entry.name] = StaticFile(body, MEDIA_TYPES[suffix], '"' + hashlib.sha256(body).hexdigest()[:32] + '"')
    return files


def _answer(request: Request, name: str) -> Response:
    found = shipped().get(name)
    if found is None:
        return transport_error(404, "no such dashboard file")
    headers = {"etag": found.etag, "cache-control": "no-cache", "content-security-policy": POLICY,
               "x-content-type-options": "nosniff", "referrer-policy": "no-referrer"}
    if found.etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(found.body, media_type=found.media_type, headers=headers)


async def home(request: Request) -> Response:
    return _answer(request, "home.html")


async def dashboard(request: Request) -> Response:
    return _answer(request, "index.html")


async def dashboard_file(request: Request) -> Response:
    return _answer(request, request.path_params["name"])
