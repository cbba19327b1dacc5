"""Every GraphQL and shell example of the README and the docs pages runs against a fresh instance (the
seed, the OEWS wages and the ECB rates, as a fresh `make run` has them) and answers: no error, no empty
answer. One API and one worker serve the whole module; a page that says to load the levels.fyi sample
loads it with its own example, and runs after the pages that load nothing. The convention (which blocks
run, how one is marked as not runnable here) is in docs/contributing.md, "Examples in the docs"."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import redis as sync_redis
from pymongo import MongoClient

from service.platform.config import Settings
from tests.e2e.processes import HTTP, api_process, cli, env_for, eventually, queue_idle, worker_process
from tests.factories.doc_examples import (
    DOCUMENTED_API,
    ROOT,
    Example,
    emptiness,
    in_run_order,
    runnable,
    unexplained_errors,
)
from tests.factories.servers import Servers

pytestmark = pytest.mark.e2e
EXAMPLES = runnable()
#: Fewer runnable examples than this means some stopped being collected (a renamed fence, a moved page).
FLOOR = 40
DB = "doc_examples"


@dataclass(frozen=True)
class Instance:
    base: str
    settings: Settings
    key: str  # an admin key: examples answer in full
    shell_env: dict[str, str]
    scratch: Path

    def idle(self, what: str) -> None:
        eventually(lambda: queue_idle(self.settings), 180, f"the worker to finish after {what}")


@pytest.fixture(scope="module")
def instance(servers: Servers, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Instance]:
    settings = Settings(mongodb_url=servers.mongodb_url, redis_url=servers.redis_url, mongodb_db=DB)
    client = sync_redis.Redis.from_url(servers.redis_url)
    client.flushdb()
    with MongoClient(servers.mongodb_url) as mongo:
        mongo.drop_database(DB)
    # Budgets of its own: the examples must answer, however busy the machine (a first nextMoves computes its
    # candidates, several seconds beside the rest of the suite).
    env = env_for(servers.mongodb_url, servers.redis_url, DB, CAREERGRAPH_LOAD_OFFICIAL="true",
                  CAREERGRAPH_EXECUTION_TIMEOUT="60", CAREERGRAPH_MONGODB_TIMEOUT="50", CAREERGRAPH_REDIS_TIMEOUT="20")
    logs = tmp_path_factory.mktemp("doc-examples-logs")
    loaded = cli(["init"], env, timeout=600)  # the seed, OEWS May 2025 and the ECB rates, as `make run` loads them
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    scratch = tmp_path_factory.mktemp("doc-examples")
    for name in (".venv", "tests"):  # what the examples name, relative to the repository's root
        (scratch / name).symlink_to(ROOT / name)
    shell_env = {**env, "PATH": f"{scratch / '.venv' / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
                 "CAREERGRAPH_DATA_DIR": str(scratch / ".careergraph")}
    try:
        with api_process(env, logs) as base, worker_process(env, logs / "worker.log"):
            key = cli(["create-api-key", "--role", "admin"], env).stdout.strip()
            found = Instance(base, settings, key, shell_env, scratch)
            found.idle("the first start's loading")
            yield found
    finally:
        client.flushdb()
        client.close()
        with MongoClient(servers.mongodb_url) as mongo:
            mongo.drop_database(DB)


def pointed_at(text: str, instance: Instance) -> str:
    return DOCUMENTED_API.sub(instance.base.removeprefix("http://"), text)


def run_shell(example: Example, instance: Instance) -> None:
    done = subprocess.run(["bash", "-c", "set -euo pipefail\n" + pointed_at(example.text, instance)],
                          cwd=instance.scratch, env=instance.shell_env, capture_output=True, text=True,
                          timeout=300, check=False)
    said = f"\n--- stdout\n{done.stdout[-3000:]}\n--- stderr\n{done.stderr[-3000:]}"
    assert done.returncode == 0, f"{example.name} exited {done.returncode}{said}"
    assert done.stdout.strip(), f"{example.name} printed nothing{said}"
    unexplained = unexplained_errors(done.stdout, example)
    assert unexplained == [], f"{example.name} answered errors it does not show: {unexplained}{said}"
    instance.idle(example.name)


def run_query(example: Example, instance: Instance) -> None:
    answer = HTTP.post(f"{instance.base}/graphql", json={"query": example.text},
                       headers={"authorization": f"Bearer {instance.key}"}, timeout=60)
    body = answer.json()
    assert "errors" not in body, f"{example.name}: {json.dumps(body['errors'])[:2000]}"
    empty = emptiness(body.get("data"))
    assert empty == [], f"{example.name} answered nothing useful: {empty}\n{json.dumps(body)[:2000]}"


async def next_notice(example: Example, instance: Instance) -> dict[str, Any]:
    """Subscribe as the example says, then ask for recomputes until a notice arrives."""
    from websockets.asyncio.client import connect

    url = instance.base.replace("http://", "ws://") + "/graphql"
    async with connect(url, subprotocols=["graphql-transport-ws"], open_timeout=10) as ws:  # type: ignore[list-item]
        await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {instance.key}"}}))
        assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "connection_ack"
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": example.text}}))
        for _ in range(6):  # a recompute that finished before the subscription listened goes unheard: ask again
            recompute = await asyncio.to_thread(
                HTTP.post, f"{instance.base}/graphql", json={"query": "mutation { requestRecompute { queued } }"},
                headers={"authorization": f"Bearer {instance.key}"}, timeout=30)
            assert "errors" not in recompute.json(), recompute.text
            try:
                message: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), 15))
            except TimeoutError:
                continue
            await ws.send(json.dumps({"id": "1", "type": "complete"}))
            return message
    raise AssertionError(f"{example.name}: no notice after six recomputes")


def run_subscription(example: Example, instance: Instance) -> None:
    message = asyncio.run(next_notice(example, instance))
    assert message["type"] == "next" and "errors" not in message["payload"], message
    assert emptiness(message["payload"].get("data")) == [], message
    instance.idle(example.name)


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_example(example: Example, instance: Instance) -> None:
    if example.lang == "sh":
        run_shell(example, instance)
    elif example.subscription:
        run_subscription(example, instance)
    else:
        run_query(example, instance)


def test_the_examples_are_collected_and_every_other_block_says_why_it_is_not_run() -> None:
    every = [e for e in in_run_order() if e.lang in ("graphql", "sh")]
    marked = [e for e in every if e.not_run]
    print(f"\ndoc examples: {len(EXAMPLES)} to run "
          f"({sum(e.lang == 'graphql' for e in EXAMPLES)} GraphQL, {sum(e.lang == 'sh' for e in EXAMPLES)} shell), "
          f"{len(marked)} marked not run: " + "; ".join(f"{e.name} ({e.not_run})" for e in marked))
    assert len(EXAMPLES) >= FLOOR, f"only {len(EXAMPLES)} runnable examples found; the floor is {FLOOR}"
    assert {e.page for e in EXAMPLES} >= {"README.md"}, "the README's tour is run"
    assert all(re.fullmatch(r"\S.{4,}", e.not_run or "") for e in marked), "a marked block gives its reason"
