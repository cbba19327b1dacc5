"""The processes a benchmark runs against: MongoDB and Redis (embedded in a scratch directory
unless MONGODB_URL / REDIS_URL are set), the API and the worker as real child processes, and the
load generator in its own process. Memory (VmRSS now, VmHWM peak) and CPU time are read from /proc."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from service.platform.config import Settings
from service.platform.embedded import spawn, stop_process
from service.tools.bench import wrk
from service.tools.servers import embedded_for

LOAD_CLIENT = Path(__file__).with_name("load.py")

BENCH_DB = "careergraph_bench"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def memory_mb(pid: int) -> dict[str, float]:
    """Resident memory now (rss) and its peak (hwm) in MB, from /proc/<pid>/status."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found["rss" if name == "VmRSS" else "hwm"] = round(int(value.split()[0]) / 1024, 1)
    return found


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used, from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Stack:
    settings: Settings  # URLs set, database BENCH_DB
    port: int = field(default_factory=free_port)
    api: subprocess.Popen[bytes] | None = None
    worker: subprocess.Popen[bytes] | None = None
    log_dir: Path = Path(".")
    processes: int = 1  # API processes (CAREERGRAPH_WEB_CONCURRENCY)
    mongod_pid: int | None = None  # the embedded mongod (None: MONGODB_URL's server, out of reach)
    api_env: dict[str, str] = field(default_factory=dict)  # settings a scenario gives the API (restart_api)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        return {**os.environ, "MONGODB_URL": self.settings.mongodb_url or "",
                "REDIS_URL": self.settings.redis_url or "", "MONGODB_DB": self.settings.mongodb_db,
                "CAREERGRAPH_PORT": str(self.port), "CAREERGRAPH_BENCH_ENDPOINTS": "1",
                # one load generator is one client: the rate limit would measure itself
                "CAREERGRAPH_RATE_LIMIT_POINTS": "0",
                "CAREERGRAPH_LOG_LEVEL": "warning", "CAREERGRAPH_FULL_RECOMPUTE_AT": "off",
                "CAREERGRAPH_WEB_CONCURRENCY": str(self.processes),
                "PYTHONUNBUFFERED": "1", **self.api_env}

    def start_api(self) -> None:
        log = self.log_dir / ("api.log" if self.processes == 1 else f"api-{self.processes}-processes.log")
        self.api = spawn([sys.executable, "-m", "service", "serve"], log, env=self.env())
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(f"{self.base}/readyz", timeout=1) as answer:
                    if answer.status == 200:
                        return
            if self.api.poll() is not None:
                break
            time.sleep(0.1)
        raise RuntimeError(f"the API did not become ready; see {log}")

    def restart_api(self, **settings: str) -> None:
        """The API again with these settings (CAREERGRAPH_... variables) on top of the bench's."""
        if self.api is not None:
            stop_process(self.api, timeout=10)
        self.api_env = settings
        self.start_api()

    def start_worker(self) -> None:
        self.stop_worker()
        self.worker = spawn([sys.executable, "-m", "service", "worker"], self.log_dir / "worker.log",
                            env=self.env())

    def stop_worker(self) -> None:
        if self.worker is not None:
            stop_process(self.worker, timeout=10)
            self.worker = None

    def stop(self) -> None:
        self.stop_worker()
        if self.api is not None:
            stop_process(self.api, timeout=10)
            self.api = None

    def post(self, body: dict[str, Any], key: str | None = None,
             path: str = "/graphql") -> tuple[bytes, float]:
        """One request from the bench process; returns the body and the seconds it took."""
        headers = {"content-type": "application/json", **({"authorization": f"Bearer {key}"} if key else {})}
        request = urllib.request.Request(f"{self.base}{path}", json.dumps(body).encode(), headers)
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=120) as answer:
            payload: bytes = answer.read()
        return payload, time.perf_counter() - started

    def _load_command(self, body: str, duration_s: float, concurrency: int, rate: float | None,
                      path: str, headers: dict[str, str] | None) -> list[str]:
        spec = {"host": "127.0.0.1", "port": self.port, "path": path, "body": body,
                "duration_s": duration_s, "concurrency": concurrency, "rate": rate, "headers": headers or {}}
        # the file itself, not `-m service.tools.bench.load`: the package would import the whole bench
        # (pymongo, numpy, ...) into a client that needs the standard library only; -P keeps the
        # bench's own folder off its path
        return [sys.executable, "-P", str(LOAD_CLIENT), json.dumps(spec)]

    def load(self, body: str, duration_s: float, concurrency: int = 16, rate: float | None = None,
             path: str = "/graphql", headers: dict[str, str] | None = None) -> dict[str, Any]:
        """Run a load generator in its own process and return its result: wrk for closed-loop rounds
        of a fixed body where it is installed, else (and for open loops) the Python client."""
        if rate is None and "__N__" not in body and wrk.available():
            return wrk.run(f"{self.base}{path}", body, duration_s, concurrency, headers or {})
        done = subprocess.run(self._load_command(body, duration_s, concurrency, rate, path, headers),
                              capture_output=True, text=True, timeout=duration_s + 120, check=True)
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        return {**result, "generator": "python"}

    def start_load(self, body: str, duration_s: float, concurrency: int, rate: float | None,
                   headers: dict[str, str] | None = None) -> subprocess.Popen[str]:
        """The load generator in the background (e.g. writes while reads are measured)."""
        return subprocess.Popen(self._load_command(body, duration_s, concurrency, rate, "/graphql", headers),
                                stdout=subprocess.PIPE, text=True)


@contextlib.contextmanager
def servers(settings: Settings, scratch: Path) -> Iterator[tuple[Settings, int | None]]:
    """Settings for the bench database on the given servers, or on embedded ones in `scratch`; and
    the embedded mongod's process id (its CPU time is read beside the worker's)."""
    scoped = Settings(**{**vars(settings), "data_dir": scratch, "mongodb_db": BENCH_DB})
    with embedded_for(scoped) as (ready, started):
        mongo = started.mongo
        yield ready, mongo.process.pid if mongo is not None and mongo.process is not None else None
