"""Scenarios under writes: freshness of a submission, and reads while submissions keep coming."""

from __future__ import annotations

import json
import statistics
import time

from service.tools.bench.harness import (
    BENCH_ROLE,
    ROLE_QUERY,
    ROLE_TOTAL,
    SUBMIT,
    Bench,
    graphql_body,
    wait_until_idle,
)
from service.tools.bench.report import Outcome
from service.tools.bench.stack import cpu_seconds, memory_mb

# -- 4: freshness ---------------------------------------------------------------------------------

def freshness(bench: Bench, observations: int | None = None) -> None:
    """From the submission that completes a release to that release being served, for the benchmark's
    role, at the bench's size or (after the data grew) at `observations`: 150 ms is the target at 1M,
    a second beyond it. Submissions join the summaries in releases of `CAREERGRAPH_RELEASE_CHANGES`
    per cell (docs/privacy.md), so each round sends the first k-1 of one cell, waits until their
    recomputes are done (held back: nothing moves), then times the k-th until the count moves by k."""
    size = observations or bench.sizes.observations
    if bench.stack.worker is None:
        bench.stack.start_worker()
    reader = bench.keys["reader"]
    k = bench.settings.release_changes

    def count() -> int:
        body, _ = bench.stack.post({"query": ROLE_TOTAL, "variables": {"role": BENCH_ROLE}})
        rows = json.loads(body)["data"]["salarySummaries"]
        return int(rows[0]["count"]) if rows else 0

    def submit(n: int, i: int) -> None:
        bench.stack.post({"query": SUBMIT, "variables": {"input": {
            "role": BENCH_ROLE, "amount": 150_000 + 97 * n + i, "currency": "USD", "country": "US",
            "experienceYears": 5, "idempotencyKey": f"fresh-{time.time_ns()}-{n}-{i}"}}}, key=reader)

    latencies = []
    for n in range(bench.sizes.submissions):
        for i in range(k - 1):
            submit(n, i)
        wait_until_idle(bench)
        before = count()
        started = time.perf_counter()
        submit(n, k - 1)
        deadline = started + 30
        while count() < before + k and time.perf_counter() < deadline:
            time.sleep(0.005)
        latencies.append(time.perf_counter() - started)
    latencies.sort()
    p95 = latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))] * 1000
    target = "<= 150" if size <= 1_000_000 else "<= 1000"
    bench.add(Outcome("4 freshness", f"the submission completing a release to that release served at {size:,} "
                      f"observations, p95 of {len(latencies)}", p95, "ms", target,
                      figures={"p50 ms": round(latencies[len(latencies) // 2] * 1000, 1),
                               "max ms": round(latencies[-1] * 1000, 1), "release size": k}))



# -- 7: what a submission costs the API -------------------------------------------------------------

def submission_cost(bench: Bench) -> None:
    """API process CPU seconds over the submissions stored, with 500 a second offered and nothing
    else running (the worker's recomputes run in their own process and are not counted), with the
    front door's own answer to submitSalary (schema.http.submissions) and without it, the API
    restarted for each and the two alternated round by round."""
    if bench.stack.worker is None:
        bench.stack.start_worker()
    assert bench.stack.api is not None
    headers = {"authorization": f"Bearer {bench.keys['reader']}"}
    costs: dict[str, list[float]] = {"on": [], "off": []}
    done = []
    for _ in range(bench.sizes.latency_rounds):
        for shortcut in ("off", "on"):
            bench.stack.restart_api(CAREERGRAPH_SUBMISSION_SHORTCUT=shortcut)
            body = graphql_body(SUBMIT, {"input": {  # keys new in every round: each submission is stored
                "role": "frontend-developer", "amount": 101_000, "currency": "USD", "country": "US",
                "experienceYears": 4, "idempotencyKey": f"cost-{time.time_ns()}-__N__"}})
            assert bench.stack.api is not None
            before = cpu_seconds(bench.stack.api.pid)
            result = bench.stack.load(body, bench.sizes.round_s, 8, rate=500.0, headers=headers)
            used = cpu_seconds(bench.stack.api.pid) - before
            stored = result["statuses"].get("200", 0)
            if stored:
                costs[shortcut].append(used / stored * 1000)
            if shortcut == "on":
                done.append(result)
    bench.stack.restart_api()  # as configured for the scenarios that follow
    with_it = statistics.median(costs["on"]) if costs["on"] else None
    without = statistics.median(costs["off"]) if costs["off"] else None
    bench.add(Outcome("7 reads under writes", "API CPU per submission (process CPU / submissions stored)",
                      with_it, "ms", "<= 1", stretch="<= 0.5",
                      figures={"without the door's own answer, ms": round(without, 3) if without else None,
                               "submissions": sum(d["statuses"].get("200", 0) for d in done),
                               "p50 ms": statistics.median(d["p50_ms"] or 0 for d in done),
                               "errors": sum(d["errors"] for d in done)}))


# -- 7 and 6a: reads under writes, API memory -------------------------------------------------------------

def reads_under_writes(bench: Bench) -> None:
    if bench.stack.worker is None:
        bench.stack.start_worker()
    read_body = graphql_body(ROLE_QUERY, {"role": BENCH_ROLE})
    ratios, alone, loaded, writes = [], [], [], []
    for _ in range(bench.sizes.latency_rounds):
        write_body = graphql_body(SUBMIT, {"input": {  # keys new in every round: each submission is stored
            "role": "frontend-developer", "amount": 100_000, "currency": "USD", "country": "US",
            "experienceYears": 3, "idempotencyKey": f"rw-{time.time_ns()}-__N__"}})
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
                      statistics.median(ratios), "x", ">= 0.8", stretch=">= 0.9",
                      figures={"reads alone rps": round(statistics.median(alone)),
                               "reads with writes rps": round(statistics.median(loaded)),
                               "writes rps": round(statistics.median(w["rps"] for w in writes)),
                               "write errors": sum(w["errors"] for w in writes)}))
    assert bench.stack.api is not None
    api = memory_mb(bench.stack.api.pid)
    bench.add(Outcome("6 memory", "API peak RSS under the read and write load", api["hwm"], "MB", "<= 200",
                      figures={"API RSS now MB": api["rss"]}))

