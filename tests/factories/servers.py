"""The servers the tests run against, the sizes of a run, and helpers that watch a database."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pymongo import AsyncMongoClient, monitoring

from service.store import database as c

#: (default, --long) for each sized option: the long profile is `make test PYTEST_ARGS=--long`.
PROFILES = {"fuzz_examples": (120, 2000), "load_seconds": (10, 60), "submissions": (10_000, 10_000)}


def sized(config: pytest.Config, name: str) -> Any:
    """An option's value: given on the command line, else its profile's."""
    given = config.getoption(name)
    if given is not None:
        return given
    default, long = PROFILES[name]
    return long if config.getoption("long") else default


@dataclass(frozen=True)
class Servers:
    mongodb_url: str
    redis_url: str


class SyncDatabase:
    """One event loop, client and database for every hypothesis example of a test module
    (hypothesis runs every example inside one call of the test function)."""

    def __init__(self, servers: Servers, name: str) -> None:
        self.name = name
        self.loop = asyncio.new_event_loop()
        self.client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(servers.mongodb_url, tz_aware=True)
        self.db = self.client[self.name]
        self.run(self.client.drop_database(self.name))
        self.run(c.ensure_collections(self.db))

    def run(self, coro: Any) -> Any:
        return self.loop.run_until_complete(coro)

    def close(self) -> None:
        self.run(self.client.drop_database(self.name))
        self.run(self.client.close())
        self.loop.close()


class CommandCounter(monitoring.CommandListener):
    """Counts the commands sent to one database, by every client opened after `monitoring.register`."""

    def __init__(self, database: str) -> None:
        self.database, self.count = database, 0

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.database_name == self.database:
            self.count += 1

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


#: Where servers the tests start keep their files: tmpfs, when the machine has one with room. mongod
#: there makes a collection or an index in ~5 ms instead of ~25 ms (no fsync), and every test
#: database gets some 20 collections and 40 indexes.
MEMORY_ROOT = Path("/dev/shm")
MEMORY_ROOM_BYTES = 2 << 30
MEMORY_PREFIX = "careergraph-tests-"


def _room_in_memory() -> bool:
    try:
        stat = os.statvfs(MEMORY_ROOT)
    except OSError:
        return False
    return os.access(MEMORY_ROOT, os.W_OK) and stat.f_bavail * stat.f_frsize >= MEMORY_ROOM_BYTES


def _clear_leftovers() -> None:
    """Remove what runs that were killed before they could clean up left in memory."""
    for path in MEMORY_ROOT.glob(f"{MEMORY_PREFIX}*"):
        pid = path.name.removeprefix(MEMORY_PREFIX).split("-", 1)[0]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def scratch_in_memory(fallback: Path) -> Iterator[Path]:
    """A directory on tmpfs (removed on the way out), or `fallback` where there is none."""
    if not _room_in_memory():
        yield fallback
        return
    _clear_leftovers()
    path = Path(tempfile.mkdtemp(prefix=f"{MEMORY_PREFIX}{os.getpid()}-", dir=MEMORY_ROOT))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
