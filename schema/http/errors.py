"""Requests refused before GraphQL could read them (bad JSON, media type, unknown path, wrong
method), answered as well-formed GraphQL errors with a transport code."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

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
