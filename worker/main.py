"""arq WorkerSettings. Started by reference (`worker.main.WorkerSettings`) from `careergraph worker`,
which supplies `redis_settings` from the environment; nothing here connects at import time."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from typing import Any, ClassVar

from arq.cron import cron
from arq.worker import func

from service import jobs
from service.ops import heartbeats
from service.platform.config import Settings
from service.platform.logs import configure_logging
from service.platform.resources import open_resources
from worker import tasks

log = logging.getLogger("careergraph.worker")


async def startup(ctx: dict[str, Any]) -> None:
    settings = Settings.from_env(os.environ)
    configure_logging(settings.log_level, settings.log_format)
    stack = contextlib.AsyncExitStack()
    ctx["resources"] = await stack.enter_async_context(open_resources(settings))
    ctx["exit_stack"] = stack
    ctx["reaper"] = asyncio.create_task(tasks.maintain_forever(ctx["resources"]))
    ctx["beat"] = asyncio.create_task(heartbeats.beat_forever(ctx["resources"]))
    log.info("worker started")


async def shutdown(ctx: dict[str, Any]) -> None:
    """Stop the background tasks, say so in this worker's heartbeat, close the clients. Safe to call
    twice (`careergraph worker` calls it itself when arq's own close failed on a store outage)."""
    for name in ("beat", "reaper"):
        task: asyncio.Task[None] | None = ctx.pop(name, None)
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
    stack: contextlib.AsyncExitStack | None = ctx.pop("exit_stack", None)
    if stack is not None:
        await heartbeats.stopped(ctx["resources"])
        await stack.aclose()


def settings_for(settings: Settings) -> dict[str, Any]:
    """What depends on settings, merged into WorkerSettings by `careergraph worker`: the nightly
    full recompute at CAREERGRAPH_FULL_RECOMPUTE_AT (UTC), unless it is "off"."""
    if settings.full_recompute_at == "off":
        return {"cron_jobs": []}
    hour, minute = (int(part) for part in settings.full_recompute_at.split(":"))
    return {"cron_jobs": [cron(tasks.nightly_recompute, name="nightly-recompute", hour=hour, minute=minute,
                               run_at_startup=False, unique=True)]}


class WorkerSettings:
    functions: ClassVar[list[Any]] = [
        func(tasks.record_heartbeat, name=jobs.RECORD_HEARTBEAT, max_tries=3),
        # keep_result=0: the job id is free again as soon as a run ends, so the next write
        # queues the next run; the run history lives in MongoDB (recompute_runs).
        func(tasks.recompute_summaries, name=jobs.RECOMPUTE_SUMMARIES, max_tries=tasks.MAX_TRIES,
             keep_result=0),
    ]
    queue_name = jobs.QUEUE_NAME
    poll_delay = 0.01  # s between queue polls: part of a submission's way to its summary
    on_startup = startup
    on_shutdown = shutdown
    after_job_end = tasks.after_job_end
    health_check_interval = 10
    handle_signals = True
    # A run longer than this is cancelled and retried. It is also how long arq itself would wait
    # (plus 10 s) before re-running a job whose worker died; the reaper (tasks.maintain_forever)
    # releases such a job after CAREERGRAPH_RUN_STALE_AFTER instead.
    job_timeout = 600
    keep_result = 60
