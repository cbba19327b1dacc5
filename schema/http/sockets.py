"""Who may open a WebSocket: caps per API process and per client address, checked at the handshake.

A WebSocket lives long and uvicorn lets every upgrade through, whatever its connection limit, while
each open socket counts against that limit for HTTP requests. So sockets get a budget of their own:

- per process, `Settings.ws_connection_limit` (half of `CAREERGRAPH_MAX_CONNECTIONS` unless set,
  always below it): beyond it the handshake is answered 503, and requests keep the rest;
- per client address (the connection's, or the trusted proxy's `X-Forwarded-For`; an IPv6 address
  counts with its /64, which one subscriber commonly holds whole), `CAREERGRAPH_WS_MAX_PER_ADDRESS`
  open sockets and `CAREERGRAPH_WS_MAX_PENDING_PER_ADDRESS` not yet past `connection_init` (which
  must come within `CAREERGRAPH_WS_INIT_TIMEOUT`): beyond either, 429.

So idle sockets, anonymous or not, cannot hold the server: one address holds a few, many addresses
hold at most half the process, and a socket that never says `connection_init` is gone in seconds.
A refusal is an HTTP answer to the handshake (ASGI's WebSocket denial response) carrying a GraphQL
error with its code and a Retry-After; a server without that extension closes instead (1013).
"""

from __future__ import annotations

import ipaddress
from collections import Counter
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from schema.http.respond import transport_error
from service.platform.config import Settings

TICKET = "careergraph_socket"  # key of the socket's Ticket in the scope's state
RETRY_AFTER_S = 5
TRY_AGAIN_LATER = 1013


class Ticket:
    """One admitted socket's place in the counts, given back exactly once."""

    def __init__(self, limits: SocketLimits, address: str) -> None:
        self._limits, self.address = limits, address
        self._pending, self._open = True, True

    def acknowledged(self) -> None:
        """The socket is past `connection_init`: it no longer counts as pending."""
        if self._pending:
            self._pending = False
            self._limits.drop(self._limits.pending, self.address)

    def release(self) -> None:
        self.acknowledged()
        if self._open:
            self._open = False
            self._limits.open_sockets -= 1
            self._limits.drop(self._limits.open, self.address)


class SocketLimits:
    """ASGI wrapper of the WebSocket route (see the module's docstring); one per process."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.per_process = settings.ws_connection_limit
        self.per_address = settings.ws_max_per_address
        self.pending_per_address = settings.ws_max_pending_per_address
        self.open_sockets = 0
        self.open: Counter[str] = Counter()
        self.pending: Counter[str] = Counter()

    @staticmethod
    def drop(counts: Counter[str], address: str) -> None:
        counts[address] -= 1
        if counts[address] <= 0:
            del counts[address]  # no entry kept for an address with nothing open

    def refusal(self, address: str) -> tuple[int, str, str] | None:
        if self.open_sockets >= self.per_process:
            return 503, "SERVICE_UNAVAILABLE", "this server holds all the WebSockets it takes; try again later"
        if self.open[address] >= self.per_address:
            return 429, "RATE_LIMITED", f"at most {self.per_address} open WebSockets per client address"
        if self.pending[address] >= self.pending_per_address:
            return 429, "RATE_LIMITED", (f"at most {self.pending_per_address} WebSockets per client address "
                                         "before connection_init")
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket":
            await self.app(scope, receive, send)
            return
        address = client_of(scope)
        refused = self.refusal(address)
        if refused is not None:
            await _deny(scope, receive, send, *refused)
            return
        ticket = Ticket(self, address)
        self.open_sockets += 1
        self.open[address] += 1
        self.pending[address] += 1
        scope.setdefault("state", {})[TICKET] = ticket
        try:
            await self.app(scope, receive, send)
        finally:
            ticket.release()


def client_of(scope: Scope) -> str:
    """Whom a socket is counted against: its IPv4 address, or the /64 of its IPv6 address."""
    address = str((scope.get("client") or ("unknown",))[0])
    if ":" not in address:
        return address
    try:
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    except ValueError:
        return address


async def _deny(scope: Scope, receive: Receive, send: Send, status: int, code: str, message: str) -> None:
    connect = await receive()  # websocket.connect: the handshake the answer is for
    if connect["type"] != "websocket.connect":
        return
    if "websocket.http.response" not in scope.get("extensions", {}):
        await send({"type": "websocket.close", "code": TRY_AGAIN_LATER, "reason": message[:120]})
        return
    response = transport_error(status, code, message, [("retry-after", str(RETRY_AFTER_S))])
    await response(scope, receive, send)


def acknowledged(scope: dict[str, Any]) -> None:
    """Mark the socket of `scope` as past `connection_init` (when SocketLimits admitted it)."""
    ticket = scope.get("state", {}).get(TICKET)
    if ticket is not None:
        ticket.acknowledged()
