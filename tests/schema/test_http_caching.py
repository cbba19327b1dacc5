"""GET answers carry Cache-Control, a strong ETag and Vary, and a matching If-None-Match gets 304."""

from __future__ import annotations

import json

from service.platform.resources import Resources
from service.summaries.recompute import recompute
from tests.factories.api import Api
from tests.factories.documents import add

ROLE = '{ role(slug: "backend-developer") { slug title } }'
ROLE_TOTAL = """query($role: String) { salarySummaries(role: $role, level: ROLE, currency: "USD") {
  role count median source version } }"""


async def get(api: Api, query: str, variables: dict[str, object] | None = None, **headers: str):
    params = {"query": query, **({"variables": json.dumps(variables)} if variables else {})}
    return await api.client.get("/graphql", params=params, headers=headers)


async def test_a_summary_read_revalidates_without_running_until_the_version_changes(
        api: Api, resources: Resources) -> None:
    await add(resources.db, "backend-developer", [100_000.0, 110_000.0, 120_000.0, 130_000.0, 140_000.0])
    await recompute(resources, "all", trigger="test")
    variables = {"role": "backend-developer"}
    first = await get(api, ROLE_TOTAL, variables)
    assert first.status_code == 200 and first.headers["x-careergraph-cache"] == "miss"
    etag = first.headers["etag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    ttl = int(resources.settings.response_cache_ttl_s)
    assert first.headers["cache-control"] == f"public, max-age={ttl}"
    assert first.headers["vary"] == "Accept, Authorization"
    again = await get(api, ROLE_TOTAL, variables, **{"if-none-match": etag})
    assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", etag)
    assert again.headers["x-careergraph-cache"] == "hit"  # answered from the cache, nothing ran
    assert (await get(api, ROLE_TOTAL, variables, **{"if-none-match": '"other"'})).status_code == 200
    assert (await get(api, ROLE_TOTAL, {"role": "devops-engineer"})).headers["etag"] != etag

    await add(resources.db, "backend-developer", [500_000.0])
    await recompute(resources, "backend-developer", trigger="test")
    changed = await get(api, ROLE_TOTAL, variables, **{"if-none-match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert changed.json()["data"]["salarySummaries"][0]["count"] == 6


async def test_a_key_makes_the_answer_private(api: Api, resources: Resources) -> None:
    await recompute(resources, "all", trigger="test")
    keyed = await get(api, ROLE_TOTAL, {"role": "backend-developer"},
                      authorization=f"Bearer {api.keys['reader']}")
    assert keyed.headers["cache-control"].startswith("private, max-age=")
    catalog = await get(api, ROLE, authorization=f"Bearer {api.keys['reader']}")
    assert catalog.headers["cache-control"] == "private, no-cache"


async def test_other_reads_revalidate_by_their_body(api: Api) -> None:
    first = await get(api, ROLE)
    assert first.status_code == 200 and first.headers["cache-control"] == "no-cache"
    etag = first.headers["etag"]
    assert (await get(api, ROLE, **{"if-none-match": f'W/{etag}, "x"'})).status_code == 304
    await api.data('mutation($i: UpsertSkillInput!) { upsertSkill(input: $i) { userErrors { message } } }',
                   {"i": {"slug": "zig", "name": "Zig", "category": "language", "description": "A language.",
                          "aliases": []}}, key="editor")
    same = await get(api, ROLE, **{"if-none-match": etag})
    assert same.status_code == 304  # the answer did not change


async def test_errors_and_posts_are_not_cached(api: Api) -> None:
    bad = await get(api, '{ role(slug: "backend-developer") { nope } }')
    assert bad.headers["cache-control"] == "no-store" and "etag" not in bad.headers
    posted = await api.post(ROLE)
    assert "etag" not in posted.headers
