"""Failpoints: named places where a fault-injection test can make a process stall.

`CAREERGRAPH_FAILPOINTS="recompute.after_store=30"` makes every recompute sleep 30 s after it has
written MongoDB and before it publishes to Redis, which is where the tests SIGKILL a worker to
show that readers keep the previous version whole and that the job runs again. Failpoints are
ignored in production (`CAREERGRAPH_ENV=production`), and cost one dictionary lookup otherwise.

Names in use: `recompute.after_store`.
"""

from __future__ import annotations

import asyncio
import logging

from service.platform.config import Settings

log = logging.getLogger("careergraph.failpoints")


async def hit(settings: Settings, name: str) -> None:
    if settings.is_production:
        return
    seconds = dict(settings.failpoints).get(name)
    if seconds:
        log.warning("failpoint %s: stalling %g s", name, seconds)
        await asyncio.sleep(seconds)
