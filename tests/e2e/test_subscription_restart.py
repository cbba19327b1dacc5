"""An API restart while a subscription is open: what the client sees, and how it reconnects."""

from __future__ import annotations

import asyncio
import json
import signal
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from service.platform.config import Settings
from service.platform.embedded import free_port
from tests.e2e.processes import SUBMIT, cli, env_for, graphql, start, stocked, stop, wait_http, worker_process

SUBSCRIBE = 'subscription { summariesUpdated(role: "backend-developer") { version scope } }'


async def subscribe(url: str) -> ClientConnection:
    ws = await connect(url, subprotocols=["graphql-transport-ws"], open_timeout=5)  # type: ignore[list-item]
    await ws.send(json.dumps({"type": "connection_init"}))
    assert json.loads(await ws.recv())["type"] == "connection_ack"
    await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}}))
    return ws


async def reconnect(url: str, attempts: int = 60) -> tuple[ClientConnection, int]:
    """What a client should do: retry with a growing delay (capped), then subscribe again."""
    delay = 0.1
    for attempt in range(1, attempts + 1):
        try:
            return await subscribe(url), attempt
        except (OSError, ConnectionClosed, TimeoutError):
            await asyncio.sleep(delay)
            delay = min(delay * 2, 1.0)
    raise AssertionError("never reconnected")


async def next_notice(ws: ClientConnection) -> dict[str, Any]:
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), 30))
        assert message["type"] == "next", message
        notice: dict[str, Any] = message["payload"]["data"]["summariesUpdated"]
        if notice["scope"] == "backend-developer":
            return notice


async def test_a_restart_closes_the_socket_with_1012_and_a_resubscribed_client_gets_notices(
        settings: Settings, tmp_path: Path) -> None:
    env = env_for(settings.mongodb_url or "", settings.redis_url or "", settings.mongodb_db)
    await asyncio.to_thread(stocked, env)
    key = (await asyncio.to_thread(cli, ["create-api-key", "--role", "admin"], env)).stdout.strip()
    port = free_port()
    env = {**env, "CAREERGRAPH_PORT": str(port)}
    base, url = f"http://127.0.0.1:{port}", f"ws://127.0.0.1:{port}/graphql"
    log = tmp_path / "api.log"
    api = start(["serve"], env, log)
    try:
        await asyncio.to_thread(wait_http, f"{base}/healthz", api, log)
        with worker_process(env, tmp_path / "worker.log"):
            ws = await subscribe(url)
            await asyncio.sleep(0.3)
            await asyncio.to_thread(stop, api, signal.SIGTERM)  # a deploy: graceful stop
            try:
                while True:
                    await asyncio.wait_for(ws.recv(), 15)
            except ConnectionClosed as closed:
                code = closed.rcvd.code if closed.rcvd else None
            assert code == 1012, code  # "service restart": reconnect
            api = start(["serve"], env, log)
            ws, _ = await reconnect(url)
            await asyncio.sleep(0.3)
            salary = {"role": "backend-developer", "amount": 131_000, "currency": "USD", "country": "US",
                      "experienceYears": 5, "idempotencyKey": "restart-sub-1"}
            created = await asyncio.to_thread(graphql, base, SUBMIT, {"input": salary}, key)
            assert created.json()["data"]["submitSalary"]["created"]
            notice = await next_notice(ws)
            assert notice["version"]
            await ws.close()
    finally:
        stop(api)
