"""The benchmark's scenarios. Each measures the product against its own floor or baseline in the
same run, side by side (alternating rounds where the two share the machine), and returns Outcomes.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from service import collections as c
from service import summary_cache
from service.api_keys import create_api_key
from service.bench.data import add_observations
from service.bench.report import Outcome
from service.bench.stack import BENCH_DB, Stack, memory_mb
from service.config import Settings
from service.importers.onet import import_onet
from service.importers.salaries import BATCH_SIZE, import_salaries, load_format
from service.jobs import enqueue_recompute
from service.recompute import RecomputeRun
from service.resources import Resources, open_resources
from service.seed import load_seed

T = TypeVar("T")
BENCH_ROLE = "backend-developer"
ROLE_QUERY = """query($role: String) { salarySummaries(role: $role) { role level country experienceBand
  currency count mean min max p10 p25 median p75 p90 stddev sufficient source version computedAt } }"""
ROLE_TOTAL = """query($role: String) { salarySummaries(role: $role, level: ROLE, currency: "USD")
  { count version } }"""
SUBMIT = """mutation($input: SubmitSalaryInput!) { submitSalary(input: $input) { created
  userErrors { code message } } }"""


@dataclass(frozen=True)
class Sizes:
    observations: int
    round_s: float
    rounds: int
    latency_rounds: int
    submissions: int
    concurrency: int = 16

    @classmethod
    def quick(cls) -> Sizes:
        return cls(observations=20_000, round_s=1.5, rounds=2, latency_rounds=1, submissions=20)

    @classmethod
    def full(cls, observations: int) -> Sizes:
        return cls(observations=observations, round_s=4.0, rounds=5, latency_rounds=3, submissions=100)


@dataclass
class Bench:
    settings: Settings
    stack: Stack
    sizes: Sizes
    data_dir: Path | None
    keys: dict[str, str] = field(default_factory=dict)
    outcomes: list[Outcome] = field(default_factory=list)

    def run(self, work: Callable[[Resources], Awaitable[T]], settings: Settings | None = None) -> T:
        async def opened() -> T:
            async with open_resources(settings or self.settings) as resources:
                return await work(resources)

        return asyncio.run(opened())

    def add(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)
        value = "-" if outcome.value is None else round(outcome.value, 2)
        print(f"  {outcome.status:4}  {outcome.scenario}: {outcome.measure} = {value} "
              f"(target {outcome.target})", flush=True)


def graphql_body(query: str, variables: dict[str, Any] | None = None) -> str:
    return json.dumps({"query": query, "variables": variables or {}})


# -- set-up ---------------------------------------------------------------------------------------

def prepare(bench: Bench) -> None:
    """Seed catalogue, keys, synthetic observations up to the size, and one full recompute."""
    async def work(resources: Resources) -> None:
        await c.ensure_collections(resources.db)
        await load_seed(resources.db)
        roles = sorted(await resources.db[c.ROLES].distinct("slug"))
        for role in ("reader", "admin"):
            bench.keys[role] = await create_api_key(resources.db, role, "bench")
        have = await resources.db[c.SALARY_OBSERVATIONS].count_documents({})
        if have < bench.sizes.observations:
            await add_observations(resources.db, roles, have, bench.sizes.observations - have)

    started = time.perf_counter()
    bench.run(work)
    print(f"  data ready: {bench.sizes.observations:,} observations in {time.perf_counter() - started:.1f} s",
          flush=True)
    full_recompute(bench)


def full_recompute(bench: Bench) -> RecomputeRun:
    """Queue a full recompute for the worker (after any one already queued) and wait for its record."""
    async def work(resources: Resources) -> RecomputeRun:
        runs = resources.db[c.RECOMPUTE_RUNS]
        deadline = time.monotonic() + 600
        queued_at = datetime.now(UTC)
        while not await enqueue_recompute(resources.redis, None, defer_s=0):
            if time.monotonic() > deadline:
                raise RuntimeError("a full recompute stayed queued for 600 s")
            await asyncio.sleep(0.05)  # one is queued or running already: ours must start after it
            queued_at = datetime.now(UTC)
        while time.monotonic() < deadline:
            doc = await runs.find_one({"scope": "all", "started_at": {"$gte": queued_at},
                                       "outcome": {"$ne": "running"}})
            if doc is not None:
                return RecomputeRun.from_document(doc)
            await asyncio.sleep(0.05)
        raise RuntimeError("the worker did not finish a full recompute within 600 s")

    return bench.run(work)


# -- 1 and 6a: cached dashboard read against the bare endpoint --------------------------------------

def cached_read(bench: Bench) -> None:
    body = graphql_body(ROLE_QUERY, {"role": BENCH_ROLE})
    payload, _ = bench.stack.post(json.loads(body))
    bench.run(lambda r: r.redis.set(summary_cache.BENCH_FLOOR, payload))
    bench.stack.load(body, 1.0, bench.sizes.concurrency)  # warm both paths
    bench.stack.load(body, 1.0, bench.sizes.concurrency, path="/bench/floor")
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
        "1 cached read", "GraphQL / bare endpoint throughput", statistics.median(ratios), "x", ">= 0.5",
        stretch=">= 0.8", detail=f"{len(payload):,}-byte answer, {bench.sizes.concurrency} connections",
        figures={"graphql rps": round(gql_rps), "bare rps": round(floor_max),
                 "client cpu": f"{max(g['client_cpu_share'] for g in gql):.0%} of a core",
                 "errors": sum(g["errors"] for g in gql)}))
    rate = floor_max / 2
    p99: list[float] = []
    details = {}
    for _ in range(bench.sizes.latency_rounds):
        g = bench.stack.load(body, bench.sizes.round_s, 32, rate=rate)
        f = bench.stack.load(body, bench.sizes.round_s, 32, rate=rate, path="/bench/floor")
        p99.append(g["p99_ms"] / f["p99_ms"] if f["p99_ms"] else 0.0)
        details = {"graphql p99 ms": g["p99_ms"], "bare p99 ms": f["p99_ms"], "graphql p50 ms": g["p50_ms"]}
    bench.add(Outcome("1 cached read", f"p99 latency ratio at {rate:.0f} req/s (half the bare maximum)",
                      statistics.median(p99), "x", "<= 2.5", figures=details))


# -- 2: cached against live -----------------------------------------------------------------------

def cached_against_live(bench: Bench) -> None:
    admin = {"authorization": f"Bearer {bench.keys['admin']}"}
    for label, role, target in (("one role", BENCH_ROLE, 100.0), ("every role (global)", None, 1000.0)):
        head, args = ("query($role: String)", "role: $role") if role else ("query", "level: ROLE")
        query = f"{head} {{ salarySummaries({args}LIVE) {{ role level currency count median }} }}"
        variables = {"role": role} if role else {}
        cached_body = graphql_body(query.replace("LIVE", ""), variables)
        live_body = graphql_body(query.replace("LIVE", ", live: true"), variables)
        cached = bench.stack.load(cached_body, bench.sizes.round_s, concurrency=1)
        live = bench.stack.load(live_body, max(bench.sizes.round_s, 3.0), concurrency=1, headers=admin)
        ratio = live["p50_ms"] / cached["p50_ms"] if cached["p50_ms"] and live["p50_ms"] else None
        bench.add(Outcome("2 cached vs live", f"{label}: live / cached median latency", ratio, "x",
                          f">= {target:g}", figures={"cached p50 ms": cached["p50_ms"],
                                                     "live p50 ms": live["p50_ms"],
                                                     "live requests": live["requests"]}))


# -- 3 and 6b: full recompute against a scan of the collection --------------------------------------

def scan_floor(bench: Bench) -> float:
    async def work(resources: Resources) -> float:
        started = time.perf_counter()
        await (await resources.db[c.SALARY_OBSERVATIONS].aggregate([{"$count": "n"}])).to_list()
        return time.perf_counter() - started

    return bench.run(work)


def recompute_against_floor(bench: Bench, label: str = "") -> dict[str, float]:
    bench.stack.start_worker()  # a fresh process: its peak RSS is this scenario's
    rounds = max(2, bench.sizes.latency_rounds)
    ratios, times, floors = [], [], []
    for _ in range(rounds):
        floor = scan_floor(bench)
        run = full_recompute(bench)
        if run.outcome != "ok" or run.duration_s is None:
            raise RuntimeError(f"full recompute failed: {run.error}")
        ratios.append(run.duration_s / floor)
        times.append(run.duration_s)
        floors.append(floor)
    assert bench.stack.worker is not None
    peak = memory_mb(bench.stack.worker.pid)["hwm"]
    size = f"{bench.sizes.observations:,}" if not label else label
    bench.add(Outcome("3 full recompute", f"time / count-scan floor at {size} observations",
                      statistics.median(ratios), "x", "<= 3", stretch="<= 2",
                      figures={"recompute s": round(statistics.median(times), 3),
                               "scan floor s": round(statistics.median(floors), 3)}))
    return {"time_s": statistics.median(times), "peak_mb": peak}


def worker_memory(bench: Bench, peak_mb: float, observations: int) -> None:
    bench.add(Outcome("6 memory", f"worker peak RSS at {observations:,} observations", peak_mb, "MB",
                      "<= 300"))


def growth(bench: Bench, small: dict[str, float], large: dict[str, float], factor: int) -> None:
    bench.add(Outcome("3 full recompute", f"time growth for {factor}x the observations",
                      large["time_s"] / small["time_s"], "x", f"<= {factor * 1.1:g}",
                      figures={"small s": round(small["time_s"], 2), "large s": round(large["time_s"], 2)}))
    bench.add(Outcome("3 full recompute", f"worker peak RSS growth for {factor}x the observations",
                      large["peak_mb"] / small["peak_mb"], "x", "<= 2",
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


# -- 4: freshness ---------------------------------------------------------------------------------

def freshness(bench: Bench) -> None:
    if bench.stack.worker is None:
        bench.stack.start_worker()
    reader = bench.keys["reader"]
    total = ROLE_TOTAL

    def count() -> int:
        body, _ = bench.stack.post({"query": total, "variables": {"role": BENCH_ROLE}})
        rows = json.loads(body)["data"]["salarySummaries"]
        return int(rows[0]["count"]) if rows else 0

    latencies = []
    for n in range(bench.sizes.submissions):
        before = count()
        started = time.perf_counter()
        bench.stack.post({"query": SUBMIT, "variables": {"input": {
            "role": BENCH_ROLE, "amount": 150_000 + n, "currency": "USD", "country": "US",
            "experienceYears": 5, "idempotencyKey": f"fresh-{time.time_ns()}-{n}"}}}, key=reader)
        deadline = started + 30
        while count() <= before and time.perf_counter() < deadline:
            time.sleep(0.005)
        latencies.append(time.perf_counter() - started)
    latencies.sort()
    p95 = latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))] * 1000
    bench.add(Outcome("4 freshness", f"submitSalary to updated summary, p95 of {len(latencies)}", p95, "ms",
                      "<= 1000", stretch="<= 150",
                      figures={"p50 ms": round(latencies[len(latencies) // 2] * 1000, 1),
                               "max ms": round(latencies[-1] * 1000, 1)}))


# -- 5: imports against raw insert_many ---------------------------------------------------------------

async def _timed(work: Awaitable[T]) -> tuple[T, float]:
    started = time.perf_counter()
    result = await work
    return result, time.perf_counter() - started


async def _raw_copy(source: Resources, target_db: Any, collections: list[str]) -> float:
    """Insert the importer's documents again, raw, into empty collections with the same indexes."""
    await c.ensure_collections(target_db)
    elapsed = 0.0
    for name in collections:
        docs = await source.db[name].find({}).to_list()
        started = time.perf_counter()
        for start in range(0, len(docs), BATCH_SIZE):
            await target_db[name].insert_many(docs[start:start + BATCH_SIZE], ordered=False)
        elapsed += time.perf_counter() - started
    return elapsed


def imports(bench: Bench) -> None:
    if bench.data_dir is None or not (bench.data_dir / "onet").is_dir():
        bench.add(Outcome("5 imports", "O*NET and salary file against raw insert_many", None, "x", "<= 2",
                          detail="skipped: no ../shared/data (pass --data DIR)"))
        return
    data_dir = bench.data_dir
    salary_file = data_dir / "levels_fyi" / "levels_fyi_salaries.csv"

    async def work(kind: str) -> tuple[float, float, int]:
        settings = Settings(**{**vars(bench.settings), "mongodb_db": f"{BENCH_DB}_import"})
        async with open_resources(settings) as resources:
            await resources.mongo.drop_database(f"{BENCH_DB}_import")
            await resources.mongo.drop_database(f"{BENCH_DB}_raw")
            await c.ensure_collections(resources.db)
            if kind == "onet":
                _, took = await _timed(import_onet(resources.db, data_dir / "onet"))
                written = [c.ROLES, c.SKILLS, c.OUTLOOKS]
            else:
                with tempfile.TemporaryFile("w+") as progress:
                    _, took = await _timed(import_salaries(
                        resources.db, salary_file, load_format("levels-fyi", None), progress))
                written = [c.SALARY_OBSERVATIONS]
            raw = await _raw_copy(resources, resources.mongo[f"{BENCH_DB}_raw"], written)
            rows = sum([await resources.db[n].count_documents({}) for n in written])
            await resources.mongo.drop_database(f"{BENCH_DB}_import")
            await resources.mongo.drop_database(f"{BENCH_DB}_raw")
            return took, raw, rows

    for kind, label in (("onet", "O*NET directory"), ("salaries", "levels.fyi salary file")):
        took, raw, rows = bench.run(lambda _r, k=kind: work(k))  # type: ignore[misc]
        bench.add(Outcome("5 imports", f"{label} / raw insert_many of the same documents", took / raw, "x",
                          "<= 2", figures={"import s": round(took, 2), "raw insert s": round(raw, 2),
                                           "documents": rows}))


# -- 7 and 6a: reads under writes, API memory -------------------------------------------------------------

def reads_under_writes(bench: Bench) -> None:
    if bench.stack.worker is None:
        bench.stack.start_worker()
    read_body = graphql_body(ROLE_QUERY, {"role": BENCH_ROLE})
    write_body = graphql_body(SUBMIT, {"input": {
        "role": "frontend-developer", "amount": 100_000, "currency": "USD", "country": "US",
        "experienceYears": 3, "idempotencyKey": f"rw-{time.time_ns()}-__N__"}})
    ratios, alone, loaded, writes = [], [], [], []
    for _ in range(bench.sizes.latency_rounds):
        quiet = bench.stack.load(read_body, bench.sizes.round_s, bench.sizes.concurrency)
        writer = bench.stack.start_load(write_body, bench.sizes.round_s + 0.5, 8, 500.0,
                                        {"authorization": f"Bearer {bench.keys['reader']}"})
        busy = bench.stack.load(read_body, bench.sizes.round_s, bench.sizes.concurrency)
        out, _ = writer.communicate(timeout=120)
        written = json.loads(out.strip().splitlines()[-1])
        ratios.append(busy["rps"] / quiet["rps"] if quiet["rps"] else 0.0)
        alone.append(quiet["rps"])
        loaded.append(busy["rps"])
        writes.append(written)
    bench.add(Outcome("7 reads under writes", "read throughput with 500 submissions/s / without",
                      statistics.median(ratios), "x", ">= 0.8",
                      figures={"reads alone rps": round(statistics.median(alone)),
                               "reads with writes rps": round(statistics.median(loaded)),
                               "writes rps": round(statistics.median(w["rps"] for w in writes)),
                               "write errors": sum(w["errors"] for w in writes)}))
    assert bench.stack.api is not None
    api = memory_mb(bench.stack.api.pid)
    bench.add(Outcome("6 memory", "API peak RSS under the read and write load", api["hwm"], "MB", "<= 200",
                      figures={"API RSS now MB": api["rss"]}))
