"""The API through its HTTP layer (ASGI), with its lifespan, on real MongoDB and Redis."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from schema.asgi import create_app
from service.api_keys import create_api_key
from service.config import Settings
from service.resources import Resources
from service.seed import load_seed


@dataclass
class Api:
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


def codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors", [])]


async def open_api(settings: Settings, resources: Resources) -> AsyncIterator[Api]:
    await load_seed(resources.db)
    keys = {role: await create_api_key(resources.db, role) for role in ("reader", "editor", "admin")}
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield Api(client=client, keys=keys)


@pytest.fixture
async def api(settings: Settings, resources: Resources) -> AsyncIterator[Api]:
    async for opened in open_api(settings, resources):
        yield opened
