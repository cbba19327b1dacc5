"""Rate limiting through the HTTP layer: executed queries and response-cache hits both pay."""

from __future__ import annotations

import dataclasses

from service.platform.config import Settings
from service.platform.resources import Resources
from service.store import summary_cache
from service.summaries.recompute import recompute
from tests.factories.api import open_api

SUMMARY = '{ salarySummaries(role: "backend-developer", level: ROLE) { count } }'


async def test_points_are_charged_by_cost_and_refused_with_429(settings: Settings, resources: Resources) -> None:
    tight = dataclasses.replace(settings, rate_limit_points=25, rate_limit_refill_per_s=0.01)
    async for api in open_api(tight, resources):
        first = await api.post("{ roles(first: 1000) { totalCount } }")  # 1000 nodes: 10 points
        assert first.status_code == 200 and first.json()["extensions"]["cost"]["points"] == 10
        assert first.headers["x-ratelimit-remaining"] == "15"
        assert (await api.post("{ roles(first: 1000) { totalCount } }")).status_code == 200
        refused = await api.post("{ roles(first: 1000) { totalCount } }")
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
        error = refused.json()["errors"][0]
        assert error["extensions"]["code"] == "RATE_LIMITED" and error["extensions"]["cost"]["points"] == 10
        assert refused.json().get("data") is None
        # another key is another bucket
        assert (await api.post("{ roles(first: 1000) { totalCount } }", key="reader")).status_code == 200


async def test_response_cache_hits_are_charged_too(settings: Settings, resources: Resources) -> None:
    tight = dataclasses.replace(settings, rate_limit_points=3, rate_limit_refill_per_s=0.01)
    async for api in open_api(tight, resources):
        await recompute(resources, "all")
        assert await resources.redis.get(summary_cache.LATEST)
        answers = [await api.post(SUMMARY) for _ in range(4)]
        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        assert [a.headers.get("x-careergraph-cache") for a in answers[:3]] == ["miss", "hit", "hit"]
        assert answers[2].headers["x-ratelimit-remaining"] == "0"
        assert answers[3].json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"


async def test_a_cache_miss_is_charged_its_cost_once_and_a_hit_the_same(settings: Settings,
                                                                        resources: Resources) -> None:
    tight = dataclasses.replace(settings, rate_limit_points=25, rate_limit_refill_per_s=0.01)
    wages = 'officialWages(role: "backend-developer", first: 100) { employment area { name } }'
    query = "{ " + " ".join(f"w{n}: {wages}" for n in range(10)) + " }"  # ten lists of up to 100: 10 points
    async for api in open_api(tight, resources):
        await recompute(resources, "all")
        miss, hit, refused = [await api.post(query) for _ in range(3)]
        assert (miss.headers["x-careergraph-cache"], hit.headers["x-careergraph-cache"]) == ("miss", "hit")
        assert miss.json()["extensions"]["cost"]["points"] == 10
        # taken once on the way in, not again by the execution behind the cache
        assert (miss.headers["x-ratelimit-remaining"], hit.headers["x-ratelimit-remaining"]) == ("15", "5")
        assert refused.status_code == 429 and "x-careergraph-cache" not in refused.headers
        assert refused.json()["errors"][0]["extensions"]["cost"]["points"] == 10
