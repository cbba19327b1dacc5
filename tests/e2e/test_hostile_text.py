"""Issue 27, finding 6: a lone surrogate (`"company": "\\ud800"`, valid JSON) sent with a crowd of
concurrent submissions is its sender's BAD_USER_INPUT; every other submission is stored and says so.
In any variable, over POST, GET or a WebSocket, such text is BAD_USER_INPUT before anything runs."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
from pymongo import MongoClient
from websockets.asyncio.client import connect

from service.platform.config import Settings
from tests.e2e.processes import SUBMIT, api_process, env_for
from tests.factories.documents import seeded_key

CROWD = 150


async def submit_all(base: str, key: str, salaries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    headers = {"authorization": f"Bearer {key}", "content-type": "application/json"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30,
                                 limits=httpx.Limits(max_connections=50)) as client:
        # json.dumps writes a lone surrogate as the escape "\ud800": valid JSON (httpx's json= cannot send it)
        bodies = [json.dumps({"query": SUBMIT, "variables": {"input": s}}).encode() for s in salaries]
        replies = await asyncio.gather(*(client.post("/graphql", content=body) for body in bodies))
    return [reply.json() for reply in replies]


def test_one_callers_unstorable_text_fails_only_that_caller(settings: Settings, tmp_path: Path) -> None:
    env = env_for(settings.mongodb_url or "", settings.redis_url or "", settings.mongodb_db)
    key = seeded_key(settings)
    salaries = [{"role": "backend-developer", "amount": 80_000 + i, "currency": "USD", "country": "US",
                 "experienceYears": 3, "company": "Acme", "idempotencyKey": f"crowd-{i:05d}"} for i in range(CROWD)]
    bad = CROWD // 2
    salaries[bad]["company"] = "\ud800"
    with api_process(env, tmp_path) as base:
        answers = asyncio.run(submit_all(base, key, salaries))
    refused = answers[bad]  # refused at the front door, before it ran: a request error naming the variable
    assert codes(refused) == ["BAD_USER_INPUT"] and "$input" in refused["errors"][0]["message"], refused
    assert refused.get("data") is None
    others = answers[:bad] + answers[bad + 1:]
    assert [a.get("data", a) for a in others] == [{"submitSalary": {"created": True, "userErrors": []}}] * (CROWD - 1)
    with MongoClient(settings.mongodb_url) as client:
        stored = client[settings.mongodb_db]["salary_observations"].distinct("amount", {"company": "Acme"})
    assert sorted(stored) == sorted(s["amount"] for i, s in enumerate(salaries) if i != bad)


READS = ["query($s: String!) { role(slug: $s) { slug } }", "query($s: String) { salarySummaries(role: $s) { count } }",
         "query($s: String!) { search(text: $s) { __typename } }"]


def codes(answer: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in answer.get("errors", [])]


async def over_a_socket(url: str, query: str, variables: dict[str, Any]) -> list[dict[str, Any]]:
    async with connect(url, subprotocols=["graphql-transport-ws"], open_timeout=10) as ws:  # type: ignore[list-item]
        await ws.send(json.dumps({"type": "connection_init"}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query, "variables": variables}}))
        messages = [json.loads(await asyncio.wait_for(ws.recv(), 10))]
        while messages[-1]["type"] not in ("complete", "error"):
            messages.append(json.loads(await asyncio.wait_for(ws.recv(), 10)))
        return messages


def test_unstorable_text_in_any_variable_is_bad_user_input_on_every_transport(settings: Settings,
                                                                              tmp_path: Path) -> None:
    env = env_for(settings.mongodb_url or "", settings.redis_url or "", settings.mongodb_db)
    with api_process(env, tmp_path) as base:
        for query in READS:
            variables = {"s": "backend\udfff"}
            body = json.dumps({"query": query, "variables": variables})
            posted = httpx.post(f"{base}/graphql", content=body, headers={"content-type": "application/json"})
            got = httpx.get(f"{base}/graphql", params={"query": query, "variables": json.dumps(variables)})
            for answer in (posted.json(), got.json()):
                assert codes(answer) == ["BAD_USER_INPUT"] and "$s" in answer["errors"][0]["message"], answer
            messages = asyncio.run(over_a_socket(base.replace("http://", "ws://") + "/graphql", query, variables))
            assert [m["type"] for m in messages] == ["next", "complete"]
            assert codes(messages[0]["payload"]) == ["BAD_USER_INPUT"]
            well_formed = httpx.post(f"{base}/graphql", json={"query": query, "variables": {"s": "backend\u00e9"}})
            assert not {"BAD_USER_INPUT", "INTERNAL_SERVER_ERROR"} & set(codes(well_formed.json()))  # past the door
