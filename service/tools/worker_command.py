"""`careergraph worker`: the arq worker in this process, kept running through store outages and
stopped by SIGTERM or SIGINT in every state; and `--check`, the health of this worker only.

One event loop runs the whole command. An attempt checks that both stores answer, then runs arq's
`Worker` (loaded by reference, `worker.main.WorkerSettings`) on careergraph's own Redis client
(`redis_client`: one server or the master behind Sentinel, with the socket timeouts of every
other Redis user, so no command waits forever on a frozen server). When a store stops answering
the attempt ends, and the next starts after 1, 2, 4 ... `MAX_DELAY_S` s. A signal sets `stopping`:
while arq runs, arq's own handler cancels the running jobs and its poll loop (their jobs are
retried by the next worker), and between attempts the wait and the stores' check are cancelled,
so the process exits within `STOP_WITHIN_S` whatever it was doing.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import signal
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

from arq.worker import Worker, get_kwargs
from pymongo.errors import PyMongoError
from redis.exceptions import RedisError

from service import jobs
from service.ops.heartbeats import own_worker_health
from service.platform.config import Settings
from service.platform.resources import ServiceUnavailable, check_reachable, open_resources, redis_client

WORKER_SETTINGS = "worker.main.WorkerSettings"
OUTAGE = (RedisError, OSError, ServiceUnavailable, PyMongoError)
MAX_DELAY_S = 30.0
STOP_WITHIN_S = 8.0  # under docker's default grace period (10 s) before its SIGKILL
CLOSE_S = 3.0


def worker_settings(settings: Settings) -> dict[str, Any]:
    """WorkerSettings loaded by reference, as the dict arq accepts, with what the module's
    `settings_for(settings)` derives from the settings (e.g. cron jobs)."""
    module_name, _, class_name = WORKER_SETTINGS.rpartition(".")
    module = importlib.import_module(module_name)
    derived = module.settings_for(settings) if hasattr(module, "settings_for") else {}
    return {**vars(getattr(module, class_name)), **derived}


def check_worker(settings: Settings) -> int:
    """`worker --check`: 0 when this process group's (else this host's) worker beat recently."""
    async def check() -> tuple[bool, str]:
        async with open_resources(settings) as resources:
            return await own_worker_health(resources)

    try:
        healthy, line = asyncio.run(check())
    except OUTAGE as exc:
        healthy, line = False, f"cannot read the workers' heartbeats ({type(exc).__name__})"
    print(f"careergraph worker --check: {line}", file=sys.stdout if healthy else sys.stderr, flush=True)
    return 0 if healthy else 1


async def burst_until_empty(run_burst: Callable[[], Awaitable[object]], settings: Settings) -> None:
    """arq's burst mode stops when it finds the queue empty, and the queue is empty for a moment
    between a run's end and the follow-up that run queues (`after_job_end`). A burst ends after
    that hook, so a follow-up is in the queue by then: run again until nothing is left."""
    while True:
        await run_burst()
        redis = redis_client(settings)
        try:
            if await jobs.jobs_waiting(redis) == 0:
                return
        finally:
            await redis.aclose(close_connection_pool=True)


class WorkerCommand:
    def __init__(self, settings: Settings, burst: bool = False) -> None:
        self.settings, self.burst = settings, burst
        self.stopping = asyncio.Event()
        self.running: Worker | None = None

    def _on_signal(self, signum: int) -> None:
        self.stopping.set()
        if self.running is not None:  # arq's own handler normally has the signal while it runs
            self.running.handle_sig(signal.Signals(signum))

    async def _run_arq(self) -> None:
        """One arq Worker to its end (burst done, or stopped), its clients closed even when a
        store outage broke arq's own close."""
        configured = worker_settings(self.settings)
        redis = redis_client(self.settings)
        arguments: dict[str, Any] = {**get_kwargs(configured), "redis_pool": redis, "burst": self.burst}
        worker = Worker(**arguments)
        worker.on_stop = lambda signum: self.stopping.set()
        self.running = worker
        try:
            with contextlib.suppress(asyncio.CancelledError):
                await worker.async_run()
        finally:
            self._listen()  # arq's handlers go: ours are back before anything else runs
            try:  # arq's close waits for running jobs; a signal meanwhile cancels them (handle_sig)
                await asyncio.wait_for(worker.close(), None if not self.stopping.is_set() else CLOSE_S)
            except (*OUTAGE, TimeoutError):
                pass
            finally:
                await self._jobs_ended(worker)
                self.running = None
                with contextlib.suppress(*OUTAGE, TimeoutError):
                    await asyncio.wait_for(configured["on_shutdown"](worker.ctx), CLOSE_S)
                await redis.aclose(close_connection_pool=True)
        if self.stopping.is_set():
            raise asyncio.CancelledError  # a stop, not the end of a burst

    async def _jobs_ended(self, worker: Worker) -> None:
        """arq's close gives up at the first job that a store outage failed (its end could not be
        recorded in Redis): wait for the others too, before their clients are closed under them."""
        running = [task for task in worker.tasks.values() if not task.done()]
        if running:
            await asyncio.wait(running, timeout=CLOSE_S if self.stopping.is_set() else None)
        for task in worker.tasks.values():
            if task.done() and not task.cancelled() and task.exception() is not None:
                print(f"careergraph worker: a job ended with {type(task.exception()).__name__} as Redis went away",
                      file=sys.stderr, flush=True)

    async def _attempt(self) -> None:
        await check_reachable(self.settings)
        if self.burst:
            await burst_until_empty(self._run_arq, self.settings)
        else:
            await self._run_arq()

    def _listen(self) -> None:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, self._on_signal, signum)

    async def run(self) -> int:
        self._listen()
        delay = 1.0
        while not self.stopping.is_set():
            started = time.monotonic()
            attempt = asyncio.ensure_future(self._attempt())
            stop = asyncio.ensure_future(self.stopping.wait())
            await asyncio.wait({attempt, stop}, return_when=asyncio.FIRST_COMPLETED)
            stop.cancel()
            if not attempt.done():  # a signal: arq was told (it closes itself), anything else stops now
                if self.running is None:
                    attempt.cancel()
                done, _ = await asyncio.wait({attempt}, timeout=STOP_WITHIN_S)
                if not done:
                    attempt.cancel()
                    await asyncio.wait({attempt}, timeout=1.0)
                break
            try:
                attempt.result()
                break  # a burst that emptied the queue
            except asyncio.CancelledError:
                break
            except OUTAGE as exc:
                if time.monotonic() - started > 60:  # it had been running: a fresh outage
                    delay = 1.0
                print(f"careergraph worker: a store is not answering ({type(exc).__name__}); "
                      f"starting again in {delay:g} s", file=sys.stderr, flush=True)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.stopping.wait(), delay)
                delay = min(delay * 2, MAX_DELAY_S)
        for signum in (signal.SIGTERM, signal.SIGINT):
            asyncio.get_running_loop().remove_signal_handler(signum)
        return 0


def run_worker_command(settings: Settings, burst: bool) -> int:
    return asyncio.run(WorkerCommand(settings, burst).run())
