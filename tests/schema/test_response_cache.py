"""The whole-response cache: summary-only queries answered from Redis, per summary version."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schema.response_cache import cacheable
from service.platform.resources import Resources
from service.store import database as c
from service.summaries.recompute import recompute
from tests.factories import Api

ROLE_TOTAL = """query($role: String) { salarySummaries(role: $role, level: ROLE, currency: "USD") {
  role count median source version } }"""


async def observe(resources: Resources, role: str, amounts: list[float]) -> None:
    now = datetime.now(UTC)
    await resources.db[c.SALARY_OBSERVATIONS].insert_many([
        {"content_hash": f"rc-{role}-{amount}", "role": role, "amount": amount, "currency": "USD",
         "country": "US", "experience_band": "mid", "source": "test", "created_at": now}
        for amount in amounts])


@pytest.mark.parametrize(("query", "expected"), [
    ("{ salarySummaries(role: \"x\") { count } }", True),
    ("query Q { __typename salarySummaries { role count } }", True),
    ("{ salarySummaries(role: \"x\", live: true) { count } }", False),
    ("{ salarySummaries(role: \"x\") { count } roles(first: 1) { totalCount } }", False),
    ("{ salarySummaries(role: \"x\") { ...F } } fragment F on SalarySummary { count }", False),
    ("mutation { requestRecompute { queued } }", False),
    ("{ salarySummaries(role: \"x\") @include(if: true) { count } }", False),
    ("{ salarySummaries(", False),
    ('{ payComparison(role: "x") { crowdMedian } officialWages(role: "x") { employment } }', True),
    ('{ role(slug: "x") { officialWages { employment } } }', False),
])
def test_only_summary_reads_are_cacheable(query: str, expected: bool) -> None:
    assert cacheable(query) is expected


async def test_a_repeated_read_is_served_whole_from_the_cache_until_the_next_version(
        api: Api, resources: Resources) -> None:
    await observe(resources, "backend-developer", [100_000.0, 110_000.0, 120_000.0, 130_000.0, 140_000.0])
    first_run = await recompute(resources, "all", trigger="test")
    variables = {"role": "backend-developer"}
    miss = await api.post(ROLE_TOTAL, variables)
    hit = await api.post(ROLE_TOTAL, variables)
    assert (miss.headers["x-careergraph-cache"], hit.headers["x-careergraph-cache"]) == ("miss", "hit")
    assert hit.content == miss.content and hit.headers["content-type"].startswith("application/json")
    (row,) = hit.json()["data"]["salarySummaries"]
    assert (row["count"], row["median"], row["version"]) == (5, 120_000.0, first_run.version)

    other = await api.post(ROLE_TOTAL, {"role": "devops-engineer"})  # other variables: own entry
    assert other.headers["x-careergraph-cache"] == "miss"

    await observe(resources, "backend-developer", [500_000.0])
    second_run = await recompute(resources, "backend-developer", trigger="test")
    after = await api.post(ROLE_TOTAL, variables)
    assert after.headers["x-careergraph-cache"] == "miss"
    (row,) = after.json()["data"]["salarySummaries"]
    assert (row["count"], row["version"]) == (6, second_run.version)


async def test_live_reads_other_fields_and_bad_keys_never_touch_the_cache(api: Api, resources: Resources) -> None:
    await observe(resources, "backend-developer", [100_000.0, 110_000.0, 120_000.0, 130_000.0, 140_000.0])
    await recompute(resources, "all", trigger="test")
    query = '{ salarySummaries(role: "backend-developer", level: ROLE) { count source } }'
    await api.post(query)
    assert (await api.post(query)).headers["x-careergraph-cache"] == "hit"

    bad = await api.client.post("/graphql", json={"query": query},
                                headers={"authorization": "Bearer cg_nope_nope"})
    assert "x-careergraph-cache" not in bad.headers
    assert bad.json()["data"]["salarySummaries"][0]["count"] == 5  # public read: answered, not cached

    live = '{ salarySummaries(role: "backend-developer", level: ROLE, live: true) { count source } }'
    for _ in range(2):
        answer = await api.post(live, key="admin")
        assert "x-careergraph-cache" not in answer.headers
        assert answer.json()["data"]["salarySummaries"][0]["source"] == "LIVE"

    mixed = '{ salarySummaries(role: "backend-developer") { count } roles(first: 1) { totalCount } }'
    assert "x-careergraph-cache" not in (await api.post(mixed)).headers


async def test_errors_are_not_cached(api: Api, resources: Resources) -> None:
    query = '{ salarySummaries(role: "backend-developer", level: NOPE) { count } }'
    await recompute(resources, "all", trigger="test")
    for _ in range(2):
        answer = await api.post(query)
        assert answer.headers.get("x-careergraph-cache") == "miss"
        assert answer.json()["errors"]
