"""`careergraph up`: embedded servers where needed, then the API and the worker as children.

Stopping order on Ctrl-C or SIGTERM: API and worker first, then Redis and MongoDB, so nothing
writes to a store that is already gone. Every child dies with us even on SIGKILL (see embedded).
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections.abc import Callable
from subprocess import Popen
from types import FrameType

from service.platform.config import Settings
from service.platform.embedded import spawn, stop_process
from service.platform.resources import check_reachable
from service.tools.servers import advertise, embedded_for, withdraw

MAX_RESTARTS = 5
RESTART_WINDOW_S = 60.0
MAX_BACKOFF_S = 8.0


def child_env(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    env["MONGODB_URL"] = settings.mongodb_url or ""
    env["REDIS_URL"] = settings.redis_url or ""
    env["PYTHONUNBUFFERED"] = "1"
    env.setdefault("CAREERGRAPH_WEB_CONCURRENCY", "1")  # `up` is one machine's development stack
    return env


def spawn_command(args: list[str], env: dict[str, str]) -> Popen[bytes]:
    """A careergraph subcommand as a child process whose output goes to our terminal."""
    return spawn([sys.executable, "-m", "service", *args], env=env, inherit_output=True)


class StopRequested:
    def __init__(self) -> None:
        self.signal: int | None = None

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        self.signal = signum


def run_up(settings: Settings, prepare: Callable[[Settings], None] | None = None) -> int:
    """Run everything until a signal or a child's exit; return the exit code."""
    stop = StopRequested()
    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    children: list[Child] = []
    try:
        with embedded_for(settings) as (settings, servers):
            if servers.mongo or servers.redis:
                print(_describe_embedded(servers.mongo is not None, servers.redis is not None,
                                         settings), flush=True)
            asyncio.run(check_reachable(settings))
            if prepare is not None:
                prepare(settings)
            advertise(settings)
            env = child_env(settings)
            children = [Child(["serve"], env), Child(["worker"], env)]
            print(
                f"careergraph is up: GraphQL http://{settings.host}:{settings.port}/graphql  "
                f"ready http://{settings.host}:{settings.port}/readyz  (Ctrl-C stops everything)",
                flush=True,
            )
            code = _wait(children, stop)
            for child in children:
                child.stop(timeout=15.0)
            return code
    finally:
        withdraw(settings)
        for child in children:
            child.stop(timeout=5.0)
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _describe_embedded(mongo: bool, redis: bool, settings: Settings) -> str:
    parts = []
    if mongo:
        parts.append(f"MongoDB {settings.mongodb_url} (data in {settings.data_dir}/mongodb)")
    if redis:
        kind = ", a master, a replica and three sentinels" if settings.embedded_redis == "sentinel" else ""
        parts.append(f"Redis {settings.redis_url} (in memory{kind})")
    return "embedded servers: " + "; ".join(parts)


class Child:
    """A careergraph command run as a child, restarted when it dies: after 1, 2, 4... s (at most
    `MAX_BACKOFF_S`), at most `MAX_RESTARTS` times within `RESTART_WINDOW_S`."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.args, self.env = args, env
        self.process = spawn_command(args, env)
        self.restarts: list[float] = []
        self.due: float | None = None  # when a restart is due

    @property
    def name(self) -> str:
        return " ".join(self.args)

    def check(self, now: float) -> bool:
        """Restart the child if it died; False once it died too often."""
        if self.due is not None:
            if now >= self.due:
                self.due = None
                self.process = spawn_command(self.args, self.env)
            return True
        if self.process.poll() is None:
            return True
        self.restarts = [t for t in self.restarts if now - t < RESTART_WINDOW_S] + [now]
        code = self.process.returncode
        if len(self.restarts) > MAX_RESTARTS:
            print(f"careergraph: `{self.name}` exited with code {code} {MAX_RESTARTS + 1} times in "
                  f"{RESTART_WINDOW_S:g} s; stopping everything", file=sys.stderr, flush=True)
            return False
        delay = min(MAX_BACKOFF_S, 2.0 ** (len(self.restarts) - 1))
        print(f"careergraph: `{self.name}` exited with code {code}; restarting it in {delay:g} s",
              file=sys.stderr, flush=True)
        self.due = now + delay
        return True

    def stop(self, timeout: float) -> None:
        self.due = None
        stop_process(self.process, timeout=timeout)


def _wait(children: list[Child], stop: StopRequested) -> int:
    while stop.signal is None:
        now = time.monotonic()
        if not all(child.check(now) for child in children):
            return 1
        time.sleep(0.2)
    print("careergraph: stopping", flush=True)
    return 0
