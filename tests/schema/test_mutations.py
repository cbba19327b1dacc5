"""Mutations: the auth matrix, validation through userErrors, idempotent salary submissions."""

from __future__ import annotations

import asyncio

import pytest

from service.access.revocations import revoke_api_key
from service.jobs import queued_job_key
from service.platform.resources import Resources
from service.store import database as c
from tests.factories.api import Api, codes

SUBMIT = """mutation ($input: SubmitSalaryInput!) { submitSalary(input: $input) {
  created userErrors { field message code }
  observation { id amount currency country experienceBand role { slug } source { slug } } } }"""


def salary(**overrides: object) -> dict[str, object]:
    base = {"role": "backend-developer", "amount": 91000, "currency": "USD", "country": "US",
            "experienceYears": 4.5, "idempotencyKey": "client-42-0001"}
    return {**base, **overrides}


MUTATIONS = {
    "submitSalary": ("reader", SUBMIT, {"input": salary()}),
    "upsertSkill": ("editor", """mutation ($input: UpsertSkillInput!) { upsertSkill(input: $input) {
        userErrors { code } skill { slug } } }""",
                    {"input": {"slug": "fastapi", "name": "FastAPI", "category": "framework"}}),
    "upsertRole": ("editor", """mutation ($input: UpsertRoleInput!) { upsertRole(input: $input) {
        userErrors { code } role { slug } } }""",
                   {"input": {"slug": "platform-engineer", "title": "Platform Engineer",
                              "skills": [{"skill": "kubernetes", "importance": "CORE"}]}}),
    "upsertLearningPath": ("editor", """mutation ($input: UpsertLearningPathInput!) {
        upsertLearningPath(input: $input) { userErrors { field code } learningPath { slug } } }""",
                           {"input": {"slug": "k8s-path", "role": "devops-engineer", "title": "Kubernetes",
                                      "steps": [{"title": "Pods", "skills": ["kubernetes"], "estimatedHours": 10}]}}),
    "requestRecompute": ("admin", "mutation { requestRecompute(role: \"backend-developer\") { queued userErrors { code } } }", {}),
}
LEVELS = ("reader", "editor", "admin")


@pytest.mark.parametrize("name", sorted(MUTATIONS))
@pytest.mark.parametrize("caller", [None, *LEVELS])
async def test_auth_matrix(api: Api, name: str, caller: str | None) -> None:
    needed, query, variables = MUTATIONS[name]
    body = await api.gql(query, variables, key=caller)
    if caller is None:
        assert codes(body) == ["UNAUTHENTICATED"] and body["data"] is None
    elif LEVELS.index(caller) < LEVELS.index(needed):
        assert codes(body) == ["FORBIDDEN"] and body["data"] is None
    else:
        assert "errors" not in body, body
        assert body["data"][name]["userErrors"] == []


async def test_bad_and_revoked_keys_are_unauthenticated(api: Api, resources: Resources) -> None:
    for header in ("Bearer cg_nope_nope", "Basic abc", "Bearer " + api.keys["admin"] + "x"):
        response = await api.client.post("/graphql", json={"query": SUBMIT, "variables": {"input": salary()}},
                                         headers={"authorization": header})
        assert codes(response.json()) == ["UNAUTHENTICATED"], header
    await revoke_api_key(resources, api.keys["reader"].split("_")[1])
    assert codes(await api.gql(SUBMIT, {"input": salary()}, key="reader")) == ["UNAUTHENTICATED"]
    stored = await resources.db["api_keys"].find_one({})
    assert stored is not None and "secret_sha256" in stored
    assert all(api.keys[r].split("_", 2)[2] not in str(stored) for r in LEVELS)


async def test_submit_salary_stores_once_per_idempotency_key(api: Api, resources: Resources) -> None:
    first = (await api.data(SUBMIT, {"input": salary()}, key="reader"))["submitSalary"]
    assert first["created"] is True and first["userErrors"] == []
    obs = first["observation"]
    assert (obs["amount"], obs["experienceBand"], obs["role"]["slug"], obs["source"]["slug"]) == (
        91000.0, "MID", "backend-developer", "careergraph-submissions")
    replies = await asyncio.gather(*[api.data(SUBMIT, {"input": salary()}, key="reader") for _ in range(20)])
    assert all(r["submitSalary"]["created"] is False for r in replies)
    assert {r["submitSalary"]["observation"]["id"] for r in replies} == {obs["id"]}
    assert await resources.db[c.SALARY_OBSERVATIONS].count_documents({}) == 1
    conflict = (await api.data(SUBMIT, {"input": salary(amount=99000)}, key="reader"))["submitSalary"]
    assert [e["code"] for e in conflict["userErrors"]] == ["IDEMPOTENCY_CONFLICT"]
    jobs = await resources.redis.keys(queued_job_key("backend-developer"))
    assert jobs, "a recompute of the role is queued"


@pytest.mark.parametrize(("overrides", "field"), [
    ({"amount": -1}, "amount"), ({"amount": 0}, "amount"), ({"amount": 5}, "amount"),
    ({"amount": 1e12}, "amount"), ({"currency": "XYZ"}, "currency"), ({"currency": "usd"}, "currency"),
    ({"country": "USA"}, "country"), ({"country": "ZZ"}, "country"), ({"experienceYears": 61}, "experienceYears"),
    ({"experienceYears": -1}, "experienceYears"), ({"idempotencyKey": "short"}, "idempotencyKey"),
    ({"role": "astronaut"}, "role"), ({"baseAmount": 200000}, "baseAmount"), ({"year": 1800}, "year"),
])
async def test_submit_salary_validation(api: Api, resources: Resources, overrides: dict[str, object], field: str) -> None:
    payload = (await api.data(SUBMIT, {"input": salary(**overrides)}, key="reader"))["submitSalary"]
    assert payload["observation"] is None and payload["created"] is False
    assert field in [e["field"] for e in payload["userErrors"]], payload
    assert await resources.db[c.SALARY_OBSERVATIONS].count_documents({}) == 0


async def test_upserts_validate_and_write(api: Api, resources: Resources) -> None:
    _, query, _ = MUTATIONS["upsertRole"]
    bad = await api.data(query, {"input": {"slug": "Bad Slug", "title": "", "skills": [
        {"skill": "no-such-skill", "importance": "CORE"}]}}, key="editor")
    assert {e["code"] for e in bad["upsertRole"]["userErrors"]} == {"BAD_USER_INPUT", "NOT_FOUND"}
    assert await resources.db[c.ROLES].count_documents({"slug": "Bad Slug"}) == 0
    good = await api.data(query, MUTATIONS["upsertRole"][2], key="editor")
    assert good["upsertRole"]["role"] == {"slug": "platform-engineer"}
    found = await api.data('{ role(slug: "platform-engineer") { skills { skill { slug } importance } } }')
    assert found["role"]["skills"] == [{"skill": {"slug": "kubernetes"}, "importance": "CORE"}]
    _, path_query, _ = MUTATIONS["upsertLearningPath"]
    bad_path = await api.data(path_query, {"input": {"slug": "p", "role": "nope", "title": "T", "steps": [
        {"title": "A", "prerequisites": [2]}]}}, key="editor")
    assert {e["field"] for e in bad_path["upsertLearningPath"]["userErrors"]} == {"role", "steps"}


async def test_request_recompute_reports_unknown_roles(api: Api) -> None:
    body = await api.data('mutation { requestRecompute(role: "astronaut") { queued userErrors { code } } }',
                          key="admin")
    assert body["requestRecompute"] == {"queued": [], "userErrors": [{"code": "NOT_FOUND"}]}


ADMIN_QUERIES = {
    "recomputeRuns": "{ recomputeRuns(first: 5) { scope outcome } }",
    "salarySummaries": '{ salarySummaries(role: "backend-developer", live: true) { count source } }',
}


@pytest.mark.parametrize("name", sorted(ADMIN_QUERIES))
@pytest.mark.parametrize("caller", [None, *LEVELS])
async def test_admin_queries_need_the_admin_role(api: Api, name: str, caller: str | None) -> None:
    body = await api.gql(ADMIN_QUERIES[name], key=caller)
    if caller is None:
        assert codes(body) == ["UNAUTHENTICATED"] and body["data"] is None
    elif caller != "admin":
        assert codes(body) == ["FORBIDDEN"] and body["data"] is None
    else:
        assert "errors" not in body and isinstance(body["data"][name], list), body
