"""Start the real careergraph commands as subprocesses on free ports, and stop them."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import redis

from service.jobs import QUEUE_NAME, in_progress_key
from service.platform.config import Settings
from service.platform.embedded import free_port
from service.store import change_marks
from tests.factories.paths import LEVELS_FYI_SAMPLE

#: The helpers' HTTP client. `httpx.get` and `httpx.post` build a client, and its TLS context, for
#: every call (30 ms of CPU: a third of a core in a loop that polls every 0.1 s); this one is built
#: once and still opens a fresh connection for each request, as they do. Usable from any thread.
HTTP = httpx.Client(limits=httpx.Limits(max_keepalive_connections=0))


def careergraph_env(**overrides: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("CAREERGRAPH_") and k not in ("MONGODB_URL", "REDIS_URL")}
    env["PYTHONUNBUFFERED"] = "1"
    env["CAREERGRAPH_WEB_CONCURRENCY"] = "1"  # one API process a test, unless it asks for more
    env["CAREERGRAPH_LOAD_OFFICIAL"] = "false"  # 20 s of OEWS per first start: one test asks for it
    for key, value in overrides.items():
        if value is not None:
            env[key] = value
    return env


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with open(log, "ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "service", *args], env=env, stdout=out,
            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        )


def stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM, timeout: float = 20) -> int:
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(proc.pid, sig)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode


def wait_http(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 60,
              status: int = 200) -> httpx.Response:
    deadline = time.monotonic() + timeout
    last: httpx.Response | None = None
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"process exited with {proc.returncode}:\n{log.read_text()}")
        with contextlib.suppress(httpx.HTTPError):
            last = HTTP.get(url, timeout=2)
            if last.status_code == status:
                return last
        time.sleep(0.1)
    raise AssertionError(f"{url} never returned {status} (last {last}):\n{log.read_text()}")


@contextlib.contextmanager
def api_process(env: dict[str, str], log_dir: Path) -> Iterator[str]:
    """`careergraph serve` on a free port; yields its base URL once /healthz answers."""
    port = free_port()
    env = {**env, "CAREERGRAPH_PORT": str(port)}
    log = log_dir / f"api-{port}.log"
    proc = start(["serve"], env, log)
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz", proc, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)


def children_of(pid: int) -> list[int]:
    """Direct children of `pid`, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def command_name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def cli(args: list[str], env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run one `careergraph` command to its end; the caller checks the result."""
    return subprocess.run([sys.executable, "-m", "service", *args], env=env, text=True,
                          capture_output=True, timeout=timeout, check=False)


@contextlib.contextmanager
def worker_process(env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`careergraph worker`; yields the process (the worker runs in it, not in a child)."""
    proc = start(["worker"], env, log)
    try:
        yield proc
    finally:
        stop(proc)


def graphql(base: str, query: str, variables: dict[str, Any] | None = None, key: str | None = None,
            timeout: float = 15) -> httpx.Response:
    headers = {"authorization": f"Bearer {key}"} if key else {}
    return HTTP.post(f"{base}/graphql", json={"query": query, "variables": variables or {}},
                      headers=headers, timeout=timeout)


def eventually(check: Callable[[], Any], timeout_s: float = 30, what: str = "condition") -> Any:
    """Poll `check` until it returns something truthy; fail after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while True:
        found = check()
        if found:
            return found
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def queue_idle(settings: Settings) -> bool:
    """Nothing queued, nothing running, no role awaiting a recompute."""
    client = redis.Redis.from_url(settings.redis_url or "")
    try:
        return not client.zcard(QUEUE_NAME) and not client.keys(in_progress_key("*")) \
            and not client.hlen(change_marks.INPUTS_CHANGED)
    finally:
        client.close()


SUBMIT = "mutation ($input: SubmitSalaryInput!) { submitSalary(input: $input) { created userErrors { code } } }"


def env_for(mongodb_url: str, redis_url: str, db: str, **extra: str) -> dict[str, str]:
    return careergraph_env(MONGODB_URL=mongodb_url, REDIS_URL=redis_url, MONGODB_DB=db,
                           CAREERGRAPH_FULL_RECOMPUTE_AT="off", CAREERGRAPH_RATE_LIMIT_POINTS="0", **extra)


def stocked(env: dict[str, str]) -> None:
    """Seed, import the sample salaries and compute every summary (no worker needed)."""
    for args in (["seed"], ["import", "salaries", str(LEVELS_FYI_SAMPLE)], ["recompute"]):
        done = cli(args, env)
        assert done.returncode == 0, done.stdout + done.stderr


def admin_key(env: dict[str, str]) -> str:
    return cli(["create-api-key", "--role", "admin"], env).stdout.strip()


def run_cli(args: list[str], settings: Settings) -> subprocess.CompletedProcess[str]:
    """One `careergraph` command against the test's own database and Redis."""
    return cli(args, careergraph_env(MONGODB_URL=settings.mongodb_url, REDIS_URL=settings.redis_url,
                                     MONGODB_DB=settings.mongodb_db))
