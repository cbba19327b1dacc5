"""The benchmark's load generator, run as its own process so it never shares the server's core
budget unseen: `python -P service/tools/bench/load.py '<spec as JSON>'` prints one JSON result.

A keep-alive HTTP/1.1 client on raw asyncio streams (uvloop when present): the cheapest client
Python offers, so that the server, not the client, is what is measured. It reports its own CPU
time; a client near one full core means the figures are a floor on the server's capacity.

Two shapes:
- closed loop (`concurrency` connections, each sending its next request when the last answers),
  for maximum throughput;
- open loop (`rate` requests a second on a fixed schedule), for latency at a given load: each
  latency is measured from the request's scheduled time, so a stalled server is not hidden by a
  client that waits for it (no coordinated omission).

A body may contain `__N__`, replaced by a counter unique within the run (e.g. idempotency keys).
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Spec:
    host: str
    port: int
    path: str
    body: str
    duration_s: float
    concurrency: int = 16
    rate: float | None = None  # requests a second (open loop); None: closed loop
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    counter: int = 0


def _request(spec: Spec, tally: Tally) -> bytes:
    body = spec.body
    if "__N__" in body:
        tally.counter += 1
        body = body.replace("__N__", str(tally.counter))
    return request_bytes(spec.host, spec.port, spec.path, body.encode(), spec.headers)


def request_bytes(host: str, port: int, path: str, payload: bytes, headers: dict[str, str]) -> bytes:
    head = [f"POST {path} HTTP/1.1", f"host: {host}:{port}", "content-type: application/json",
            f"content-length: {len(payload)}", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + payload


async def exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                   raw: bytes) -> tuple[int, bytes]:
    """Send one request on a kept-alive connection; the answer's status and body."""
    writer.write(raw)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    lower = head.lower()
    start = lower.find(b"content-length:")
    if start < 0:
        raise ValueError("response without content-length")
    length = int(lower[start + 15:lower.find(b"\r\n", start)])
    return status, await reader.readexactly(length)


class _Connection:
    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def send(self, tally: Tally, started: float) -> None:
        try:
            if self.streams is None:
                self.streams = await asyncio.open_connection(self.spec.host, self.spec.port)
            status, _ = await exchange(*self.streams, _request(self.spec, tally))
        except (OSError, ValueError, asyncio.IncompleteReadError):
            tally.errors += 1
            self.close()
            return
        key = str(status)
        tally.statuses[key] = tally.statuses.get(key, 0) + 1
        if status >= 400:
            tally.errors += 1
        tally.latencies.append(time.perf_counter() - started)

    def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


async def closed_loop(spec: Spec, tally: Tally) -> None:
    deadline = time.perf_counter() + spec.duration_s

    async def client() -> None:
        connection = _Connection(spec)
        while time.perf_counter() < deadline:
            await connection.send(tally, time.perf_counter())
        connection.close()

    await asyncio.gather(*(client() for _ in range(spec.concurrency)))


async def open_loop(spec: Spec, tally: Tally) -> None:
    assert spec.rate
    queue: asyncio.Queue[float | None] = asyncio.Queue()
    start = time.perf_counter()
    total = int(spec.duration_s * spec.rate)

    async def schedule() -> None:
        for i in range(total):
            due = start + i / spec.rate  # type: ignore[operator]
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            queue.put_nowait(due)
        for _ in range(spec.concurrency):
            queue.put_nowait(None)

    async def client() -> None:
        connection = _Connection(spec)
        while (due := await queue.get()) is not None:
            await connection.send(tally, due)
        connection.close()

    await asyncio.gather(schedule(), *(client() for _ in range(spec.concurrency)))


def percentile_ms(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 3)


async def run(spec: Spec) -> dict[str, Any]:
    tally = Tally()
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    await (open_loop(spec, tally) if spec.rate else closed_loop(spec, tally))
    wall = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    done = len(tally.latencies)
    return {"requests": done, "errors": tally.errors, "statuses": tally.statuses, "wall_s": round(wall, 3),
            "rps": round(done / wall, 1) if wall else 0.0,
            "p50_ms": percentile_ms(tally.latencies, 0.50), "p99_ms": percentile_ms(tally.latencies, 0.99),
            "max_ms": percentile_ms(tally.latencies, 1.0),
            "client_cpu_s": round(cpu, 3), "client_cpu_share": round(cpu / wall, 3) if wall else 0.0}


def main(argv: list[str]) -> int:
    spec = Spec(**json.loads(argv[1]))
    try:
        import uvloop  # a faster event loop keeps the client cheaper than the server it measures

        result = uvloop.run(run(spec))
    except ImportError:
        result = asyncio.run(run(spec))
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
