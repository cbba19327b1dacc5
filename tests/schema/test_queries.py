"""Every query, through HTTP, against the seed data."""

from __future__ import annotations

import base64

from service.ingest.salaries import LEVELS_FYI, import_salaries
from service.jobs import QUEUE_NAME
from service.platform.resources import Resources
from tests.factories.api import Api, codes
from tests.factories.documents import add
from tests.factories.paths import LEVELS_FYI_SAMPLE as SAMPLE

ROLE_QUERY = """
query ($slug: String!) {
  role(slug: $slug) {
    id slug title family aliases responsibilities onetCodes
    skills(importance: [CORE]) { importance hot inDemand skill { slug name category } }
    relatedRoles { tier role { slug } }
    learningPaths { slug totalHours steps { position title skills { slug } resources { title kind } } }
    salaryBenchmarks { statistic amount currency country experienceBand scope source { title publisher } }
    outlooks { growthPercent openingsPerYear period region source { title } }
  }
}"""


async def test_role_with_everything_linked(api: Api) -> None:
    role = (await api.data(ROLE_QUERY, {"slug": "backend-developer"}))["role"]
    assert role["title"] == "Backend Developer" and "Back End Developer" in role["aliases"]
    assert {"sql", "api-design", "git"} <= {s["skill"]["slug"] for s in role["skills"]}
    assert all(s["importance"] == "CORE" for s in role["skills"])
    assert {"tier": "contrast", "role": {"slug": "frontend-developer"}} in role["relatedRoles"]
    path = role["learningPaths"][0]
    assert [s["position"] for s in path["steps"]] == list(range(1, 10)) and path["totalHours"] == 640
    amounts = {(b["amount"], b["experienceBand"]) for b in role["salaryBenchmarks"]}
    assert {(82326.0, None), (72514.0, "ENTRY"), (87979.0, "EXPERIENCED")} <= amounts
    assert all(b["source"]["title"] for b in role["salaryBenchmarks"])
    assert {o["growthPercent"] for o in role["outlooks"]} == {13.0, 21.0, None}


async def test_unknown_slug_is_not_found(api: Api) -> None:
    body = await api.gql('{ role(slug: "astronaut") { title } }')
    assert body["data"] == {"role": None} and codes(body) == ["NOT_FOUND"]
    body = await api.gql('{ skill(slug: "nope") { name } learningPath(slug: "nope") { title } }')
    assert codes(body) == ["NOT_FOUND", "NOT_FOUND"]


async def test_roles_pagination_forward_and_back(api: Api) -> None:
    query = """query ($first: Int, $after: String, $last: Int, $before: String) {
      roles(first: $first, after: $after, last: $last, before: $before) {
        totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { slug title } } } }"""
    seen: list[str] = []
    after = None
    while True:
        page = (await api.data(query, {"first": 5, "after": after}))["roles"]
        seen += [e["node"]["title"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == page["totalCount"] == 16 and seen == sorted(seen)
    back = (await api.data(query, {"last": 3, "before": page["pageInfo"]["startCursor"]}))["roles"]
    start = seen.index(page["edges"][0]["node"]["title"])
    assert [e["node"]["title"] for e in back["edges"]] == seen[start - 3:start]
    assert back["pageInfo"]["hasPreviousPage"] is True and back["pageInfo"]["hasNextPage"] is True


async def test_page_sizes_are_bounded(api: Api) -> None:
    for args in ("(first: 0)", "(first: 1000)", "(last: -1)", "", "(first: 2, last: 2)"):
        body = await api.gql(f"{{ roles{args} {{ totalCount }} }}")
        assert codes(body) == ["BAD_USER_INPUT"], (args, body)
    body = await api.gql('{ roles(first: 2, after: "not-a-cursor!") { totalCount } }')
    assert codes(body) == ["BAD_USER_INPUT"]


async def test_role_filters(api: Api) -> None:
    by_skill = await api.data('{ roles(first: 50, filter: {skill: "spring-boot"}) { edges { node { slug } } } }')
    assert {e["node"]["slug"] for e in by_skill["roles"]["edges"]} == {"backend-developer", "java-developer"}
    by_family = await api.data('{ roles(first: 50, filter: {family: "data"}) { totalCount } }')
    assert by_family["roles"]["totalCount"] == 2
    by_search = await api.data('{ roles(first: 5, filter: {search: "back-end dev"}) { edges { node { slug } } } }')
    assert by_search["roles"]["edges"][0]["node"]["slug"] == "backend-developer"
    with_pay = await api.data('{ roles(first: 50, filter: {hasSalaryData: true}) { edges { node { slug } } } }')
    assert {"backend-developer", "java-developer"} <= {e["node"]["slug"] for e in with_pay["roles"]["edges"]}


async def test_skills_and_their_roles(api: Api) -> None:
    data = await api.data('{ skills(first: 100, filter: {category: "database"}) { totalCount edges { node { slug } } } }')
    slugs = {e["node"]["slug"] for e in data["skills"]["edges"]}
    assert {"mysql", "postgresql", "mongodb", "redis", "sqlite", "mariadb"} == slugs
    skill = (await api.data('{ skill(slug: "django") { name roles { importance role { slug } } } }'))["skill"]
    assert {"importance": "CORE", "role": {"slug": "python-web-developer"}} in skill["roles"]
    assert skill["roles"][0]["importance"] == "CORE"


async def test_search_finds_through_aliases(api: Api) -> None:
    query = """query ($text: String!) { search(text: $text, first: 3) {
      __typename ... on Role { slug } ... on Skill { slug } ... on LearningPath { slug } } }"""
    expectations = {"back end developer": "backend-developer", "backend dev": "backend-developer",
                    "postgres": "postgresql", "k8s": "kubernetes", "Backend-Developer": "backend-developer"}
    for text, slug in expectations.items():
        hits = (await api.data(query, {"text": text}))["search"]
        assert hits and hits[0]["slug"] == slug, (text, hits)
    assert codes(await api.gql('{ search(text: "") { __typename } }')) == ["BAD_USER_INPUT"]


async def test_skill_gap_orders_missing_skills_and_picks_steps(api: Api) -> None:
    query = """{ skillGap(role: "backend-developer", have: ["SQL", "k8s", "git", "juggling"]) {
      missing { importance skill { slug } } matched unknown totalHours
      steps { position estimatedHours } learningPath { slug } } }"""
    gap = (await api.data(query))["skillGap"]
    missing = [m["skill"]["slug"] for m in gap["missing"]]
    assert "sql" not in missing and "git" not in missing and "kubernetes" not in missing
    ranks = [("CORE", "RECOMMENDED", "OPTIONAL").index(m["importance"]) for m in gap["missing"]]
    assert ranks == sorted(ranks)
    assert set(gap["matched"]) == {"sql", "git", "kubernetes"} and gap["unknown"] == ["juggling"]
    assert gap["totalHours"] == sum(s["estimatedHours"] for s in gap["steps"]) > 0
    assert codes(await api.gql('{ skillGap(role: "nope", have: []) { totalHours } }')) == ["NOT_FOUND"]


async def test_nodes_round_trip_and_malformed_ids(api: Api) -> None:
    role = (await api.data('{ role(slug: "java-developer") { id } }'))["role"]
    node = await api.data('query ($id: ID!) { node(id: $id) { __typename id ... on Role { slug } } }',
                          {"id": role["id"]})
    assert node["node"] == {"__typename": "Role", "id": role["id"], "slug": "java-developer"}
    skill = (await api.data('{ skill(slug: "redis") { id } }'))["skill"]
    both = await api.data('query ($ids: [ID!]!) { nodes(ids: $ids) { __typename } }', {"ids": [skill["id"], role["id"]]})
    assert [n["__typename"] for n in both["nodes"]] == ["Skill", "Role"]
    for bad in ("garbage", base64.b64encode(b"Planet:mars").decode(), "%%%"):
        body = await api.gql('query ($id: ID!) { node(id: $id) { id } }', {"id": bad})
        assert codes(body) == ["BAD_USER_INPUT"], bad


async def test_salary_observations_filter_and_page(api: Api, resources: Resources) -> None:
    await import_salaries(resources, SAMPLE, LEVELS_FYI)
    anonymous = await api.gql('{ salaryObservations(first: 1) { totalCount } }')
    assert codes(anonymous) == ["UNAUTHENTICATED"]  # people's pay is not an anonymous read
    through_role = await api.gql('{ role(slug: "data-scientist") { salaryObservations(first: 1) { totalCount } } }')
    assert codes(through_role) == ["UNAUTHENTICATED"]
    data = await api.data("""{ salaryObservations(first: 10, filter: {country: "US"}) {
      totalCount edges { node { amount currency country experienceBand role { slug } source { slug } } } } }""",
                          key="reader")
    nodes = [e["node"] for e in data["salaryObservations"]["edges"]]
    assert data["salaryObservations"]["totalCount"] == 1 and nodes[0]["role"]["slug"] == "backend-developer"
    assert nodes[0]["source"]["slug"] == "levels-fyi-export"
    ranged = await api.data('{ salaryObservations(first: 10, filter: {minAmount: 130000}) { edges { node { amount } } } }',
                            key="reader")
    assert [e["node"]["amount"] for e in ranged["salaryObservations"]["edges"]] == [140000.0, 150000.0]
    by_role = await api.data('{ role(slug: "data-scientist") { salaryObservations(first: 5) { totalCount } } }',
                             key="reader")
    assert by_role["role"]["salaryObservations"]["totalCount"] == 1
    bad = await api.gql('{ salaryObservations(first: 5, filter: {minAmount: 10, maxAmount: 1}) { totalCount } }',
                        key="reader")
    assert codes(bad) == ["BAD_USER_INPUT"]


async def test_summaries_are_pending_before_the_worker_runs(api: Api, resources: Resources) -> None:
    empty = await api.data('{ salarySummaries(role: "backend-developer") { status count } }')
    assert empty["salarySummaries"] == []  # nothing observed: nothing to summarise, nothing queued
    assert await resources.redis.zcard(QUEUE_NAME) == 0
    await add(resources.db, "backend-developer", [90_000.0])
    data = await api.data("""{ salarySummaries(role: "backend-developer") { status count }
      role(slug: "backend-developer") { salarySummary(country: "US") { status country } demand { status } } }""")
    assert data["salarySummaries"] == [{"status": "PENDING", "count": 0}]
    assert data["role"]["salarySummary"] == {"status": "PENDING", "country": "US"}
    assert data["role"]["demand"] == {"status": "PENDING"}
    skill = await api.data('{ skill(slug: "python") { demand { status } } }')
    assert skill["skill"]["demand"] == {"status": "PENDING"}


async def test_classify_title_names_the_roles_a_title_belongs_to(api: Api) -> None:
    query = "query ($t: String!) { classifyTitle(title: $t, first: 3) { score method matchedTitle role { slug } } }"
    exact = (await api.data(query, {"t": "Back End Developer"}))["classifyTitle"]
    assert exact[0]["role"]["slug"] == "backend-developer" and exact[0]["score"] == 1.0
    assert exact[0]["method"] == "exact"
    near = (await api.data(query, {"t": "Senior Developer, back-end"}))["classifyTitle"]
    assert near[0]["role"]["slug"] == "backend-developer" and 0.6 <= near[0]["score"] < 1.0
    assert (await api.data(query, {"t": "Zookeeper of llamas"}))["classifyTitle"] == []
    assert codes(await api.gql(query, {"t": " "})) == ["BAD_USER_INPUT"]
