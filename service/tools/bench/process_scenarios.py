"""Scenario 8: the API on every core. The same cached read against one API process and against
two (`CAREERGRAPH_WEB_CONCURRENCY=2`, uvicorn's workers sharing the listening socket and nothing
else but MongoDB and Redis), in alternating rounds."""

from __future__ import annotations

import statistics

from service.tools.bench.harness import BENCH_ROLE, ROLE_QUERY, Bench, graphql_body
from service.tools.bench.report import Outcome
from service.tools.bench.stack import Stack

PROCESSES = 2


def api_processes(bench: Bench) -> None:
    body = graphql_body(ROLE_QUERY, {"role": BENCH_ROLE})
    several = Stack(bench.stack.settings, log_dir=bench.stack.log_dir, processes=PROCESSES)
    several.start_api()
    try:
        for stack in (bench.stack, several):  # warm each process's connections and caches
            stack.load(body, bench.sizes.warm_s, bench.sizes.concurrency * 2)
        ratios, one, many, generator = [], [], [], ""
        for _ in range(bench.sizes.rounds):
            alone = bench.stack.load(body, bench.sizes.round_s, bench.sizes.concurrency * 2)
            shared = several.load(body, bench.sizes.round_s, bench.sizes.concurrency * 2)
            ratios.append(shared["rps"] / alone["rps"] if alone["rps"] else 0.0)
            one.append(alone["rps"])
            many.append(shared["rps"])
            generator = shared["generator"]
    finally:
        several.stop()
    bench.add(Outcome("8 API processes", f"cached-read throughput, {PROCESSES} API processes / 1",
                      statistics.median(ratios), "x", ">= 1.5",
                      detail=f"{bench.sizes.concurrency * 2} connections, {generator} client",
                      figures={"1 process rps": round(statistics.median(one)),
                               f"{PROCESSES} processes rps": round(statistics.median(many))}))
