"""Nothing lost: thousands of concurrent submissions with repeats and bad ones, and an import
killed halfway then run again."""

from __future__ import annotations

import asyncio
import csv
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import httpx
import pytest
from pymongo import MongoClient

from service.platform.config import Settings
from service.tools.bench.load import exchange, request_bytes
from tests.e2e.processes import api_process, cli, env_for, eventually, queue_idle, start, worker_process
from tests.factories.servers import sized

Answer = tuple[str, dict[str, Any], int, dict[str, Any]]
ROLES = ("backend-developer", "frontend-developer", "devops-engineer")
SUBMIT_FULL = """mutation ($input: SubmitSalaryInput!) { submitSalary(input: $input) {
  created observation { id } userErrors { field code } } }"""
BAD_INPUTS: tuple[tuple[dict[str, Any], str], ...] = (
    ({"currency": "XXZ"}, "currency"),
    ({"experienceYears": -3}, "experienceYears"),
    ({"country": "ZZ"}, "country"),
    ({"amount": -5}, "amount"),
    ({"role": "no-such-role"}, "role"),
    ({"idempotencyKey": "short"}, "idempotencyKey"),
)


def calls_for(total: int, seed: int = 7) -> tuple[list[tuple[str, dict[str, Any]]], dict[str, dict[str, Any]]]:
    """`total` calls: 70% unique, 20% repeats of those (same figures), 10% invalid; shuffled."""
    rng = random.Random(seed)
    unique = {}
    for i in range(int(total * 0.7)):
        key = f"lost-test-{i:06d}"
        unique[key] = {"role": ROLES[i % len(ROLES)], "amount": float(rng.randint(40_000, 250_000)),
                       "currency": rng.choice(("USD", "EUR")), "country": rng.choice(("US", "DE", "GB")),
                       "experienceYears": float(rng.randint(0, 20)), "idempotencyKey": key}
    calls = [("valid", v) for v in unique.values()]
    keys = list(unique)
    calls += [("repeat", unique[rng.choice(keys)]) for _ in range(int(total * 0.2))]
    while len(calls) < total:
        change, _ = BAD_INPUTS[len(calls) % len(BAD_INPUTS)]
        base = unique[rng.choice(keys)]
        calls.append(("invalid", {**base, **change, "idempotencyKey": change.get("idempotencyKey",
                                                                                 f"bad-{len(calls):07d}")}))
    rng.shuffle(calls)
    return calls, unique


async def send_all(bases: list[str], key: str, calls: list[tuple[str, dict[str, Any]]],
                   clients: int = 200) -> tuple[list[Answer], set[str]]:
    """`clients` concurrent clients (each its own kept-alive connection, alternating between the APIs)
    share the calls. A call whose connection failed is sent again, as a client holding an idempotency
    key should. Returns the answers and the keys that were retried. The clients speak raw HTTP/1.1
    (the bench's client): through httpx the run cost 56 s of CPU in all, 23 s this way."""
    retried: set[str] = set()
    answers: list[Answer] = []
    headers = {"authorization": f"Bearer {key}"}

    async def client_lane(lane: int) -> None:
        port = int(bases[lane % len(bases)].rsplit(":", 1)[1])
        streams: list[Any] = []
        try:
            for kind, salary in calls[lane::clients]:
                answers.append(await one(port, streams, kind, salary))
        finally:
            if streams:
                streams[1].close()

    async def one(port: int, streams: list[Any], kind: str, salary: dict[str, Any]) -> Answer:
        payload = json.dumps({"query": SUBMIT_FULL, "variables": {"input": salary}}).encode()
        raw = request_bytes("127.0.0.1", port, "/graphql", payload, headers)
        for attempt in range(5):
            try:
                if not streams:
                    streams.extend(await asyncio.open_connection("127.0.0.1", port))
                status, body = await asyncio.wait_for(exchange(streams[0], streams[1], raw), 60)
                return kind, salary, status, json.loads(body)
            except (OSError, TimeoutError, asyncio.IncompleteReadError):  # e.g. a connection the server closed
                retried.add(salary["idempotencyKey"])
                if streams:
                    streams.pop(1).close()
                    streams.clear()
                await asyncio.sleep(0.05 * (attempt + 1))
        raise AssertionError(f"no answer after 5 tries: {salary}")

    await asyncio.gather(*(client_lane(lane) for lane in range(clients)))
    assert len(answers) == len(calls)
    return answers, retried


async def test_concurrent_submissions_store_exactly_the_valid_unique_ones(
        settings: Settings, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    env = env_for(settings.mongodb_url or "", settings.redis_url or "", settings.mongodb_db)
    await asyncio.to_thread(cli, ["seed"], env)
    key = (await asyncio.to_thread(cli, ["create-api-key", "--role", "reader"], env)).stdout.strip()
    calls, unique = calls_for(sized(request.config, "submissions"))
    with api_process(env, tmp_path) as first, api_process(env, tmp_path) as second, \
            worker_process(env, tmp_path / "worker.log"):
        started = time.monotonic()
        answers, retried = await send_all([first, second], key, calls)
        elapsed = time.monotonic() - started
        created: Counter[str] = Counter()
        for kind, salary, status, body in answers:
            assert status == 200 and "errors" not in body, body
            payload = body["data"]["submitSalary"]
            if kind == "invalid":
                assert not payload["created"] and payload["observation"] is None and payload["userErrors"]
            else:
                assert payload["userErrors"] == [] and payload["observation"]["id"], payload
                created[salary["idempotencyKey"]] += payload["created"]
        assert set(created) == set(unique)
        # each key stored by exactly one call (a retried call may have been stored by its first try)
        assert all(n == 1 for k, n in created.items() if k not in retried)
        assert all(n <= 1 for n in created.values())
        with MongoClient(settings.mongodb_url) as client:
            observations = client[settings.mongodb_db]["salary_observations"]
            assert observations.count_documents({"source": "careergraph-submissions"}) == len(unique)
            stored = {role: observations.count_documents({"role": role}) for role in ROLES}
        await asyncio.to_thread(eventually, lambda: queue_idle(settings), 120, "the worker to settle")
        with MongoClient(settings.mongodb_url) as client:  # what the last release holds back (docs/privacy.md)
            db = client[settings.mongodb_db]
            waiting = {}
            for role in ROLES:
                release = (db["salary_summaries"].find_one({"role": role}, {"release": 1}) or {}).get("release") or {}
                admitted = set(release.get("admitted") or ())  # let in, settled by the next run
                waiting[role] = sum(1 for d in db["salary_observations"].find({"role": role, "release_hold": "new"},
                                                                              {"_id": 1}) if d["_id"] not in admitted)
        summarised: dict[str, int] = defaultdict(int)
        async with httpx.AsyncClient(base_url=first, timeout=30) as client:
            for role in ROLES:
                reply = await client.post("/graphql", json={"query": f'{{ salarySummaries(role: "{role}", '
                                                                     'level: ROLE) { count stale } }'})
                for row in reply.json()["data"]["salarySummaries"]:
                    assert not row["stale"]
                    summarised[role] += row["count"]
        # every stored submission is in the published counts, or waits for a release of its cell
        assert {role: summarised[role] + waiting[role] for role in ROLES} == stored
        print(f"{len(calls):,} submissions through two API processes in {elapsed:.1f} s; "
              f"{len(retried)} resent after a connection error")


def levels_csv(path: Path, rows: int) -> None:
    """A levels.fyi-shaped export with `rows` distinct rows."""
    with path.open("w", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(["company", "title", "totalyearlycompensation", "location", "yearsofexperience",
                         "yearsatcompany", "tag", "gender", "Education"])
        for i in range(rows):
            writer.writerow([f"Company {i % 97}", "Software Engineer", 90_000 + i, "Seattle, WA",
                             i % 15, i % 5, "Distributed Systems (Back-End)", "", ""])


def imported_count(settings: Settings) -> int:
    with MongoClient(settings.mongodb_url) as client:
        return client[settings.mongodb_db]["salary_observations"].count_documents({"source": "levels-fyi-export"})


def settled_count(settings: Settings) -> int:
    """The count once a batch MongoDB received before the kill has landed (nobody waits for it)."""
    counts = [imported_count(settings)]
    while len(counts) < 2 or counts[-1] != counts[-2]:
        time.sleep(0.5)
        counts.append(imported_count(settings))
    return counts[-1]


def test_an_import_killed_halfway_and_run_again_ends_exact(settings: Settings, tmp_path: Path) -> None:
    env = env_for(settings.mongodb_url or "", settings.redis_url or "", settings.mongodb_db)
    assert cli(["seed"], env).returncode == 0
    rows = 100_000
    export = tmp_path / "levels.csv"
    levels_csv(export, rows)
    log = tmp_path / "import.log"
    with MongoClient(settings.mongodb_url) as client:
        observations = client[settings.mongodb_db]["salary_observations"]
        proc = start(["import", "salaries", str(export)], env, log)
        try:
            deadline = time.monotonic() + 120
            while observations.count_documents({"source": "levels-fyi-export"}) < 10_000 and proc.poll() is None:
                assert time.monotonic() < deadline, "the import never wrote a batch"
                time.sleep(0.01)
            assert proc.poll() is None, "the import ended before it could be killed: make the file bigger"
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        finally:
            if proc.poll() is None:
                proc.kill()
    halfway = settled_count(settings)
    assert 0 < halfway < rows
    again = subprocess.run([sys.executable, "-m", "service", "import", "salaries", str(export)], env=env,
                           text=True, capture_output=True, timeout=300, check=False)
    assert again.returncode == 0, again.stdout + again.stderr
    assert imported_count(settings) == rows
    assert f"{rows - halfway} imported" in again.stdout and f"{halfway} duplicates skipped" in again.stdout
    with MongoClient(settings.mongodb_url) as client:
        observations = client[settings.mongodb_db]["salary_observations"]
        hashes = observations.distinct("content_hash", {"source": "levels-fyi-export"})
        assert len(hashes) == rows  # no duplicates
    print(f"killed with {halfway:,} of {rows:,} rows stored; the rerun reported:\n{again.stdout}")
