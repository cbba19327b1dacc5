"""Fixtures: real MongoDB and Redis for the whole session, a fresh database and Redis keyspace
per test. Set MONGODB_URL / REDIS_URL to test against servers of your own."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis as sync_redis
from hypothesis import settings as hypothesis_settings
from pymongo import MongoClient

from service.platform.config import Settings
from service.platform.embedded import embedded_servers
from service.platform.resources import Resources, open_resources
from tests.factories.paths import SHARED_DATA
from tests.factories.servers import Servers, scratch_in_memory

# Tests never assert on timing: a property test that takes long on a busy machine is slow, not wrong, so
# hypothesis's per-example deadline (200 ms by default) is off for the whole suite.
hypothesis_settings.register_profile("careergraph", deadline=None)
hypothesis_settings.load_profile("careergraph")


def xdist_worker() -> int:
    """This process's number among pytest-xdist's workers (gw0 is 0); 0 when the suite runs in one process."""
    return int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)


def keyspace_of_worker(url: str, worker: int) -> str:
    """`url` with its Redis database number moved up by `worker`: every test flushes its worker's
    database, never another worker's (used when REDIS_URL names a server of your own)."""
    if not worker:
        return url
    parts = urlsplit(url)
    head, _, last = parts.path.rpartition("/")
    path = f"{head}/{int(last) + worker}" if last.isdigit() else f"{parts.path.rstrip('/')}/{worker}"
    return urlunsplit(parts._replace(path=path))


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    """One MongoDB and one Redis per process: under pytest-xdist each worker starts its own (its data
    in memory when the machine has tmpfs), or uses the database of its own number on your Redis."""
    mongodb_url, redis_url = os.environ.get("MONGODB_URL"), os.environ.get("REDIS_URL")
    with scratch_in_memory(tmp_path_factory.mktemp("embedded")) as data_dir, embedded_servers(
        need_mongo=not mongodb_url, need_redis=not redis_url, data_dir=data_dir,
    ) as started:
        yield Servers(
            mongodb_url=mongodb_url or (started.mongo.url if started.mongo else ""),
            redis_url=keyspace_of_worker(redis_url, xdist_worker()) if redis_url
            else (started.redis.url if started.redis else ""),
        )


@pytest.fixture
def memory_path(tmp_path: Path) -> Iterator[Path]:
    """A directory for the servers a test starts itself: in memory when the machine has tmpfs (see
    `scratch_in_memory`), else `tmp_path`."""
    with scratch_in_memory(tmp_path) as path:
        yield path


def database_name_for(nodeid: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "_", nodeid.split("::", 1)[-1])[:40]
    digest = hashlib.sha1(nodeid.encode()).hexdigest()[:8]
    return f"t_{digest}_{slug}"


@pytest.fixture
def settings(servers: Servers, request: pytest.FixtureRequest) -> Iterator[Settings]:
    """Settings pointing at the test servers, with a database of this test's own."""
    db_name = database_name_for(request.node.nodeid)
    value = Settings(mongodb_url=servers.mongodb_url, redis_url=servers.redis_url,
                     mongodb_db=db_name)
    client = sync_redis.Redis.from_url(servers.redis_url)
    client.flushdb()
    yield value
    client.flushdb()
    client.close()
    with MongoClient(servers.mongodb_url) as mongo:
        mongo.drop_database(db_name)


@pytest.fixture
async def resources(settings: Settings) -> AsyncIterator[Resources]:
    async with open_resources(settings) as opened:
        yield opened


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data not present: expected ../shared/data at {SHARED_DATA}")
    return SHARED_DATA


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--long", action="store_true",
                     help="the long profile: 2000 fuzz examples per test, 60 s of mixed load")
    parser.addoption("--fuzz-examples", type=int, default=None,
                     help="examples per hypothesis-graphql fuzz test (default 120; --long: 2000)")
    parser.addoption("--load-seconds", type=float, default=None,
                     help="seconds of each mixed-load round (default 10; --long: 60)")
    parser.addoption("--submissions", type=int, default=None,
                     help="concurrent submitSalary calls in the nothing-lost test (default 10000)")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """How many of the docs' examples ran and answered (tests/e2e/test_doc_examples.py): one line at the
    end of the run, from the reports, so under pytest-xdist too."""
    reports = [report for key in ("passed", "failed", "error") for report in terminalreporter.stats.get(key, [])
               if "test_doc_examples.py::test_example[" in getattr(report, "nodeid", "")]
    ran = [r for r in reports if r.when == "call"]
    if reports:
        answered = sum(r.passed for r in ran)
        terminalreporter.write_line(f"doc examples: {len(ran)} run, {answered} answered, {len(ran) - answered} "
                                    f"failed, {sum(r.when == 'setup' and r.failed for r in reports)} not started")
