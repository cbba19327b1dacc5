"""The servers the tests run against, the sizes of a run, and helpers that watch a database."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
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
