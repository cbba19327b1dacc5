"""Shared test helpers: paths, sizes, observation factories and the in-process API client.

Fixtures live in the conftest files; everything a test module imports from elsewhere in `tests`
comes from here (or, for the real processes, `tests/e2e/processes.py`), never from another test
module.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from pymongo import AsyncMongoClient, monitoring

from schema.asgi import create_app
from service.access.api_keys import create_api_key
from service.ingest.seed import load_seed
from service.platform.config import Settings
from service.platform.resources import Resources
from service.salaries.model import SalaryObservation
from service.store import database as c

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
LEVELS_FYI_SAMPLE = FIXTURES / "levels_fyi_sample.csv"
TEST_SOURCE = "test"

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


_keys = itertools.count()


def observation(role: str, amount: float, country: str | None = "US", band: str | None = "mid",
                currency: str = "USD", **fields: Any) -> SalaryObservation:
    """One valid observation, built by the model's own builder (as imports and submissions are)."""
    return SalaryObservation(key=f"t{next(_keys)}", role=role, amount=amount, currency=currency,
                             country=country, experience_band=band, source=TEST_SOURCE,
                             created_at=fields.pop("created_at", datetime.now(UTC)), **fields)


async def add(db: Any, role: str, amounts: list[float], country: str | None = "US", band: str | None = "mid",
              currency: str = "USD", **fields: Any) -> list[SalaryObservation]:
    """Insert one observation per amount; returns them."""
    made = [observation(role, amount, country, band, currency, **fields) for amount in amounts]
    await db[c.SALARY_OBSERVATIONS].insert_many([o.to_document() for o in made])
    return made


def role_total(summaries: list[Any]) -> Any:
    (found,) = [s for s in summaries if s.level == "ROLE" and s.currency == "USD"]
    return found


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


async def add_roles(db: Any, count: int) -> None:
    """`count` more roles (extra-00, extra-01, ...), copies of the seed's first."""
    from service.ingest.seed.roles import ROLES

    await db[c.ROLES].insert_many([{**ROLES[0].to_document(), "slug": f"extra-{i:02d}", "title": f"Extra {i:02d}"}
                                   for i in range(count)])


@dataclass
class Api:
    """The API in this process (ASGI transport, lifespan run), with a key of each role."""

    client: httpx.AsyncClient
    keys: dict[str, str]

    async def post(self, query: str, variables: dict[str, Any] | None = None, key: str | None = None,
                   **extra: Any) -> httpx.Response:
        headers = {"authorization": f"Bearer {self.keys[key]}"} if key else {}
        return await self.client.post("/graphql", json={"query": query, "variables": variables or {}},
                                      headers=headers, **extra)

    async def gql(self, query: str, variables: dict[str, Any] | None = None,
                  key: str | None = None) -> dict[str, Any]:
        response = await self.post(query, variables, key)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def data(self, query: str, variables: dict[str, Any] | None = None,
                   key: str | None = None) -> dict[str, Any]:
        body = await self.gql(query, variables, key)
        assert "errors" not in body, body["errors"]
        result: dict[str, Any] = body["data"]
        return result


async def commands_by_page_size(api: Api, counter: CommandCounter, query: str, sizes: tuple[int, ...] = (5, 50)
                                ) -> dict[int, int]:
    """MongoDB commands `query` costs with `$n` set to each size (each answer must have n roles)."""
    measured = {}
    for n in sizes:
        counter.count = 0
        data = await api.data(query, {"n": n})
        assert len(data["roles"]["edges"]) == n
        measured[n] = counter.count
    return measured


def codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors", [])]


async def open_api(settings: Settings, resources: Resources) -> AsyncIterator[Api]:
    """Seed, create a key per role, and serve the app in process until the caller is done."""
    await load_seed(resources.db)
    keys = {role: await create_api_key(resources.db, role) for role in ("reader", "editor", "admin")}
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield Api(client=client, keys=keys)
