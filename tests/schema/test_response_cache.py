"""The whole-response cache: summary-only queries answered from Redis, per summary version."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import OperationDefinitionNode, parse

from schema.http.response_cache import cacheable, roles_of
from service.platform.resources import Resources
from service.store import change_marks, response_entries, summary_cache
from service.summaries.recompute import recompute
from tests.factories.api import Api, codes
from tests.factories.documents import add

ROLE_TOTAL = """query($role: String) { salarySummaries(role: $role, level: ROLE, currency: "USD") {
  role count median source version } }"""


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
    await add(resources.db, "backend-developer", [100_000.0, 110_000.0, 120_000.0, 130_000.0, 140_000.0])
    first_run = await recompute(resources, "all", trigger="test")
    variables = {"role": "backend-developer"}
    miss = await api.post(ROLE_TOTAL, variables)
    hit = await api.post(ROLE_TOTAL, variables)
    assert (miss.headers["x-careergraph-cache"], hit.headers["x-careergraph-cache"]) == ("miss", "hit")
    assert hit.content == miss.content and hit.headers["content-type"].startswith("application/json")
    (row,) = hit.json()["data"]["salarySummaries"]
    assert (row["count"], row["median"], row["version"]) == (5, 118_000.0, first_run.version)  # 120,000 on the pay grid

    other = await api.post(ROLE_TOTAL, {"role": "devops-engineer"})  # other variables: own entry
    assert other.headers["x-careergraph-cache"] == "miss"

    await add(resources.db, "backend-developer", [500_000.0])
    second_run = await recompute(resources, "backend-developer", trigger="test")
    after = await api.post(ROLE_TOTAL, variables)
    assert after.headers["x-careergraph-cache"] == "miss"
    (row,) = after.json()["data"]["salarySummaries"]
    assert (row["count"], row["version"]) == (6, second_run.version)


async def test_live_reads_other_fields_and_bad_keys_never_touch_the_cache(api: Api, resources: Resources) -> None:
    await add(resources.db, "backend-developer", [100_000.0, 110_000.0, 120_000.0, 130_000.0, 140_000.0])
    await recompute(resources, "all", trigger="test")
    query = '{ salarySummaries(role: "backend-developer", level: ROLE) { count source } }'
    await api.post(query)
    assert (await api.post(query)).headers["x-careergraph-cache"] == "hit"

    bad = await api.client.post("/graphql", json={"query": query},
                                headers={"authorization": "Bearer cg_nope_nope"})
    assert "x-careergraph-cache" not in bad.headers
    # a bad key is refused even on a public read (issue 27, finding 3): never served as anonymous
    assert codes(bad.json()) == ["UNAUTHENTICATED"] and "data" not in bad.json()

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


def _operation(query: str) -> OperationDefinitionNode:
    (operation,) = parse(query).definitions
    assert isinstance(operation, OperationDefinitionNode)
    return operation


@pytest.mark.parametrize(("query", "variables", "expected"), [
    ('{ salarySummaries(role: "b") { count } }', {}, ("b",)),
    ("query($r: String) { salarySummaries(role: $r) { count } }", {"r": "b"}, ("b",)),
    ('query($r: String!) { payComparison(role: $r) { crowdMedian } officialWages(role: "a") { employment } }',
     {"r": "b"}, ("a", "b")),
    ('{ __typename salarySummaries(role: "b") { count } x: salarySummaries(role: "b") { n: count } }', {}, ("b",)),
    ("{ salarySummaries { count } }", {}, None),  # every role
    ('{ salarySummaries(role: "b") { count } all: salarySummaries { count } }', {}, None),
    ("query($r: String) { salarySummaries(role: $r) { count } }", {}, None),  # unset: every role
    ("query($r: String) { salarySummaries(role: $r) { count } }", {"r": 7}, None),  # not a string
    ("{ salarySummaries(role: null) { count } }", {}, None),
    ("query($r: String) { salarySummaries(role: $r) { count } }", {"r": "x" * 201}, None),
])
def test_an_answer_is_keyed_by_the_roles_it_names(query: str, variables: dict[str, Any],
                                                  expected: tuple[str, ...] | None) -> None:
    assert roles_of(_operation(query), variables) == expected


async def test_a_recompute_of_one_role_keeps_the_other_roles_answers(api: Api, resources: Resources) -> None:
    for role in ("backend-developer", "devops-engineer"):
        await add(resources.db, role, [100_000.0, 110_000.0, 120_000.0, 130_000.0, 140_000.0])
    await recompute(resources, "all", trigger="test")
    every_role = "{ salarySummaries(level: ROLE) { role count } }"
    for role in ("backend-developer", "devops-engineer"):
        await api.post(ROLE_TOTAL, {"role": role})
    await api.post(every_role)

    await add(resources.db, "backend-developer", [900_000.0])
    await recompute(resources, "backend-developer", trigger="test")
    kept = await api.post(ROLE_TOTAL, {"role": "devops-engineer"})
    moved = await api.post(ROLE_TOTAL, {"role": "backend-developer"})
    overall = await api.post(every_role)
    assert [r.headers["x-careergraph-cache"] for r in (kept, moved, overall)] == ["hit", "miss", "miss"]
    assert moved.json()["data"]["salarySummaries"][0]["count"] == 6
    assert {r["role"]: r["count"] for r in overall.json()["data"]["salarySummaries"]} == {
        "backend-developer": 6, "devops-engineer": 5}


async def test_a_write_makes_its_roles_cached_answer_stale_at_once(api: Api, resources: Resources) -> None:
    for role in ("backend-developer", "devops-engineer"):
        await add(resources.db, role, [100_000.0, 110_000.0, 120_000.0, 130_000.0, 140_000.0])
    await recompute(resources, "all", trigger="test")
    query = 'query($role: String) { salarySummaries(role: $role, level: ROLE) { count stale } }'
    for role in ("backend-developer", "devops-engineer"):
        assert (await api.post(query, {"role": role})).json()["data"]["salarySummaries"] == [
            {"count": 5, "stale": False}]

    await change_marks.mark_inputs_changed(resources.redis, ["backend-developer"])  # what a write does
    marked = await api.post(query, {"role": "backend-developer"})
    other = await api.post(query, {"role": "devops-engineer"})
    assert (marked.headers["x-careergraph-cache"], other.headers["x-careergraph-cache"]) == ("miss", "hit")
    assert marked.json()["data"]["salarySummaries"] == [{"count": 5, "stale": True}]
    again = await api.post(query, {"role": "backend-developer"})
    assert again.headers["x-careergraph-cache"] == "hit" and again.json() == marked.json()


async def test_an_entry_read_near_its_end_is_kept_and_an_every_role_entry_is_not(resources: Resources) -> None:
    redis = resources.redis
    await redis.set(summary_cache.LATEST, "0000000000001-aaaaaa")
    await redis.hset(summary_cache.CURRENT, summary_cache.salary_field("b"), "0000000000002-bbbbbb")
    about_b = await response_entries.read(redis, "k", ("b",), 10.0)
    overall = await response_entries.read(redis, "k", None, 10.0)
    assert (about_b.versions, overall.versions) == ("0000000000002-bbbbbb", "0000000000001-aaaaaa")
    for versions in (about_b.versions, overall.versions):
        assert versions is not None
        await response_entries.store(redis, versions, "k", b"answer", 10.0)
        await redis.pexpire(f"{response_entries.RESPONSES}{versions}:k", 1_000)  # near its end

    assert (await response_entries.read(redis, "k", ("b",), 10.0)).payload == b"answer"
    assert (await response_entries.read(redis, "k", None, 10.0)).payload == b"answer"
    assert await redis.pttl(f"{response_entries.RESPONSES}{about_b.versions}:k") > 9_000  # kept
    assert await redis.pttl(f"{response_entries.RESPONSES}{overall.versions}:k") <= 1_000  # left to expire

    unknown = await response_entries.read(redis, "k", ("b", "new-role"), 10.0)  # no summary yet
    assert unknown.versions == "0000000000002-bbbbbb,L0000000000001-aaaaaa"
    await redis.delete(summary_cache.LATEST)
    assert (await response_entries.read(redis, "k", ("new-role",), 10.0)).versions is None


async def responses_ttl_ms(resources: Resources) -> list[int]:
    keys = [key async for key in resources.redis.scan_iter(match=f"{response_entries.RESPONSES}*")]
    return sorted([await resources.redis.pttl(key) for key in keys])


async def test_an_answer_about_named_roles_outlives_the_short_ttl_and_an_every_role_answer_does_not(
        api: Api, resources: Resources) -> None:
    await add(resources.db, "backend-developer", [100_000.0, 110_000.0, 120_000.0, 130_000.0, 140_000.0])
    await recompute(resources, "all", trigger="test")
    settings = resources.settings
    short_ms, exact_ms = settings.response_cache_ttl_s * 1000, settings.response_cache_exact_ttl_s * 1000
    assert exact_ms > short_ms  # the defaults this test is about

    await api.post(ROLE_TOTAL, {"role": "backend-developer"})
    (about_role,) = await responses_ttl_ms(resources)
    assert short_ms < about_role <= exact_ms
    await api.post("{ salarySummaries(level: ROLE) { role count } }")
    every_role, _ = await responses_ttl_ms(resources)
    assert 0 < every_role <= short_ms
    # a role with no summary yet is keyed under the latest version overall: not exact, short-lived
    await api.post(ROLE_TOTAL, {"role": "devops-engineer"})
    assert sum(ms <= short_ms for ms in await responses_ttl_ms(resources)) == 2
