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


def child_env(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    env["MONGODB_URL"] = settings.mongodb_url or ""
    env["REDIS_URL"] = settings.redis_url or ""
    env["PYTHONUNBUFFERED"] = "1"
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
    children: list[Popen[bytes]] = []
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
            children = [spawn_command(["serve"], env), spawn_command(["worker"], env)]
            print(
                f"careergraph is up: GraphQL http://{settings.host}:{settings.port}/graphql  "
                f"ready http://{settings.host}:{settings.port}/readyz  (Ctrl-C stops everything)",
                flush=True,
            )
            code = _wait(children, stop)
            for child in children:
                stop_process(child, timeout=15.0)
            return code
    finally:
        withdraw(settings)
        for child in children:
            stop_process(child, timeout=5.0)
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _describe_embedded(mongo: bool, redis: bool, settings: Settings) -> str:
    parts = []
    if mongo:
        parts.append(f"MongoDB {settings.mongodb_url} (data in {settings.data_dir}/mongodb)")
    if redis:
        parts.append(f"Redis {settings.redis_url} (in memory)")
    return "embedded servers: " + "; ".join(parts)


def _wait(children: list[Popen[bytes]], stop: StopRequested) -> int:
    while stop.signal is None:
        for child in children:
            if child.poll() is not None:
                print(f"careergraph: a child process exited with code {child.returncode}; "
                      "stopping everything", file=sys.stderr, flush=True)
                return 1
        time.sleep(0.2)
    print("careergraph: stopping", flush=True)
    return 0
