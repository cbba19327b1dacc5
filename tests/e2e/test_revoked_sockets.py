"""Issue 27, finding 8: `careergraph revoke-api-key`, run in a process of its own, closes the open
WebSockets that hold the key at once (4403) in the API processes: the revocation is announced on
Redis. The periodic recheck is set to an hour here, so only the announcement can close them."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from service.access.api_keys import create_api_key
from service.platform.config import Settings
from service.platform.resources import open_resources
from tests.e2e.processes import api_process, cli, env_for, graphql

PROTOCOL: Any = ["graphql-transport-ws"]
SUBSCRIBE = "subscription { summariesUpdated { version } }"
KEYED = "{ salaryObservations(first: 1) { totalCount } }"  # any key, and only with one


async def subscribed(url: str, key: str | None) -> ClientConnection:
    ws = await connect(url, subprotocols=PROTOCOL, open_timeout=10)
    await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {key}"} if key else {}}))
    assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "connection_ack"
    await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}}))
    return ws


async def close_code(ws: ClientConnection, within_s: float) -> int | None:
    with pytest.raises(ConnectionClosed) as closed:
        await asyncio.wait_for(ws.recv(), within_s)
    return closed.value.rcvd.code if closed.value.rcvd else None


async def revoke_while_open(url: str, env: dict[str, str], keys: dict[str, str]) -> None:
    revoked = [await subscribed(url, keys["revoked"]) for _ in range(2)]
    kept, anonymous = await subscribed(url, keys["kept"]), await subscribed(url, None)
    key_id = keys["revoked"].split("_")[1]
    done = await asyncio.to_thread(cli, ["revoke-api-key", key_id], env)
    assert done.returncode == 0, done.stderr
    # an hour's recheck would not come within the test: the notice does, for both sockets with the key
    assert [await close_code(ws, 30) for ws in revoked] == [4403, 4403]
    for ws in (kept, anonymous):  # the others stay open and subscribed
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(ws.recv(), 1)
        await ws.close()


async def reader_keys(settings: Settings, *names: str) -> dict[str, str]:
    async with open_resources(settings) as resources:
        return {name: await create_api_key(resources.db, "reader") for name in names}


def test_a_revoked_key_closes_its_open_sockets_at_once(settings: Settings, tmp_path: Path) -> None:
    env = env_for(settings.mongodb_url or "", settings.redis_url or "", settings.mongodb_db,
                  CAREERGRAPH_WS_KEY_RECHECK="3600", CAREERGRAPH_REQUIRE_API_KEY="false")
    keys = asyncio.run(reader_keys(settings, "revoked", "kept"))
    with api_process(env, tmp_path) as base:
        assert graphql(base, KEYED, key=keys["revoked"]).json()["data"]  # its document is now kept
        asyncio.run(revoke_while_open(base.replace("http://", "ws://") + "/graphql", env, keys))
        # and the process forgot its kept copy: the key is refused over HTTP too
        refused = graphql(base, KEYED, key=keys["revoked"]).json()
        assert [e["extensions"]["code"] for e in refused["errors"]] == ["UNAUTHENTICATED"]
        assert graphql(base, KEYED, key=keys["kept"]).json()["data"]
