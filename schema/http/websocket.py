"""What a WebSocket at `/graphql` may send, how long it may live, and whose key it still holds.

- Only `graphql-transport-ws` is spoken (the legacy `graphql-ws` subprotocol is off).
- `FrameGuard` checks every client frame before Strawberry reads it: a frame over
  `MAX_MESSAGE_BYTES` closes the socket with 1009; one that is not a JSON object with a string
  `type`, or a `subscribe` whose `payload` is not an object holding a string `query`, closes it
  with 4400 (the protocol's "bad request"), instead of an exception and a dropped connection.
- `watch_connection` runs beside every acknowledged connection: when its API key is announced
  revoked (`service.access.revocations`), and at the latest every `key_recheck_s` (the fallback
  when Redis cannot announce), it asks MongoDB again whether the key is still valid and closes the
  socket with 4403 when it was revoked (operations in flight stop with it); it closes the socket
  with 1001 once it has lived `max_lifetime_s`, so no connection outlives its credentials.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocketState

from schema.http.sockets import acknowledged
from service.access.revocations import Revocations
from service.errors import CareerGraphError

log = logging.getLogger("careergraph.websocket")
MAX_MESSAGE_BYTES = 64 * 1024
WATCHDOG = "careergraph_ws_watchdog"  # key of the watchdog task in the scope's state
BAD_REQUEST, REVOKED, GOING_AWAY, TOO_BIG = 4400, 4403, 1001, 1009


def frame_problem(text: str) -> str | None:
    """Why a client frame is not a graphql-transport-ws message, or None."""
    try:
        message = json.loads(text)
    except (ValueError, RecursionError):
        return "a message must be JSON"
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        return "a message must be a JSON object with a string `type`"
    payload = message.get("payload")
    if message["type"] == "connection_init" and payload is not None and not isinstance(payload, dict):
        return "the connection_init payload must be an object"
    if message["type"] == "subscribe":
        if not isinstance(message.get("id"), str) or not isinstance(payload, dict):
            return "subscribe needs a string `id` and an object `payload`"
        if not isinstance(payload.get("query"), str):
            return "subscribe's payload needs a string `query`"
        if not isinstance(payload.get("variables"), dict | None):
            return "subscribe's variables must be an object"
    return None


class FrameGuard:
    """ASGI wrapper of the WebSocket route (see the module's docstring)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket":
            await self.app(scope, receive, send)
            return
        closed = False

        async def guarded_send(message: Message) -> None:
            nonlocal closed
            if closed:
                return  # the guard or the watchdog closed the socket; later sends go nowhere
            if message["type"] == "websocket.close":
                closed = True
            await send(message)

        async def guarded_receive() -> Message:
            nonlocal closed
            message = await receive()
            if message["type"] != "websocket.receive":
                return message
            text = message.get("text")
            size = len(text.encode()) if text is not None else len(message.get("bytes") or b"")
            code, reason = (TOO_BIG, "message too big") if size > MAX_MESSAGE_BYTES else (None, None)
            if code is None:
                problem = frame_problem(text) if text is not None else "messages must be text"
                code, reason = (BAD_REQUEST, problem) if problem else (None, None)
            if code is None:
                return message
            if not closed:
                closed = True
                await send({"type": "websocket.close", "code": code, "reason": reason})
            return {"type": "websocket.disconnect", "code": code}

        try:
            await self.app(scope, guarded_receive, guarded_send)
        finally:
            watchdog = scope.get("state", {}).get(WATCHDOG)
            if watchdog is not None:
                watchdog.cancel()


async def watch_connection(context: Any, key_recheck_s: float, max_lifetime_s: float) -> None:
    """Close the context's socket when its key is revoked or its lifetime is over."""
    websocket = context.request
    born = time.monotonic()
    revocations: Revocations | None = getattr(websocket.app.state, "revocations", None)
    try:
        key_id = (await context.principal()).key_id
    except CareerGraphError:
        key_id = None
    with revocations.watch(key_id) if revocations is not None and key_id else \
            contextlib.nullcontext(asyncio.Event()) as announced:
        while websocket.application_state == WebSocketState.CONNECTED:
            wait_s = min(key_recheck_s, max(0.0, born + max_lifetime_s - time.monotonic()))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(announced.wait(), wait_s)
            announced.clear()
            if websocket.application_state != WebSocketState.CONNECTED:
                return
            if time.monotonic() - born >= max_lifetime_s:
                await _close(websocket, GOING_AWAY, "connection lifetime reached; reconnect")
                return
            try:
                await context.principal(refresh=True)
            except CareerGraphError:
                await _close(websocket, REVOKED, "API key revoked")
                return
            except Exception as exc:  # a store outage: keep the socket, look again next round
                log.debug("could not recheck a WebSocket's key: %s", type(exc).__name__)


async def _close(websocket: Any, code: int, reason: str) -> None:
    with contextlib.suppress(RuntimeError, OSError):
        await websocket.close(code=code, reason=reason)


def on_acknowledged(context: Any) -> None:
    """A socket past `connection_init`: no longer counted as pending (`schema.http.sockets`), and
    watched by `watch_connection` until it ends (FrameGuard cancels the watchdog)."""
    acknowledged(context.request.scope)
    settings = context.settings
    task = asyncio.get_running_loop().create_task(
        watch_connection(context, settings.ws_key_recheck_s, settings.ws_max_lifetime_s))
    context.request.scope.setdefault("state", {})[WATCHDOG] = task
