"""Fuzzing the API with queries generated from its own schema (hypothesis-graphql).

Positive mode sends valid operations with arbitrary arguments; negative mode sends invalid ones.
Either way: no 5xx, every error carries `extensions.code`, nothing unexpected (no
INTERNAL_SERVER_ERROR), and no traceback or connection string in any message.
`pytest --long` (or `--fuzz-examples N`) runs the longer profile, 2000 examples per test.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis_graphql import Mode, mutations, queries
from pymongo import MongoClient

from schema.sdl.export import SDL_PATH
from tests.e2e.processes import HTTP, api_process, careergraph_env
from tests.factories.servers import sized

SDL = SDL_PATH.read_text()
LEAKS = ("Traceback", "mongodb://", "redis://", 'File "', "pymongo", "site-packages")


@pytest.fixture(scope="module")
def server(servers: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    db = "fuzz_api"
    env = careergraph_env(MONGODB_URL=servers.mongodb_url, REDIS_URL=servers.redis_url, MONGODB_DB=db,
                          CAREERGRAPH_RATE_LIMIT_POINTS="0")  # thousands of queries from one client
    subprocess.run([sys.executable, "-m", "service", "seed"], env=env, check=True, capture_output=True)
    key = subprocess.run([sys.executable, "-m", "service", "create-api-key", "--role", "admin"], env=env,
                         check=True, capture_output=True, text=True).stdout.strip()
    try:
        with api_process(env, Path(tmp_path_factory.mktemp("fuzz"))) as base:
            yield f"{base}/graphql", key
    finally:
        with MongoClient(servers.mongodb_url) as client:
            client.drop_database(db)


def check(response: httpx.Response) -> None:
    assert response.status_code < 500, response.text[:500]
    if response.status_code == 413:
        return
    body = response.json()
    for error in body.get("errors", []):
        code = error.get("extensions", {}).get("code")
        assert code and code != "INTERNAL_SERVER_ERROR", error
        assert not any(leak in error["message"] for leak in LEAKS), error


def fuzz_settings(request: pytest.FixtureRequest) -> Any:
    return hsettings(max_examples=sized(request.config, "fuzz_examples"), deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def test_generated_queries(server: tuple[str, str], request: pytest.FixtureRequest) -> None:
    url, _ = server

    @fuzz_settings(request)
    @given(query=queries(SDL))
    def run(query: str) -> None:
        check(HTTP.post(url, json={"query": query}, timeout=30))

    run()


def test_generated_mutations_with_an_admin_key(server: tuple[str, str], request: pytest.FixtureRequest) -> None:
    url, key = server

    @fuzz_settings(request)
    @given(query=mutations(SDL))
    def run(query: str) -> None:
        check(HTTP.post(url, json={"query": query}, headers={"authorization": f"Bearer {key}"}, timeout=30))

    run()


def test_invalid_generated_queries(server: tuple[str, str], request: pytest.FixtureRequest) -> None:
    url, _ = server

    @fuzz_settings(request)
    @given(query=queries(SDL, mode=Mode.NEGATIVE))
    def run(query: str) -> None:
        response = HTTP.post(url, json={"query": query}, timeout=30)
        check(response)
        assert response.json().get("errors"), "an invalid query must be refused"

    run()

