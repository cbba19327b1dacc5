from __future__ import annotations

import dataclasses

import pytest

from service.platform.config import Settings
from service.platform.embedded import free_port
from service.platform.resources import (
    Resources,
    ServiceUnavailable,
    check_reachable,
    ping_mongodb,
    ping_redis,
    server_versions,
)


async def test_open_resources_reaches_both_stores(resources: Resources) -> None:
    await ping_mongodb(resources)
    await ping_redis(resources)
    mongodb_version, redis_version = await server_versions(resources)
    assert int(mongodb_version.split(".")[0]) >= 6
    assert int(redis_version.split(".")[0]) >= 6


async def test_writes_are_majority_acknowledged(resources: Resources) -> None:
    assert resources.db.write_concern.document == {"w": "majority"}
    await resources.db.probe.insert_one({"x": 1})
    assert await resources.db.probe.count_documents({}) == 1


async def test_an_unreachable_mongodb_is_named_without_credentials(settings: Settings) -> None:
    bad = dataclasses.replace(
        settings, mongodb_url=f"mongodb://user:hunter2@127.0.0.1:{free_port()}/?directConnection=true",
        mongodb_timeout_s=0.5,
    )
    with pytest.raises(ServiceUnavailable) as caught:
        await check_reachable(bad)
    assert caught.value.store == "MongoDB"
    assert "hunter2" not in str(caught.value) and "127.0.0.1" in str(caught.value)


async def test_an_unreachable_redis_is_named(settings: Settings) -> None:
    bad = dataclasses.replace(settings, redis_url=f"redis://127.0.0.1:{free_port()}/0",
                              redis_timeout_s=0.5)
    with pytest.raises(ServiceUnavailable) as caught:
        await check_reachable(bad)
    assert caught.value.store == "Redis"
