"""`summariesUpdated` over graphql-transport-ws: delivery, filtering, init timeout, limit, auth."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from typing import Any

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from schema.asgi import create_app
from service.access.api_keys import create_api_key
from service.ingest.seed import load_seed
from service.platform.config import Settings
from service.platform.resources import open_resources
from service.store import database as c
from service.summaries.recompute import recompute
from tests.factories.documents import add

PROTOCOL = ["graphql-transport-ws"]
SUBSCRIBE = 'subscription { summariesUpdated(role: "backend-developer") { version scope roles computedAt } }'


def prepare(settings: Settings) -> str:
    async def run() -> str:
        async with open_resources(settings) as resources:
            await c.ensure_collections(resources.db)
            await load_seed(resources.db)
            await add(resources.db, "backend-developer", [100_000.0, 120_000.0])
            await add(resources.db, "devops-engineer", [90_000.0])
            return await create_api_key(resources.db, "reader")

    return asyncio.run(run())


def recompute_now(settings: Settings, scope: str) -> str:
    async def run() -> str:
        async with open_resources(settings) as resources:
            return (await recompute(resources, scope)).version or ""

    return asyncio.run(run())


def wait_for_subscribers(app: Any, count: int) -> None:
    deadline = time.monotonic() + 10
    while app.state.notices.subscribers < count:
        assert time.monotonic() < deadline, "the subscription never started"
        time.sleep(0.02)


def subscribe(ws: Any, op_id: str = "1", query: str = SUBSCRIBE) -> None:
    ws.send_json({"id": op_id, "type": "subscribe", "payload": {"query": query}})


def test_a_subscriber_sees_its_roles_updates_only(settings: Settings) -> None:
    prepare(settings)
    settings = dataclasses.replace(settings, redis_timeout_s=0.3)  # idle longer than a socket timeout
    app = create_app(settings)
    with TestClient(app) as client, client.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
        ws.send_json({"type": "connection_init"})
        assert ws.receive_json()["type"] == "connection_ack"
        subscribe(ws)
        wait_for_subscribers(app, 1)
        time.sleep(1.0)  # a quiet channel must stay subscribed
        recompute_now(settings, "devops-engineer")  # not this subscriber's role
        version = recompute_now(settings, "backend-developer")
        message = ws.receive_json()
        assert message["type"] == "next" and message["id"] == "1"
        update = message["payload"]["data"]["summariesUpdated"]
        assert (update["version"], update["scope"], update["roles"]) == (version, "backend-developer",
                                                                         ["backend-developer"])
        everything = recompute_now(settings, "all")  # a full run concerns every role
        assert ws.receive_json()["payload"]["data"]["summariesUpdated"]["version"] == everything


def test_a_connection_that_never_initialises_is_closed(settings: Settings) -> None:
    app = create_app(dataclasses.replace(settings, ws_init_timeout_s=0.3))
    with TestClient(app) as client, client.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
        assert closed.value.code == 4408


def test_subscriptions_per_connection_are_limited(settings: Settings) -> None:
    app = create_app(dataclasses.replace(settings, ws_max_subscriptions=2))
    with TestClient(app) as client, client.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
        ws.send_json({"type": "connection_init"})
        ws.receive_json()
        for op_id in ("1", "2", "3"):
            subscribe(ws, op_id)
        refused = ws.receive_json()
        assert (refused["type"], refused["id"]) == ("error", "3")
        assert "limit" in refused["payload"][0]["message"]


def test_keys_are_checked_like_queries(settings: Settings) -> None:
    key = prepare(settings)
    app = create_app(dataclasses.replace(settings, require_api_key=True))
    with TestClient(app) as client:
        for payload in ({}, {"authorization": "Bearer cg_nope_nope"}):
            with client.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
                ws.send_json({"type": "connection_init", "payload": payload})
                with pytest.raises(WebSocketDisconnect) as closed:
                    ws.receive_json()
                assert closed.value.code == 4403
        with client.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
            ws.send_json({"type": "connection_init", "payload": {"authorization": f"Bearer {key}"}})
            assert ws.receive_json()["type"] == "connection_ack"
            subscribe(ws)
            wait_for_subscribers(app, 1)
            version = recompute_now(settings, "backend-developer")
            assert ws.receive_json()["payload"]["data"]["summariesUpdated"]["version"] == version
