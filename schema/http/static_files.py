"""Files that ship as package data, served as they are: the dashboard's and GraphiQL's.

A file is looked up by name in a table read once per folder (a name is never joined to a path), and
answered with its ETag, the folder's Content Security Policy and no caching without revalidation,
so an upgrade shows at the next load. Only the media types below are served."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from starlette.requests import Request
from starlette.responses import Response

from schema.http.respond import transport_error

MEDIA_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
               ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}


@dataclass(frozen=True)
class StaticFile:
    body: bytes
    media_type: str
    etag: str


@cache
def shipped(package: str, folder: str) -> dict[str, StaticFile]:
    """Every servable file in `folder` of `package`, by name, read once."""
    files = {}
    for entry in resources.files(package).joinpath(folder).iterdir():
        suffix = "." + entry.name.rsplit(".", 1)[-1]
        if entry.is_file() and suffix in MEDIA_TYPES:
            body = entry.read_bytes()
            files[entry.name] = StaticFile(body, MEDIA_TYPES[suffix], '"' + hashlib.sha256(body).hexdigest()[:32] + '"')
    return files


@dataclass(frozen=True)
class ShippedFolder:
    package: str
    folder: str
    policy: str  # the Content-Security-Policy of every answer
    what: str  # names the folder in a 404's message

    def answer(self, request: Request, name: str) -> Response:
        found = shipped(self.package, self.folder).get(name)
        if found is None:
            return transport_error(404, "NOT_FOUND", f"no such {self.what} file")
        headers = {"etag": found.etag, "cache-control": "no-cache", "content-security-policy": self.policy,
                   "x-content-type-options": "nosniff", "referrer-policy": "no-referrer"}
        if found.etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
        return Response(found.body, media_type=found.media_type, headers=headers)
