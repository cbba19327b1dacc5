"""Closed-loop throughput rounds driven by wrk (Debian's `wrk` package), when it is installed.

wrk is written in C with one event loop per thread, so on a small machine it costs the server
far less CPU than the Python client does; the bench uses it for its fixed-body throughput rounds
and keeps the Python client (`load`) for open-loop latency (wrk has no fixed-rate mode) and for
bodies that change per request. Set CAREERGRAPH_BENCH_CLIENT=python to use the Python client
throughout. The result has the Python client's keys, so the scenarios do not tell them apart.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

THREADS = 2

_SCRIPT = """
wrk.method = "POST"
wrk.body = %(body)s
wrk.headers["content-type"] = "application/json"
%(headers)s
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%%d,"duration_us":%%d,"socket_errors":%%d,"non2xx":%%d,"p50_us":%%d,"p99_us":%%d,"max_us":%%d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99), latency.max))
end
"""


def _lua_string(text: str) -> str:
    if not text.isascii():
        raise ValueError("wrk bodies and headers must be ASCII")
    return json.dumps(text)  # for ASCII text a JSON string literal is also a Lua one


def available() -> bool:
    return os.environ.get("CAREERGRAPH_BENCH_CLIENT", "") != "python" and shutil.which("wrk") is not None


def run(url: str, body: str, duration_s: float, concurrency: int, headers: dict[str, str]) -> dict[str, Any]:
    """One closed-loop round; the result in the Python client's shape, plus `generator`."""
    extra = "\n".join(f"wrk.headers[{_lua_string(k)}] = {_lua_string(v)}" for k, v in headers.items())
    with tempfile.TemporaryDirectory(prefix="careergraph-wrk-") as scratch:
        script = Path(scratch) / "post.lua"
        script.write_text(_SCRIPT % {"body": _lua_string(body), "headers": extra})
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run(
            ["wrk", f"-t{min(THREADS, concurrency)}", f"-c{concurrency}", f"-d{max(1, round(duration_s))}s",
             "--timeout", "10s", "-s", str(script), url],
            capture_output=True, text=True, timeout=duration_s + 60, check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    found = json.loads(next(line for line in done.stdout.splitlines() if line.startswith("{")))
    wall = found["duration_us"] / 1e6
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    ok = found["requests"] - found["non2xx"]
    return {"requests": found["requests"], "errors": found["socket_errors"] + found["non2xx"],
            "statuses": {"200": ok, "other": found["non2xx"]}, "wall_s": round(wall, 3),
            "rps": round(found["requests"] / wall, 1) if wall else 0.0,
            "p50_ms": round(found["p50_us"] / 1000, 3), "p99_ms": round(found["p99_us"] / 1000, 3),
            "max_ms": round(found["max_us"] / 1000, 3), "client_cpu_s": round(cpu, 3),
            "client_cpu_share": round(cpu / wall, 3) if wall else 0.0, "generator": "wrk"}
