"""Serves the dashboard's files (`schema/dashboard/static/`) under a strict Content Security Policy:
nothing from another origin, no inline script or style."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from schema.http.static_files import ShippedFolder

POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
FILES = ShippedFolder("schema.dashboard", "static", POLICY, "dashboard")


async def home(request: Request) -> Response:
    return FILES.answer(request, "home.html")


async def dashboard(request: Request) -> Response:
    return FILES.answer(request, "index.html")


async def dashboard_file(request: Request) -> Response:
    return FILES.answer(request, request.path_params["name"])
