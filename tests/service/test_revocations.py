"""A revoked key is announced on Redis: another process hears it at once, forgets its kept copy of
the key and wakes whoever watches that key; notices for another database, or malformed, change
nothing."""

from __future__ import annotations

import asyncio
import json

import pytest

from service.access import api_keys
from service.access.revocations import CHANNEL, Revocations, revoke_api_key
from service.errors import Unauthenticated
from service.platform.config import Settings
from service.platform.resources import Resources, open_resources


async def test_another_process_hears_a_revocation_at_once(resources: Resources, settings: Settings,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api_keys, "KEY_CACHE_S", 3600.0)  # without the notice, the kept copy would serve on
    key = await api_keys.create_api_key(resources.db, "reader")
    key_id, header = key.split("_")[1], f"Bearer {key}"
    async with open_resources(settings) as elsewhere:  # the API process that did not revoke
        heard = Revocations(elsewhere)
        assert await heard.channel.wait_listening()
        assert (await api_keys.authenticate(elsewhere, header)).role == "reader"  # now kept
        with heard.watch(key_id) as revoked, heard.watch("someone-else") as other:
            assert heard.watched == 2
            await resources.redis.publish(CHANNEL, b"not json")
            await resources.redis.publish(CHANNEL, json.dumps({"database": "another-db", "key_id": key_id}))
            await asyncio.sleep(0.2)
            assert not revoked.is_set()
            assert (await api_keys.authenticate(elsewhere, header)).role == "reader"
            assert await revoke_api_key(resources, key_id)
            await asyncio.wait_for(revoked.wait(), 5)
            assert not other.is_set()
        assert heard.watched == 0
        with pytest.raises(Unauthenticated):
            await api_keys.authenticate(elsewhere, header)
        await heard.close()
    assert not await revoke_api_key(resources, "no-such-key")


async def test_a_revocation_stands_when_redis_cannot_be_told(resources: Resources, settings: Settings) -> None:
    key = await api_keys.create_api_key(resources.db, "reader")
    offline = Settings(**{**settings.__dict__, "redis_url": "redis://127.0.0.1:1", "redis_timeout_s": 0.2})
    async with open_resources(offline) as without_redis:
        assert await revoke_api_key(without_redis, key.split("_")[1])
    with pytest.raises(Unauthenticated):
        await api_keys.authenticate(resources, f"Bearer {key}")
