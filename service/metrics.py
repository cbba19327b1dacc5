"""Prometheus metrics: what this process counts, plus what the cluster's stores say at scrape time.

Counted in the API process (one registry per process; each API process is scraped on its own):
requests and their latency by route and operation, GraphQL errors by code, lookups of the
response cache and of the summary cache by outcome.

Read from the stores at each scrape, so that every API process reports the same cluster-wide
figures whichever worker did the work: the recompute queue's depth, the age of the newest summary
version, recompute runs of the last hour by outcome, the last run's duration by kind, and
whether each store answers. A store that does not answer within `SCRAPE_TIMEOUT_S` is reported
down (`careergraph_store_up 0`) and its figures are left out, so a scrape never hangs.

Operation labels are the operation type and its root fields (taken from the validated document,
so the set of values is bounded by the schema), never a client-chosen operation name.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)

from service import collections as c
from service import summary_cache
from service.jobs import ALL_ROLES, QUEUE_NAME
from service.resources import Resources

disable_created_metrics()  # the `_created` series double the output and tell nothing here
SCRAPE_TIMEOUT_S = 1.0
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
MAX_ROOT_FIELDS_IN_LABEL = 3

REGISTRY = CollectorRegistry(auto_describe=True)
REQUESTS = Counter("careergraph_requests", "HTTP requests by route, operation and status.",
                   ["route", "operation", "status"], registry=REGISTRY)
LATENCY = Histogram("careergraph_request_duration_seconds",
                    "Time to answer a request, by route and operation.", ["route", "operation"],
                    registry=REGISTRY,
                    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
ERRORS = Counter("careergraph_graphql_errors", "GraphQL errors sent to clients, by extensions.code.",
                 ["code"], registry=REGISTRY)
CACHE_LOOKUPS = Counter("careergraph_cache_lookups",
                        "Cache lookups by cache (response, summary) and outcome.", ["cache", "outcome"],
                        registry=REGISTRY)

OUTCOMES = ("ok", "failed", "running", "abandoned")


def operation_label(operation_type: str, root_fields: list[str]) -> str:
    fields = sorted(set(root_fields))
    if len(fields) > MAX_ROOT_FIELDS_IN_LABEL:
        return f"{operation_type} {len(fields)} fields"
    return f"{operation_type} {','.join(fields)}".strip()


def observe_request(route: str, operation: str, status: int, seconds: float) -> None:
    REQUESTS.labels(route, operation, str(status)).inc()
    LATENCY.labels(route, operation).observe(seconds)


class _Cluster:
    """Gauges built afresh for each scrape and only for figures that were read, so a store that
    is down leaves no stale or made-up figure behind."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.store_up = Gauge("careergraph_store_up", "1 when the store answered this scrape.", ["store"],
                              registry=self.registry)

    def gauge(self, name: str, help_text: str, labels: tuple[str, ...] = ()) -> Gauge:
        return Gauge(name, help_text, list(labels), registry=self.registry)

    async def redis_figures(self, resources: Resources) -> None:
        depth, latest = await asyncio.wait_for(asyncio.gather(
            resources.redis.zcard(QUEUE_NAME), resources.redis.get(summary_cache.LATEST)), SCRAPE_TIMEOUT_S)
        self.gauge("careergraph_queue_depth", "Jobs waiting or running in the recompute queue.").set(depth)
        if latest:
            self.gauge("careergraph_summary_age_seconds", "Seconds since the newest summary version was "
                       "computed.").set(max(0.0, time.time() - int(latest.split(b"-")[0]) / 1000))

    async def mongodb_figures(self, resources: Resources) -> None:
        await asyncio.wait_for(self._runs(resources), SCRAPE_TIMEOUT_S)

    async def _runs(self, resources: Resources) -> None:
        runs = resources.db[c.RECOMPUTE_RUNS]
        since = datetime.now(UTC) - timedelta(hours=1)
        counts = dict.fromkeys(OUTCOMES, 0)
        cursor = await runs.aggregate([{"$match": {"started_at": {"$gte": since}}},
                                       {"$group": {"_id": "$outcome", "n": {"$sum": 1}}}])
        async for row in cursor:
            counts[str(row["_id"])] = row["n"]
        last = {}
        for kind, scope in (("all", ALL_ROLES), ("role", {"$ne": ALL_ROLES})):
            doc = await runs.find_one({"outcome": "ok", "scope": scope}, sort=[("started_at", -1)])
            if doc is not None and doc.get("duration_s") is not None:
                last[kind] = doc["duration_s"]
        recent = self.gauge("careergraph_recompute_runs_last_hour",
                            "Recompute runs started in the last hour, by outcome.", ("outcome",))
        for outcome, n in counts.items():
            recent.labels(outcome).set(n)
        if last:
            duration = self.gauge("careergraph_recompute_last_duration_seconds",
                                  "Duration of the last successful recompute, by kind (all or role).",
                                  ("kind",))
            for kind, seconds in last.items():
                duration.labels(kind).set(seconds)


async def exposition(resources: Resources) -> bytes:
    """This process's metrics and the cluster's, in the Prometheus text format."""
    cluster = _Cluster()
    for store, figures in (("redis", cluster.redis_figures), ("mongodb", cluster.mongodb_figures)):
        try:
            await figures(resources)
            cluster.store_up.labels(store).set(1)
        except Exception:  # any failure means: down for this scrape
            cluster.store_up.labels(store).set(0)
    return generate_latest(REGISTRY) + generate_latest(cluster.registry)


def count_cache(cache: str, hit: bool) -> None:
    CACHE_LOOKUPS.labels(cache, "hit" if hit else "miss").inc()


def count_error(code: Any) -> None:
    ERRORS.labels(str(code)).inc()
