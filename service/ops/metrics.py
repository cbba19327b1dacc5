"""What the cluster's stores say at scrape time, for `/metrics`, beside this process's counters.

Read from the stores at each scrape, so that every API process reports the same cluster-wide
figures whichever worker did the work: the recompute queue's depth, the age of the newest summary
version, recompute runs of the last hour by outcome, the last run's duration by kind, and
whether each store answers. A store that does not answer within `SCRAPE_TIMEOUT_S` is reported
down (`careergraph_store_up 0`) and its figures are left out, so a scrape never hangs.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

from prometheus_client import CollectorRegistry, Gauge, generate_latest

from service.jobs import ALL_ROLES, QUEUE_NAME
from service.platform.metrics import REGISTRY
from service.platform.resources import Resources
from service.store import database as c
from service.store import summary_cache
from service.summaries.runs import OUTCOMES

SCRAPE_TIMEOUT_S = 1.0


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


