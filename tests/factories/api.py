"""The API in this process, for tests that call it over HTTP without starting a server: a client
with a key of each role, and what the tests read from its answers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx

from schema.asgi import create_app
from service.access.api_keys import create_api_key
from service.ingest.seed import load_seed
from service.platform.config import Settings
from service.platform.resources import Resources
from tests.factories.servers import CommandCounter


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


async def open_api(settings: Settings, resources: Resources) -> AsyncIterator[Api]:
    """Seed, create a key per role, and serve the app in process until the caller is done."""
    await load_seed(resources.db)
    keys = {role: await create_api_key(resources.db, role) for role in ("reader", "editor", "admin")}
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield Api(client=client, keys=keys)


def codes(body: dict[str, Any]) -> list[str]:
    """The `extensions.code` of each error of a GraphQL answer."""
    return [e["extensions"]["code"] for e in body.get("errors", [])]


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
