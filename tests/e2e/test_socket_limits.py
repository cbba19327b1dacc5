"""Issue 27, finding 5: idle anonymous WebSockets cannot hold the real server. Sockets have a budget
of their own (half the connection limit, a few per client address, fewer still before
`connection_init`), and liveness, readiness and requests keep answering."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from service.platform.config import Settings
from tests.e2e.processes import api_process, env_for

PROTOCOL: Any = ["graphql-transport-ws"]


async def opened(url: str, address: str, init: bool = True) -> ClientConnection | int:
    """An idle socket from `address` (past connection_init when `init`), or the handshake's refusal status."""
    try:
        ws = await connect(url, subprotocols=PROTOCOL, open_timeout=10, local_addr=(address, 0))
    except InvalidStatus as refused:
        body = json.loads(refused.response.body or b"{}")
        assert refused.response.headers["retry-after"] and body["errors"][0]["extensions"]["code"]
        return refused.response.status_code
    if init:
        await ws.send(json.dumps({"type": "connection_init"}))
        assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "connection_ack"
    return ws


def still_serving(base: str) -> None:
    assert httpx.get(f"{base}/healthz", timeout=10).status_code == 200
    assert httpx.get(f"{base}/readyz", timeout=10).status_code == 200
    reply = httpx.post(f"{base}/graphql", json={"query": "{ __typename }"}, timeout=10)
    assert reply.status_code == 200 and reply.json()["data"] == {"__typename": "Query"}


async def hold(url: str, base: str) -> None:
    held: list[ClientConnection] = []
    try:
        from_one = [await opened(url, "127.0.0.1") for _ in range(40)]  # the finding: 40 from one client
        held += [ws for ws in from_one if not isinstance(ws, int)]
        await asyncio.to_thread(still_serving, base)
        assert len(held) == 16 and [s for s in from_one if isinstance(s, int)] == [429] * 24
        # many clients: together they get half of the 40 connections, requests keep the rest
        from_many = [await opened(url, f"127.0.0.{2 + i // 4}") for i in range(40)]
        held += [ws for ws in from_many if not isinstance(ws, int)]
        assert len(held) == 20 and [s for s in from_many if isinstance(s, int)] == [503] * 36
        await asyncio.to_thread(still_serving, base)
        await held.pop().close()  # a socket that ends gives its place back
        again = await opened(url, "127.0.0.99")
        assert not isinstance(again, int)
        held.append(again)
    finally:
        for ws in held:
            await ws.close()


def test_idle_anonymous_sockets_cannot_hold_the_server(settings: Settings, tmp_path: Path) -> None:
    env = env_for(settings.mongodb_url or "", settings.redis_url or "", settings.mongodb_db,
                  CAREERGRAPH_MAX_CONNECTIONS="40")
    with api_process(env, tmp_path) as base:
        asyncio.run(hold(base.replace("http://", "ws://") + "/graphql", base))


async def silent_sockets(url: str) -> None:
    silent = [await opened(url, "127.0.0.1", init=False) for _ in range(5)]
    assert silent[4] == 429  # a fifth socket that has not said connection_init is refused
    for ws in silent[:4]:
        assert not isinstance(ws, int)
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 30)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4408  # init timeout
    fresh = await opened(url, "127.0.0.1", init=False)  # their places are free again
    assert not isinstance(fresh, int)
    await fresh.close()


def test_sockets_that_never_initialise_are_few_and_short_lived(settings: Settings, tmp_path: Path) -> None:
    env = env_for(settings.mongodb_url or "", settings.redis_url or "", settings.mongodb_db,
                  CAREERGRAPH_WS_INIT_TIMEOUT="1")
    with api_process(env, tmp_path) as base:
        asyncio.run(silent_sockets(base.replace("http://", "ws://") + "/graphql"))
