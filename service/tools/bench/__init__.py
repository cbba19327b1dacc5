"""`careergraph bench`: generate data, run every scenario side by side with its floor or baseline,
print PASS or MISS against each target, and write a JSON result and a markdown table.

Absolute figures are valid for the machine that produced them only; the ratios are what the
targets are about. A MISS is reported, never raised: the benchmark does not fail the test suite.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from service.platform.config import Settings
from service.tools.bench import (
    harness,
    import_scenarios,
    privacy_scenarios,
    process_scenarios,
    report,
    scenarios,
    write_scenarios,
    wrk,
)
from service.tools.bench.stack import Stack, servers

SCENARIOS = ("read", "processes", "live", "recompute", "freshness", "imports", "writes", "privacy")


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quick", action="store_true", help="small sizes and short rounds (under 2 minutes)")
    parser.add_argument("--smoke", action="store_true",
                        help="every measure once at the smallest sizes, to check the bench runs (figures mean nothing)")
    parser.add_argument("--size", type=int, default=1_000_000,
                        help="observations (default 1,000,000; above it, the recompute is also measured "
                             "at 1,000,000 and the growth compared)")
    parser.add_argument("--only", nargs="+", choices=SCENARIOS, help="run only these scenarios")
    parser.add_argument("--data", type=Path, default=Path("../shared/data"),
                        help="the public data directory for the import scenario (default ../shared/data)")
    parser.add_argument("--out", type=Path, default=None,
                        help="where the JSON and markdown results go (default <data dir>/bench)")


BASE_SIZE = 1_000_000


def run_bench(settings: Settings, args: argparse.Namespace) -> int:
    sizes = harness.Sizes.smoke() if args.smoke else harness.Sizes.quick() if args.quick \
        else harness.Sizes.full(min(args.size, BASE_SIZE))
    chosen = set(args.only or SCENARIOS)
    started = datetime.now(UTC)
    clock = time.perf_counter()
    out_dir = args.out or Path(settings.data_dir) / "bench"
    with tempfile.TemporaryDirectory(prefix="careergraph-bench-") as scratch, \
            servers(settings, Path(scratch)) as (ready, mongod_pid):
        stack = Stack(ready, log_dir=Path(scratch), mongod_pid=mongod_pid)
        bench = harness.Bench(ready, stack, sizes, args.data if args.data.is_dir() else None)
        try:
            meta = _meta(bench, args, started)
            print(f"careergraph bench: {meta['mode']}, {sizes.observations:,} observations; "
                  f"servers: {meta['servers']}", flush=True)
            _scenarios(bench, chosen, args)
        finally:
            stack.stop()
            _drop(bench)
    meta["duration_s"] = round(time.perf_counter() - clock, 1)
    print()
    report.console(bench.outcomes)
    json_path, md_path = report.write(bench.outcomes, meta, out_dir)
    misses = sum(o.status == "MISS" for o in bench.outcomes)
    print(f"\n{len(bench.outcomes)} measures, {misses} MISS, in {meta['duration_s']} s. Absolute figures are "
          f"for this machine only.\nresults: {json_path}\ntable:   {md_path}")
    return 0


def _scenarios(bench: harness.Bench, chosen: set[str], args: argparse.Namespace) -> None:
    bench.stack.start_api()
    bench.stack.start_worker()
    harness.prepare(bench)
    if "read" in chosen:
        scenarios.cached_read(bench)
    if "processes" in chosen:
        process_scenarios.api_processes(bench)
    if "live" in chosen:
        scenarios.cached_against_live(bench)
    if "recompute" in chosen:
        base = scenarios.recompute_against_floor(bench)
        scenarios.worker_memory(bench, base["peak_mb"], bench.sizes.observations)
    if "freshness" in chosen:
        write_scenarios.freshness(bench)
    if "writes" in chosen:
        write_scenarios.submission_cost(bench)
        write_scenarios.reads_under_writes(bench)
    if "imports" in chosen:
        harness.wait_until_idle(bench)  # the writes' recomputes would be measured with the imports
        import_scenarios.imports(bench)
    if "privacy" in chosen:
        harness.wait_until_idle(bench)
        privacy_scenarios.disclosure_cost(bench)
        privacy_scenarios.levels_fyi_cost(bench)
    if "recompute" in chosen and not (args.quick or args.smoke) and args.size > BASE_SIZE:
        scenarios.grow(bench, args.size)
        large = scenarios.recompute_against_floor(bench, f"{args.size:,}")
        scenarios.worker_memory(bench, large["peak_mb"], args.size)
        scenarios.growth(bench, base, large, args.size // BASE_SIZE)
        if "freshness" in chosen:
            write_scenarios.freshness(bench, args.size)


def _meta(bench: harness.Bench, args: argparse.Namespace, started: datetime) -> dict[str, Any]:
    async def versions(resources: Any) -> str:
        mongo = (await resources.mongo.admin.command("buildInfo"))["version"]
        redis = (await resources.redis.info("server"))["redis_version"]
        return f"MongoDB {mongo}, Redis {redis}"

    try:
        import uvloop  # noqa: F401

        python = "the Python asyncio HTTP/1.1 client with uvloop, in its own process"
    except ImportError:
        python = "the Python asyncio HTTP/1.1 client, in its own process"
    if wrk.available():
        client = (f"wrk ({wrk.THREADS} threads) for closed-loop throughput rounds; {python} for open-loop "
                  "latency and writes")
    else:
        client = f"{python} for every round (wrk is not installed or CAREERGRAPH_BENCH_CLIENT=python)"
    mode = "smoke" if args.smoke else "quick" if args.quick else "full"
    return {"mode": mode, "observations": bench.sizes.observations,
            "size": args.size, "started": started.isoformat(timespec="seconds"),
            "machine": report.machine(), "servers": bench.run(versions), "client": client,
            "argv": sys.argv[1:]}


def _drop(bench: harness.Bench) -> None:
    async def drop(resources: Any) -> None:
        await resources.mongo.drop_database(resources.settings.mongodb_db)

    try:
        bench.run(drop)
    except Exception:  # the servers may be gone already; embedded ones are scratch anyway
        pass
