"""Read and recompute scenarios: each measures the product against its own floor in the same run,
side by side (alternating rounds where the two share the machine), and adds Outcomes."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from service.platform.resources import Resources
from service.store import database as c
from service.store import summary_cache
from service.summaries import reuse
from service.tools.bench.data import add_observations
from service.tools.bench.harness import (
    BENCH_ROLE,
    NEXT_MOVES_QUERY,
    NORMALISED_QUERY,
    OFFICIAL_QUERY,
    PAY_POSITION_QUERY,
    ROLE_QUERY,
    YEAR_QUERY,
    Bench,
    full_recompute,
    graphql_body,
)
from service.tools.bench.report import Outcome
from service.tools.bench.stack import cpu_seconds, memory_mb

# -- 1 and 6a: cached dashboard read against the bare endpoint --------------------------------------

def _against_floor(bench: Bench, body: str, measure: str) -> float:
    """Throughput of `body` through GraphQL against the bare endpoint serving its answer, in
    alternating rounds; adds the outcome and returns the bare maximum (requests a second)."""
    payload, _ = bench.stack.post(json.loads(body))
    if b'"errors"' in payload[:200]:
        raise RuntimeError(f"the benchmark's query failed: {payload[:300]!r}")
    bench.run(lambda r: r.redis.set(summary_cache.BENCH_FLOOR, payload))
    bench.stack.load(body, bench.sizes.warm_s, bench.sizes.concurrency)  # warm both paths
    bench.stack.load(body, bench.sizes.warm_s, bench.sizes.concurrency, path="/bench/floor")
    ratios, gql, floor = [], [], []
    for _ in range(bench.sizes.rounds):
        g = bench.stack.load(body, bench.sizes.round_s, bench.sizes.concurrency)
        f = bench.stack.load(body, bench.sizes.round_s, bench.sizes.concurrency, path="/bench/floor")
        gql.append(g)
        floor.append(f)
        ratios.append(g["rps"] / f["rps"] if f["rps"] else 0.0)
    floor_max = statistics.median(f["rps"] for f in floor)
    gql_rps = statistics.median(g["rps"] for g in gql)
    bench.add(Outcome(
        "1 cached read", measure, statistics.median(ratios), "x", ">= 0.8",
        stretch=">= 0.9", detail=f"{len(payload):,}-byte answer, {bench.sizes.concurrency} connections",
        figures={"graphql rps": round(gql_rps), "bare rps": round(floor_max),
                 "client cpu": f"{max(g['client_cpu_share'] for g in gql):.0%} of a core",
                 "errors": sum(g["errors"] for g in gql)}))
    return floor_max


def cached_read(bench: Bench) -> None:
    body = graphql_body(ROLE_QUERY, {"role": BENCH_ROLE})
    _against_floor(bench, graphql_body(NORMALISED_QUERY, {"role": BENCH_ROLE}),
                   "normalised summaries (EUR): GraphQL / bare endpoint throughput")
    _against_floor(bench, graphql_body(OFFICIAL_QUERY, {"role": BENCH_ROLE}),
                   "official wages and pay comparison: GraphQL / bare endpoint throughput")
    _against_floor(bench, graphql_body(NEXT_MOVES_QUERY, {"role": BENCH_ROLE}),
                   "nextMoves (cached read): GraphQL / bare endpoint throughput")
    _against_floor(bench, graphql_body(PAY_POSITION_QUERY, {"role": BENCH_ROLE}),
                   "payPosition (cached read): GraphQL / bare endpoint throughput")
    adjusted_against_nominal(bench)
    floor_max = _against_floor(bench, body, "GraphQL / bare endpoint throughput")  # sets the floor's payload
    rate = floor_max / 2
    p99: list[float] = []
    details = {}
    for _ in range(bench.sizes.latency_rounds):
        g = bench.stack.load(body, bench.sizes.round_s, 32, rate=rate)
        f = bench.stack.load(body, bench.sizes.round_s, 32, rate=rate, path="/bench/floor")
        p99.append(g["p99_ms"] / f["p99_ms"] if f["p99_ms"] else 0.0)
        details = {"graphql p99 ms": g["p99_ms"], "bare p99 ms": f["p99_ms"], "graphql p50 ms": g["p50_ms"]}
    bench.add(Outcome("1 cached read", f"p99 latency ratio at {rate:.0f} req/s (half the bare maximum)",
                      statistics.median(p99), "x", "<= 2.5", stretch="<= 1.5",
                      figures=details))


def adjusted_against_nominal(bench: Bench) -> None:
    """Rows of one year in real dollars (`adjust: REAL`) against the same rows nominal, alternated:
    the adjustment scales published figures by a CPI ratio and must cost little more than the read."""
    bodies = [graphql_body(YEAR_QUERY.format(adjust=adjust), {"role": BENCH_ROLE}) for adjust in ("", ", adjust: REAL")]
    for body, adjusted in zip(bodies, (False, True), strict=True):
        payload, _ = bench.stack.post(json.loads(body))
        if b'"errors"' in payload or (adjusted and b'"applied":true' not in payload):
            raise RuntimeError(f"the benchmark's year rows failed: {payload[:300]!r}")
        bench.stack.load(body, bench.sizes.warm_s, bench.sizes.concurrency)
    rounds = [[bench.stack.load(body, bench.sizes.round_s, bench.sizes.concurrency) for body in bodies]
              for _ in range(bench.sizes.rounds)]
    bench.add(Outcome(
        "1 cached read", "summaries in real dollars (adjust: REAL) / nominal: throughput, alternated",
        statistics.median(real["rps"] / nominal["rps"] if nominal["rps"] else 0.0 for nominal, real in rounds),
        "x", ">= 0.8", stretch=">= 0.9", detail=f"level: YEAR, normalizeTo: USD, {bench.sizes.concurrency} connections",
        figures={"nominal rps": round(statistics.median(n["rps"] for n, _ in rounds)),
                 "real rps": round(statistics.median(r["rps"] for _, r in rounds)),
                 "errors": sum(n["errors"] + r["errors"] for n, r in rounds)}))


# -- 2: cached against live -----------------------------------------------------------------------

def _live_failure(payload: bytes) -> str:
    """What a live answer's errors say (its first error's code and message), or "" when it has none."""
    try:
        errors = json.loads(payload).get("errors") or []
    except ValueError:
        return f"the answer is not JSON: {payload[:120]!r}"
    if not errors:
        return ""
    first = errors[0]
    return f"{(first.get('extensions') or {}).get('code', 'ERROR')}: {first.get('message', '')}"[:300]


def cached_against_live(bench: Bench) -> None:
    """A summary read from the cache against the same computed live (`live: true`, admin only):
    one role and every role. A live request that fails, or that no round sees finish, is a MISS
    that says why (the live path must answer within a request's budget)."""
    admin = {"authorization": f"Bearer {bench.keys['admin']}"}
    for label, role, target in (("one role", BENCH_ROLE, 300.0), ("every role (global)", None, 3000.0)):
        head, args = ("query($role: String)", "role: $role") if role else ("query", "level: ROLE")
        query = f"{head} {{ salarySummaries({args}LIVE) {{ role level currency count median }} }}"
        variables = {"role": role} if role else {}
        cached_body = graphql_body(query.replace("LIVE", ""), variables)
        live_body = graphql_body(query.replace("LIVE", ", live: true"), variables)
        measure = f"{label}: live / cached median latency"
        first, took = bench.stack.post(json.loads(live_body), key=bench.keys["admin"])
        failure = _live_failure(first)
        if failure:
            bench.add(Outcome("2 cached vs live", measure, None, "x", f">= {target:g}",
                              figures={"live s": round(took, 3)}, reason=f"the live request failed: {failure}"))
            continue
        cached = bench.stack.load(cached_body, bench.sizes.round_s, concurrency=1)
        round_s = min(120.0, max(bench.sizes.round_s, 2.0, 3.5 * took))  # room for a few live requests
        live = bench.stack.load(live_body, round_s, concurrency=1, headers=admin)
        ratio = live["p50_ms"] / cached["p50_ms"] if cached["p50_ms"] and live["p50_ms"] else None
        reason = "" if ratio is not None else (
            f"no live request finished within a {round_s:.0f} s round (the first took {took:.1f} s)"
            if not live["requests"] else f"no latency measured (cached {cached['p50_ms']}, live {live['p50_ms']})")
        bench.add(Outcome("2 cached vs live", measure, ratio, "x", f">= {target:g}", reason=reason,
                          figures={"cached p50 ms": cached["p50_ms"], "live p50 ms": live["p50_ms"],
                                   "live requests": live["requests"], "live errors": live["errors"]}))


# -- 3 and 6b: full recompute against a scan of the collection --------------------------------------

def scan_floor(bench: Bench) -> float:
    async def work(resources: Resources) -> float:
        started = time.perf_counter()
        await (await resources.db[c.SALARY_OBSERVATIONS].aggregate([{"$count": "n"}])).to_list()
        return time.perf_counter() - started

    return bench.run(work)


@dataclass
class _Runs:
    """Full recomputes by the worker, each beside a scan floor: seconds, and CPU seconds (the
    worker's and the embedded mongod's: what the wall-clock ratio would be on an idle machine)."""

    times: list[float] = field(default_factory=list)
    floors: list[float] = field(default_factory=list)
    reused: list[int] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    floor_cpu: list[float] = field(default_factory=list)


def _cpu(bench: Bench) -> float | None:
    """CPU seconds used so far by the worker and the embedded mongod (None: not both in reach)."""
    worker, mongod = bench.stack.worker, bench.stack.mongod_pid
    if worker is None or mongod is None:
        return None
    return cpu_seconds(worker.pid) + cpu_seconds(mongod)


def _timed_full_runs(bench: Bench, rounds: int, before: Callable[[], None] | None = None) -> _Runs:
    runs = _Runs()
    for _ in range(rounds):
        if before is not None:
            before()
        start = _cpu(bench)
        runs.floors.append(scan_floor(bench))
        middle = _cpu(bench)
        run = full_recompute(bench)
        end = _cpu(bench)
        if run.outcome != "ok" or run.duration_s is None:
            raise RuntimeError(f"full recompute failed: {run.error}")
        runs.times.append(run.duration_s)
        runs.reused.append(run.roles_reused or 0)
        if start is not None and middle is not None and end is not None:
            runs.floor_cpu.append(middle - start)
            runs.cpu.append(end - middle)
    return runs


def _recompute_outcome(bench: Bench, measure: str, runs: _Runs, target: str, stretch: str = "") -> None:
    ratio = statistics.median(t / f for t, f in zip(runs.times, runs.floors, strict=True))
    figures: dict[str, Any] = {"recompute s": round(statistics.median(runs.times), 3),
                               "scan floor s": round(statistics.median(runs.floors), 3),
                               "roles reused": statistics.median(runs.reused)}
    if runs.cpu and all(runs.floor_cpu):
        figures["CPU s (worker + mongod)"] = round(statistics.median(runs.cpu), 2)
        figures["CPU ratio"] = round(statistics.median(c / f for c, f in zip(runs.cpu, runs.floor_cpu,
                                                                             strict=True)), 2)
    bench.add(Outcome("3 full recompute", measure, ratio, "x", target, stretch=stretch, figures=figures))


def recompute_against_floor(bench: Bench, label: str = "") -> dict[str, float]:
    """Three kinds of full run against the count scan: from scratch (nothing reusable: after an
    upgrade, or `recompute --from-scratch`), with nothing changed since the last run (every role
    reused: the nightly run when the day's writes were already recomputed), and after writes to one
    role that bypassed careergraph (that role computed, the others reused)."""
    bench.stack.start_worker()  # a fresh process: its peak RSS is this scenario's
    rounds = max(2, bench.sizes.latency_rounds)
    size = f"{bench.sizes.observations:,}" if not label else label

    def forget() -> None:
        bench.run(lambda resources: reuse.forget(resources.db))

    def write_one() -> None:
        async def work(resources: Resources) -> None:
            have = await resources.db[c.SALARY_OBSERVATIONS].estimated_document_count()
            await add_observations(resources.db, [BENCH_ROLE], have + 1_000_000_000, 1)
        bench.run(work)

    scratch = _timed_full_runs(bench, rounds, forget)
    _recompute_outcome(bench, f"from scratch: time / count-scan floor at {size} observations", scratch,
                       "<= 3", "<= 2")
    unchanged = _timed_full_runs(bench, rounds)
    _recompute_outcome(bench, f"nothing changed since the last run, at {size}", unchanged, "<= 2", "<= 1.5")
    one_role = _timed_full_runs(bench, rounds, write_one)
    _recompute_outcome(bench, f"after a write to one role, at {size}", one_role, "<= 2", "<= 1.5")
    assert bench.stack.worker is not None
    peak = memory_mb(bench.stack.worker.pid)["hwm"]
    return {"time_s": statistics.median(scratch.times), "peak_mb": peak}


def summary_version_bytes(bench: Bench) -> tuple[int, int]:
    """Redis memory (MEMORY USAGE, bytes) of the summary documents readers are pointed at, and how
    many there are: what one published version of every summary costs Redis."""
    async def work(resources: Resources) -> tuple[int, int]:
        current = await resources.redis.hgetall(summary_cache.CURRENT)  # type: ignore[misc]
        keys = [summary_cache.data_key(field.decode(), version.decode()) for field, version in current.items()]
        total = 0
        for start in range(0, len(keys), 500):
            async with resources.redis.pipeline(transaction=False) as pipe:
                for key in keys[start:start + 500]:
                    pipe.memory_usage(key)
                total += sum(size or 0 for size in await pipe.execute())
        return total, len(keys)

    return bench.run(work)


def worker_memory(bench: Bench, peak_mb: float, observations: int) -> None:
    redis_bytes, documents = summary_version_bytes(bench)
    bench.add(Outcome("6 memory", f"worker peak RSS at {observations:,} observations", peak_mb, "MB",
                      "<= 300", figures={"Redis MB per summary version": round(redis_bytes / 2**20, 2),
                                         "summary documents": documents}))


def growth(bench: Bench, small: dict[str, float], large: dict[str, float], factor: int) -> None:
    bench.add(Outcome("3 full recompute", f"time growth for {factor}x the observations",
                      large["time_s"] / small["time_s"], "x", f"<= {factor * 1.05:g}",
                      figures={"small s": round(small["time_s"], 2), "large s": round(large["time_s"], 2)}))
    bench.add(Outcome("3 full recompute", f"worker peak RSS growth for {factor}x the observations",
                      large["peak_mb"] / small["peak_mb"], "x", "<= 1.5",
                      figures={"small MB": small["peak_mb"], "large MB": large["peak_mb"]}))


def grow(bench: Bench, observations: int) -> None:
    async def work(resources: Resources) -> None:
        roles = sorted(await resources.db[c.ROLES].distinct("slug"))
        have = await resources.db[c.SALARY_OBSERVATIONS].count_documents({})
        await add_observations(resources.db, roles, have, observations - have)

    started = time.perf_counter()
    bench.run(work)
    took = time.perf_counter() - started
    print(f"  data grown to {observations:,} observations in {took:.0f} s", flush=True)


