"""The front door against a running `careergraph serve`, through real HTTP and WebSocket clients, as an
attacker would try it (issue 27, findings 1 to 4): the allow-list holds on every content type and
on WebSockets, one request has one caller, a bad key is never anonymous, and a fresh large document
pays for its size."""

from __future__ import annotations

import asyncio
import hashlib
import json
import uuid
from pathlib import Path

import httpx
import pytest
from pymongo import MongoClient
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from service.platform.config import Settings
from service.salaries.submissions import SUBMISSIONS_SOURCE
from service.store import database as c
from tests.e2e.processes import SUBMIT, api_process, careergraph_env, cli

LISTED = "query Listed { serviceInfo { version } }"
UNLISTED = "{ roles(first: 1) { totalCount } }"


def env(settings: Settings, **extra: str) -> dict[str, str]:
    done = careergraph_env(MONGODB_URL=settings.mongodb_url, REDIS_URL=settings.redis_url,
                           MONGODB_DB=settings.mongodb_db, CAREERGRAPH_FULL_RECOMPUTE_AT="off", **extra)
    assert cli(["seed"], done).returncode == 0
    return done


def key(env: dict[str, str], role: str = "reader") -> str:
    return cli(["create-api-key", "--role", role], env).stdout.strip()


def codes(body: dict[str, object]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors", [])]  # type: ignore[index, union-attr]


def salary(idempotency_key: str) -> dict[str, object]:
    return {"input": {"role": "backend-developer", "amount": 91000, "currency": "USD", "country": "US",
                      "experienceYears": 4, "idempotencyKey": idempotency_key}}


async def ws_answer(url: str, query: str) -> list[dict[str, object]]:
    """The messages a graphql-transport-ws client gets for one subscribe, up to `complete`."""
    async with connect(url, subprotocols=["graphql-transport-ws"], open_timeout=5) as ws:  # type: ignore[list-item]
        await ws.send(json.dumps({"type": "connection_init"}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query}}))
        messages = []
        while not messages or messages[-1]["type"] not in ("complete", "error"):
            messages.append(json.loads(await asyncio.wait_for(ws.recv(), 10)))
        return messages


# -- finding 1: the allow-list on every transport --------------------------------------------------

@pytest.mark.parametrize("content_type", ["x-application/json", "text/x-application/json",
                                          "application/jsonp", "application/json; charset=latin-1"])
def test_the_allow_list_is_not_bypassed_by_a_content_type(settings: Settings, tmp_path: Path,
                                                           content_type: str) -> None:
    manifest = tmp_path / "allowed.json"
    manifest.write_text(json.dumps({hashlib.sha256(LISTED.encode()).hexdigest(): LISTED}))
    served = env(settings, CAREERGRAPH_PERSISTED_QUERIES="allowlist")
    assert cli(["persisted-queries", "load", str(manifest)], served).returncode == 0
    with api_process(served, tmp_path) as base:
        listed = httpx.post(f"{base}/graphql", json={"query": LISTED})
        assert listed.status_code == 200 and listed.json()["data"]["serviceInfo"]["version"]
        plain = httpx.post(f"{base}/graphql", json={"query": UNLISTED})
        assert codes(plain.json()) == ["PERSISTED_QUERY_NOT_ALLOWED"]
        sneaked = httpx.post(f"{base}/graphql", content=json.dumps({"query": UNLISTED}),
                             headers={"content-type": content_type})
        assert sneaked.status_code == 415, sneaked.text
        assert codes(sneaked.json()) == ["UNSUPPORTED_MEDIA_TYPE"] and "data" not in sneaked.json()


async def test_the_allow_list_holds_on_websockets(settings: Settings, tmp_path: Path) -> None:
    manifest = tmp_path / "allowed.json"
    manifest.write_text(json.dumps({hashlib.sha256(LISTED.encode()).hexdigest(): LISTED}))
    served = await asyncio.to_thread(env, settings, CAREERGRAPH_PERSISTED_QUERIES="allowlist")
    assert (await asyncio.to_thread(cli, ["persisted-queries", "load", str(manifest)], served)).returncode == 0
    with api_process(served, tmp_path) as base:
        url = base.replace("http://", "ws://") + "/graphql"
        listed = await ws_answer(url, LISTED)
        assert listed[0]["type"] == "next" and listed[0]["payload"]["data"]["serviceInfo"]["version"]  # type: ignore[index]
        refused = await ws_answer(url, UNLISTED)
        assert [m["type"] for m in refused] == ["next", "complete"]
        assert refused[0]["payload"]["data"] is None  # type: ignore[index]
        assert codes(refused[0]["payload"]) == ["PERSISTED_QUERY_NOT_ALLOWED"]  # type: ignore[arg-type]


# -- findings 2 and 3: one caller, and a bad key is never anonymous --------------------------------

def test_two_authorization_headers_are_refused_and_nothing_is_written(settings: Settings, tmp_path: Path) -> None:
    served = env(settings)
    valid = key(served)
    with api_process(served, tmp_path) as base:
        for n, pair in enumerate([("Bearer cg_nope_nope", f"Bearer {valid}"), (f"Bearer {valid}", "Bearer cg_nope_nope"),
                                  (f"Bearer {valid}", f"Bearer {valid}")]):
            headers = [("authorization", pair[0]), ("authorization", pair[1]), ("content-type", "application/json")]
            body = json.dumps({"query": SUBMIT, "variables": salary(f"twice-{n}-{uuid.uuid4().hex[:8]}")})
            answer = httpx.post(f"{base}/graphql", content=body, headers=headers)
            assert answer.status_code == 400 and codes(answer.json()) == ["BAD_REQUEST"], answer.text
            read = httpx.get(f"{base}/graphql", params={"query": "{ serviceInfo { version } }"},
                             headers=headers[:2])
            assert read.status_code == 400 and codes(read.json()) == ["BAD_REQUEST"]
        one = httpx.post(f"{base}/graphql", json={"query": SUBMIT, "variables": salary("once-0001")},
                         headers={"authorization": f"Bearer {valid}"})
        assert one.json()["data"]["submitSalary"]["created"] is True
    with MongoClient(settings.mongodb_url) as client:
        assert client[settings.mongodb_db][c.SALARY_OBSERVATIONS].count_documents({"source": SUBMISSIONS_SOURCE.slug}) == 1


@pytest.mark.parametrize("query", ["{ serviceInfo { version } }",
                                   '{ salarySummaries(role: "backend-developer", level: ROLE) { count } }'])
def test_a_bad_or_revoked_key_is_refused_where_anonymous_callers_are_served(settings: Settings, tmp_path: Path,
                                                                          query: str) -> None:
    served = env(settings)
    revoked = key(served)
    assert cli(["revoke-api-key", revoked], served).returncode == 0
    with api_process(served, tmp_path) as base:
        anonymous = httpx.post(f"{base}/graphql", json={"query": query})
        assert anonymous.status_code == 200 and "errors" not in anonymous.json()
        for credentials in ("Bearer cg_nope_nope", f"Bearer {revoked}", "Basic abc"):
            answer = httpx.post(f"{base}/graphql", json={"query": query}, headers={"authorization": credentials})
            assert answer.status_code == 200 and codes(answer.json()) == ["UNAUTHENTICATED"], (credentials, answer.text)
            assert "data" not in answer.json()
            strict = httpx.post(f"{base}/graphql", json={"query": query}, headers={
                "authorization": credentials, "accept": "application/graphql-response+json"})
            assert strict.status_code == 401 and strict.headers["www-authenticate"].startswith("Bearer")
            by_get = httpx.get(f"{base}/graphql", params={"query": query}, headers={"authorization": credentials})
            assert codes(by_get.json()) == ["UNAUTHENTICATED"] and by_get.headers["cache-control"] == "no-store"



async def init_close_code(url: str, payload: dict[str, str], headers: list[tuple[str, str]]) -> int | None:
    """How the server closes a socket after its connection_init (None: it acknowledged)."""
    async with connect(url, subprotocols=["graphql-transport-ws"], open_timeout=10,  # type: ignore[list-item]
                       additional_headers=headers) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
        try:
            reply = json.loads(await asyncio.wait_for(ws.recv(), 10))
        except ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else None
        assert reply["type"] == "connection_ack", reply
        return None


async def test_one_caller_and_no_bad_key_on_websockets_either(settings: Settings, tmp_path: Path) -> None:
    served = await asyncio.to_thread(env, settings)
    valid, revoked = [await asyncio.to_thread(key, served) for _ in range(2)]
    assert (await asyncio.to_thread(cli, ["revoke-api-key", revoked], served)).returncode == 0
    with api_process(served, tmp_path) as base:
        url = base.replace("http://", "ws://") + "/graphql"
        assert await init_close_code(url, {}, []) is None  # anonymous sockets are served here
        assert await init_close_code(url, {"authorization": f"Bearer {valid}"}, []) is None
        for credentials in ("Bearer cg_nope_nope", f"Bearer {revoked}", "Basic abc"):  # never anonymous
            assert await init_close_code(url, {"authorization": credentials}, []) == 4403, credentials
            assert await init_close_code(url, {}, [("authorization", credentials)]) == 4403, credentials
        for pair in (("Bearer cg_nope_nope", f"Bearer {valid}"), (f"Bearer {valid}", "Bearer cg_nope_nope")):
            two = [("authorization", pair[0]), ("authorization", pair[1])]  # one handshake, two callers
            assert await init_close_code(url, {}, two) == 4403, pair

# -- finding 4: a fresh large document pays for its size --------------------------------------------

def test_a_fresh_large_document_costs_more_than_a_point(settings: Settings, tmp_path: Path) -> None:
    served = env(settings, CAREERGRAPH_RATE_LIMIT_POINTS="1000", CAREERGRAPH_RATE_LIMIT_REFILL="1")
    with api_process(served, tmp_path) as base:
        def send() -> httpx.Response:  # about 2,000 tokens, never seen before: as much as the parser takes
            huge = f"query Q{uuid.uuid4().hex} {{ " + " ".join(["__typename"] * 1995) + " }"
            return httpx.post(f"{base}/graphql", json={"query": huge}, timeout=30)

        first = send()
        assert first.status_code == 200, first.text
        paid = 1000 - int(first.headers["x-ratelimit-remaining"])
        assert paid >= 100, paid  # it was one point: one point bought the validation of such a text
        # so one client cannot have such texts validated for little: the bucket runs dry
        refused = [send() for _ in range(2)][-1]
        assert refused.status_code == 429 and codes(refused.json()) == ["RATE_LIMITED"]


def test_a_repeated_document_comes_from_the_caches_and_costs_its_nodes(settings: Settings, tmp_path: Path) -> None:
    served = env(settings, CAREERGRAPH_RATE_LIMIT_POINTS="1000", CAREERGRAPH_RATE_LIMIT_REFILL="0.01")
    with api_process(served, tmp_path) as base:
        padded = f"# {uuid.uuid4().hex} {'.' * 6000}\n{{ serviceInfo {{ version }} }}"  # 6 KB, one field
        answers = [httpx.post(f"{base}/graphql", json={"query": padded}).json() for _ in range(3)]
        assert all(a["data"]["serviceInfo"]["version"] for a in answers)
        costs = [a["extensions"]["cost"]["points"] for a in answers]
        assert costs[0] > 100 and costs[1:] == [1, 1], costs
