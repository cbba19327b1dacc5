"""End to end with the real processes: `careergraph serve` and `careergraph worker`.

Seed and import, then the worker fills the cache; a submission reaches the summary within seconds
and a subscribed client is told; `careergraph status` and `recomputeRuns` show the runs.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect

from service.platform.config import Settings
from tests.e2e.processes import api_process, careergraph_env, eventually, queue_idle, worker_process
from tests.e2e.processes import run_cli as run
from tests.factories.paths import FIXTURES

SUMMARY = """{ salarySummaries(role: "backend-developer", level: ROLE, currency: "USD") {
  status count median source stale version computedAt } }"""
SUBMIT = """mutation ($input: SubmitSalaryInput!) { submitSalary(input: $input) { created userErrors { code } } }"""
SUBSCRIBE = 'subscription { summariesUpdated(role: "backend-developer") { version scope roles } }'


@pytest.fixture
def env(settings: Settings) -> dict[str, str]:
    return careergraph_env(MONGODB_URL=settings.mongodb_url, REDIS_URL=settings.redis_url,
                           MONGODB_DB=settings.mongodb_db, CAREERGRAPH_FULL_RECOMPUTE_AT="off")


def query(base: str, text: str, variables: dict[str, Any] | None = None, key: str | None = None) -> Any:
    headers = {"authorization": f"Bearer {key}"} if key else {}
    reply = httpx.post(f"{base}/graphql", json={"query": text, "variables": variables or {}},
                       headers=headers, timeout=10)
    body = reply.json()
    assert "errors" not in body, body
    return body["data"]


def backend_summary(base: str) -> dict[str, Any] | None:
    rows = query(base, SUMMARY)["salarySummaries"]
    return rows[0] if rows and rows[0]["status"] == "READY" else None


async def next_notice(url: str, submit: Any, wanted: Any) -> dict[str, Any]:
    """The first notice about backend-developer after `submit` for which `wanted(notice)` holds."""
    async with connect(url, subprotocols=["graphql-transport-ws"], open_timeout=10) as ws:  # type: ignore[list-item]
        await ws.send(json.dumps({"type": "connection_init"}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}}))
        await asyncio.sleep(0.5)  # let the server subscribe before the write
        await asyncio.to_thread(submit)
        while True:  # a full run queued by `seed` may still publish first: it concerns every role
            message = json.loads(await asyncio.wait_for(ws.recv(), 20))
            assert message["type"] == "next", message
            notice: dict[str, Any] = message["payload"]["data"]["summariesUpdated"]
            if notice["scope"] == "backend-developer" and await asyncio.to_thread(wanted, notice):
                return notice


def test_the_worker_serves_fresh_summaries_and_tells_subscribers(
        env: dict[str, str], settings: Settings, tmp_path: Path) -> None:
    assert run(["seed"], settings).returncode == 0
    imported = run(["import", "salaries", str(FIXTURES / "levels_fyi_sample.csv")], settings)
    assert imported.returncode == 0, imported.stderr
    key = run(["create-api-key", "--role", "admin"], settings).stdout.strip()
    with api_process(env, tmp_path) as base, worker_process(env, tmp_path / "worker.log"):
        # READY from MongoDB may come first (a read between the run's MongoDB write and its Redis
        # flip, which also refills Redis); the cache answers from then on.
        eventually(lambda: (found := backend_summary(base)) and found["source"] == "CACHE")
        eventually(lambda: queue_idle(settings), 30, "the seed's and the import's runs")
        before = backend_summary(base)
        assert before is not None and before["source"] == "CACHE" and not before["stale"]

        def submit() -> None:  # five of one cell: submissions join the summaries in releases of five
            for n in range(5):
                salary = {"role": "backend-developer", "amount": 123_456 + n, "currency": "USD", "country": "US",
                          "experienceYears": 4, "idempotencyKey": f"e2e-submission-{n}"}
                assert query(base, SUBMIT, {"input": salary}, key)["submitSalary"]["created"]

        def released(notice: dict[str, Any]) -> bool:
            found = backend_summary(base)
            return found is not None and found["count"] == before["count"] + 5 and found["version"] == notice["version"]

        ws_url = base.replace("http://", "ws://") + "/graphql"
        notice = asyncio.run(next_notice(ws_url, submit, released))
        assert notice["roles"] == ["backend-developer"] and notice["version"] != before["version"]
        after = backend_summary(base)
        assert after is not None and after["count"] == before["count"] + 5
        assert (after["source"], after["stale"], after["version"]) == ("CACHE", False, notice["version"])
        runs = query(base, "{ recomputeRuns(first: 5) { scope outcome trigger documentsRead } }",
                     key=key)["recomputeRuns"]
        assert runs and all(r["outcome"] == "ok" for r in runs)
        # the role's last run read what came since the run before it (some of the five submissions):
        # the rest came from the roll-up the earlier runs kept
        assert runs[0]["scope"] == "backend-developer" and 1 <= runs[0]["documentsRead"] <= 5
    status = run(["status"], settings)
    assert status.returncode == 0, status.stdout + status.stderr
    assert "recent recomputes:" in status.stdout and "backend-developer" in status.stdout
