"""The request guard in front of every route: request ids, the body limit, and the access log."""

from __future__ import annotations

import asyncio
import logging
import secrets
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from schema.http.respond import transport_error
from schema.policy.observability import OPERATION
from service.platform import metrics
from service.platform.logs import request_id

access_log = logging.getLogger("careergraph.access")
MAX_BODY_BYTES = 64 * 1024

PREFIXES = ("/export", "/dashboard", "/graphiql")  # a route label each, whatever the file asked for
ROUTES = frozenset({"/", "/graphql", "/healthz", "/readyz", "/metrics", "/bench/floor", "/export", "/dashboard",
                    "/graphiql"})


class RequestGuard:
    """Gives each request an id (echoed as X-Request-ID, carried by every log line), refuses bodies
    over MAX_BODY_BYTES, and counts and logs each request when it ends."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            request_id.set(secrets.token_hex(8))
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        rid = secrets.token_hex(8)  # 16 hex digits
        request_id.set(rid)
        state = scope.setdefault("state", {})
        state["request_id"] = rid
        status = 500
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length", b"0")
        received = 0
        body_done = False
        body_timeout_s = scope["app"].state.resources.settings.read_timeout_s if "app" in scope else 10.0
        deadline = asyncio.get_running_loop().time() + body_timeout_s  # on the loop's clock, for timeout_at

        async def limited_receive() -> Message:
            nonlocal received, body_done
            if body_done:  # after the body, a receive waits for the disconnect: no deadline
                return await receive()
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                raise BodyTooSlow from None
            received += len(message.get("body", b""))
            if received > MAX_BODY_BYTES:
                raise BodyTooLarge
            body_done = message["type"] != "http.request" or not message.get("more_body", False)
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
            await _refuse(send_with_id, 413, "PAYLOAD_TOO_LARGE", f"request body over {MAX_BODY_BYTES} bytes")
        except BodyTooSlow:
            await _refuse(send_with_id, 408, "REQUEST_TIMEOUT",
                          "the request body did not arrive in time")
        finally:
            self._record(scope, status, time.perf_counter() - started)

    @staticmethod
    def _record(scope: Scope, status: int, seconds: float) -> None:
        path = scope.get("path", "")
        route = path if path in ROUTES else next((r for r in PREFIXES if path.startswith(r + "/")), "other")
        operation = scope.get("state", {}).get(OPERATION, "")
        metrics.observe_request(route, operation, status, seconds)
        access_log.info("%s %s %d", scope.get("method"), path, status, extra={
            "status": status, "duration_ms": round(seconds * 1000, 3), "operation": operation})


class BodyTooLarge(Exception):
    pass


class BodyTooSlow(Exception):
    pass


async def _refuse(send: Send, status: int, code: str, message: str) -> None:
    response = transport_error(status, code, message, [("connection", "close")])
    await response({"type": "http"}, _no_body, send)


async def _no_body() -> Message:
    return {"type": "http.disconnect"}
