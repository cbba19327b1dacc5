"""The WebSocket budget's counting, at the ASGI level: places are taken at the handshake and given
back when the socket ends, an IPv6 client counts with its /64, and a refusal is an HTTP answer (or a
close where the server cannot answer a handshake over HTTP). The real server: tests/e2e/test_socket_limits.py."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from typing import Any

from schema.http.sockets import SocketLimits, acknowledged
from service.platform.config import Settings

DENIAL = {"websocket.http.response": {}}


class Sockets:
    """Sockets through one SocketLimits, each held open until released."""

    def __init__(self, **settings: Any) -> None:
        self.release = asyncio.Event()
        self.limits = SocketLimits(self.hold, dataclasses.replace(Settings(), **settings))

    async def hold(self, scope: Any, receive: Any, send: Any) -> None:
        await self.release.wait()

    async def open(self, client: str, extensions: dict[str, Any] | None = None
                   ) -> tuple[asyncio.Task[None], list[dict[str, Any]], dict[str, Any]]:
        sent: list[dict[str, Any]] = []
        scope = {"type": "websocket", "client": (client, 5000), "extensions": extensions or {}}

        async def receive() -> dict[str, Any]:
            return {"type": "websocket.connect"}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        task = asyncio.ensure_future(self.limits(scope, receive, send))
        await asyncio.sleep(0)
        return task, sent, scope


async def test_places_are_given_back_and_ipv6_counts_by_its_64() -> None:
    sockets = Sockets(ws_max_per_address=2, ws_max_pending_per_address=2, max_connections=100)
    first, _, _ = await sockets.open("2001:db8:1:2::1")
    second, _, scope = await sockets.open("2001:db8:1:2:ffff::2")  # another address of the same /64
    third, sent, _ = await sockets.open("2001:db8:1:2::3", DENIAL)
    assert third.done() and sent[0]["type"] == "websocket.http.response.start" and sent[0]["status"] == 429
    body = json.loads(sent[1]["body"])
    assert body["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert (b"retry-after", b"5") in sent[0]["headers"]
    other, _, _ = await sockets.open("2001:db8:1:3::1")  # the next /64 is another client
    assert not other.done() and sockets.limits.open_sockets == 3
    acknowledged(scope)
    acknowledged(scope)  # once only
    assert sockets.limits.pending == {"2001:db8:1:2::/64": 1, "2001:db8:1:3::/64": 1}
    sockets.release.set()
    await asyncio.gather(first, second, other)
    assert sockets.limits.open_sockets == 0 and not sockets.limits.open and not sockets.limits.pending


async def test_pending_sockets_and_the_process_budget() -> None:
    sockets = Sockets(ws_max_per_address=10, ws_max_pending_per_address=1, max_connections=6)  # budget: 3
    held = [await sockets.open("10.0.0.1")]
    _, sent, _ = await sockets.open("10.0.0.1", DENIAL)
    assert sent[0]["status"] == 429  # a second socket before connection_init
    held += [await sockets.open(f"10.0.0.{n}") for n in (2, 3)]
    _, sent, _ = await sockets.open("10.0.0.4", DENIAL)
    assert sent[0]["status"] == 503 and json.loads(sent[1]["body"])["errors"][0]["extensions"]["code"] == \
        "SERVICE_UNAVAILABLE"
    _, sent, _ = await sockets.open("10.0.0.5")  # a server without the denial extension: closed instead
    assert sent == [{"type": "websocket.close", "code": 1013, "reason": sent[0]["reason"]}]
    sockets.release.set()
    await asyncio.gather(*(task for task, _, _ in held))
