"""WebSocket attacks (findings 3, 4, 9 and 11): revoked keys, lifetimes, hostile frames, the legacy
subprotocol, timeouts and error shaping over the socket."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import time
from typing import Any

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from schema.asgi import create_app
from schema.policy import execution
from service.access.api_keys import create_api_key
from service.access.revocations import revoke_api_key
from service.catalog import search as search_module
from service.ingest.seed import load_seed
from service.platform.config import Settings
from service.platform.resources import open_resources

PROTOCOL = ["graphql-transport-ws"]
UPSERT = 'mutation { upsertSkill(input: {slug: "zig", name: "Zig", category: "language"}) { userErrors { code } } }'
SUBSCRIBE = "subscription { summariesUpdated { version } }"


def prepared(settings: Settings, role: str = "editor") -> str:
    async def run() -> str:
        async with open_resources(settings) as resources:
            await load_seed(resources.db)
            return await create_api_key(resources.db, role)

    return asyncio.run(run())


def revoke(settings: Settings, key: str) -> None:
    async def run() -> None:
        async with open_resources(settings) as resources:
            assert await revoke_api_key(resources, key.split("_")[1])

    asyncio.run(run())


def connect(ws: Any, key: str | None = None) -> None:
    ws.send_json({"type": "connection_init", "payload": {"authorization": f"Bearer {key}"} if key else {}})
    assert ws.receive_json()["type"] == "connection_ack"


def close_code(ws: Any) -> int:
    with pytest.raises(WebSocketDisconnect) as closed:
        for _ in range(50):
            ws.receive_json()
    return closed.value.code


def test_a_revoked_key_stops_working_on_an_open_socket_and_the_socket_closes(settings: Settings) -> None:
    key = prepared(settings)
    app = create_app(dataclasses.replace(settings, ws_key_recheck_s=0.3))
    with TestClient(app) as client, client.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
        connect(ws, key)
        ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": UPSERT}})
        assert ws.receive_json()["payload"]["data"]["upsertSkill"]["userErrors"] == []
        assert ws.receive_json()["type"] == "complete"
        ws.send_json({"id": "2", "type": "subscribe", "payload": {"query": SUBSCRIBE}})
        revoke(settings, key)
        assert close_code(ws) == 4403  # the watchdog saw the revocation; the subscription ends with it


def test_a_revoked_key_is_refused_for_the_next_operation_within_the_recheck_time(settings: Settings) -> None:
    key = prepared(settings)
    # the watchdog looks rarely here: it is the operation itself that checks the key again
    app = create_app(dataclasses.replace(settings, ws_key_recheck_s=0.2, ws_max_lifetime_s=3600))
    with TestClient(app) as client, client.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
        connect(ws, key)
        revoke(settings, key)
        time.sleep(0.25)
        ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": UPSERT}})
        try:
            first = ws.receive_json()
        except WebSocketDisconnect as closed:  # the watchdog was quicker: the socket is closed instead
            assert closed.code == 4403
        else:
            assert first["payload"]["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_a_connection_lives_no_longer_than_its_lifetime(settings: Settings) -> None:
    prepared(settings)
    app = create_app(dataclasses.replace(settings, ws_max_lifetime_s=0.5))
    with TestClient(app) as client, client.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
        connect(ws)
        started = time.monotonic()
        assert close_code(ws) == 1001 and time.monotonic() - started < 5


@pytest.mark.parametrize("frame", ["[1,2]", "null", "42", '"text"', "{not json", '{"type": 7}',
                                   '{"id": "1", "type": "subscribe", "payload": null}',
                                   '{"id": "1", "type": "subscribe", "payload": {"query": 5}}',
                                   '{"type": "connection_init", "payload": [1]}'])
def test_a_malformed_frame_closes_the_socket_with_4400(settings: Settings, frame: str) -> None:
    app = create_app(settings)
    with TestClient(app) as client, client.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
        if "subscribe" in frame:
            connect(ws)
        ws.send_text(frame)
        assert close_code(ws) == 4400


def test_a_message_over_64_kib_closes_the_socket(settings: Settings) -> None:
    app = create_app(settings)
    with TestClient(app) as client, client.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
        connect(ws)
        query = "{ __typename " + " " * 70_000 + "}"
        ws.send_text(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query}}))
        assert close_code(ws) == 1009


def test_the_legacy_graphql_ws_subprotocol_is_not_spoken(settings: Settings) -> None:
    app = create_app(settings)
    with TestClient(app) as client:
        with pytest.raises(WebSocketDisconnect), client.websocket_connect("/graphql", subprotocols=["graphql-ws"]) as ws:
            ws.send_json({"type": "connection_init"})
            ws.receive_json()


def test_errors_over_the_socket_are_shaped_and_timed(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    prepared(settings)
    production = dataclasses.replace(settings, environment="production")
    monkeypatch.setattr(execution, "EXECUTION_TIMEOUT_S", 0.3)

    async def slow_search(*args: Any, **kwargs: Any) -> Any:
        await asyncio.sleep(5)

    monkeypatch.setattr(search_module, "search", slow_search)
    monkeypatch.setattr("schema.catalog.schema.search", slow_search)
    app = create_app(production)
    forged = "eyJ4Ijp7IiRmb28iOjF9fQ.AAAA"
    with TestClient(app) as client, client.websocket_connect("/graphql", subprotocols=PROTOCOL) as ws:
        connect(ws)
        for op_id, query in (("1", '{ roles(first: 2, after: "' + forged + '") { totalCount } }'),
                             ("2", "{ roles(first: 1) { totalCount famly } }"),
                             ("3", '{ search(text: "x") { __typename } }')):
            ws.send_json({"id": op_id, "type": "subscribe", "payload": {"query": query}})
        answers = {}
        while len(answers) < 3:
            message = ws.receive_json()
            if message["type"] in ("next", "error"):
                payload = message["payload"]
                answers[message["id"]] = payload if isinstance(payload, list) else payload["errors"]
        assert answers["1"][0]["extensions"]["code"] == "BAD_USER_INPUT"
        assert answers["2"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        assert "Did you mean" not in json.dumps(answers["2"])  # production: no schema hints
        assert answers["3"][0]["extensions"]["code"] == "TIMEOUT"
        assert "$clusterTime" not in json.dumps(answers) and "Traceback" not in json.dumps(answers)
