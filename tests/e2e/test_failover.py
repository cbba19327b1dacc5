"""A three-member replica set whose primary is SIGKILLed under submission load: every acknowledged
submission is there afterwards, none twice (clients replay their idempotency keys after an error),
and the API answers SERVICE_UNAVAILABLE or retries through the election and recovers on its own."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx
from pymongo import MongoClient

from service.platform.config import Settings
from tests.e2e.processes import SUBMIT, api_process, cli, env_for, eventually
from tests.e2e.replica_set import replica_set

CLIENTS = 6
PER_CLIENT = 40


def test_the_primary_dies_under_submissions_and_nothing_is_lost_or_doubled(settings: Settings,
                                                                           tmp_path: Path) -> None:
    with replica_set(tmp_path / "rs") as rs:
        env = env_for(rs.url, settings.redis_url or "", "failover", CAREERGRAPH_MONGODB_TIMEOUT="3")
        assert cli(["seed"], env).returncode == 0
        key = cli(["create-api-key", "--role", "reader"], env).stdout.strip()
        acknowledged: set[str] = set()
        errored: list[tuple[float, str]] = []
        attempts = 0
        lock = threading.Lock()
        with api_process(env, tmp_path) as base:
            def client(n: int) -> None:
                nonlocal attempts
                with httpx.Client(base_url=base, headers={"authorization": f"Bearer {key}"}, timeout=30) as http:
                    for i in range(PER_CLIENT):
                        idem = f"failover-{n}-{i:04d}"
                        salary = {"role": "backend-developer", "amount": 100_000 + i, "currency": "USD",
                                  "country": "US", "experienceYears": 3, "idempotencyKey": idem}
                        for _ in range(60):  # a client that saw an error sends the same key again
                            with lock:
                                attempts += 1
                            try:
                                body = http.post("/graphql", json={"query": SUBMIT, "variables": {"input": salary}}).json()
                            except httpx.HTTPError as exc:
                                with lock:
                                    errored.append((time.monotonic(), type(exc).__name__))
                                continue
                            if "errors" in body:
                                with lock:
                                    errored.append((time.monotonic(), body["errors"][0]["extensions"]["code"]))
                                time.sleep(0.2)
                                continue
                            assert body["data"]["submitSalary"]["userErrors"] == [], body
                            with lock:
                                acknowledged.add(idem)
                            break
                        time.sleep(0.02)

            threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
            for thread in threads:
                thread.start()
            eventually(lambda: len(acknowledged) >= 40, 60, "submissions to flow")
            primary = rs.primary()
            assert primary is not None
            killed_at = time.monotonic()
            primary.kill()
            new_primary = eventually(lambda: (p := rs.primary()) is not None and p is not primary and p, 60,
                                     "a new primary")
            elected_s = time.monotonic() - killed_at
            for thread in threads:
                thread.join(180)
            codes = {code for _, code in errored}
            assert len(acknowledged) == CLIENTS * PER_CLIENT  # every client got through in the end
            assert codes <= {"SERVICE_UNAVAILABLE", "TIMEOUT"}, codes  # no 500, no leak
            back = httpx.get(f"{base}/readyz", timeout=10)
            assert back.status_code == 200
        with MongoClient(rs.url) as mongo:
            stored = list(mongo["failover"]["salary_observations"].find({"source": "careergraph-submissions"},
                                                                        {"content_hash": 1}))
            mongo.drop_database("failover")
        assert len(stored) == len(acknowledged) == len({d["content_hash"] for d in stored})  # all, once
        recovered_s = max((t for t, _ in errored), default=killed_at) - killed_at
        print(f"\nfailover: new primary {new_primary.host} elected {elected_s:.1f} s after the SIGKILL; "
              f"{len(errored)} of {attempts} requests errored ({sorted(codes)}), the last {recovered_s:.1f} s "
              f"after the kill; {len(stored)} submissions stored, each once")
