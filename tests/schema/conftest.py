"""The API through its HTTP layer (ASGI), with its lifespan, on real MongoDB and Redis."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from service.platform.config import Settings
from service.platform.resources import Resources
from tests.factories.api import Api, open_api


@pytest.fixture
async def api(settings: Settings, resources: Resources) -> AsyncIterator[Api]:
    async for opened in open_api(settings, resources):
        yield opened
