"""Protections: depth, aliases, tokens, node cost, body size, and well-formed errors."""

from __future__ import annotations

import json

import pytest
from pymongo import monitoring

from service.platform.config import Settings
from service.platform.resources import Resources
from tests.factories.api import Api, codes, commands_by_page_size, open_api
from tests.factories.documents import add_roles
from tests.factories.servers import CommandCounter


async def test_depth_limit(api: Api) -> None:
    deep = "{ role(slug: \"backend-developer\") { " + "relatedRoles { role { " * 5 + "slug" + " } }" * 5 + " } }"
    body = await api.gql(deep)
    assert codes(body) == ["QUERY_TOO_COMPLEX"] and "depth" in body["errors"][0]["message"]


async def test_alias_limit(api: Api) -> None:
    aliases = " ".join(f"a{i}: serviceInfo {{ version }}" for i in range(16))
    assert codes(await api.gql(f"{{ {aliases} }}")) == ["QUERY_TOO_COMPLEX"]
    fifteen = " ".join(f"a{i}: serviceInfo {{ version }}" for i in range(15))
    assert "errors" not in await api.gql(f"{{ {fifteen} }}")


async def test_token_limit(api: Api) -> None:
    fields = " ".join(["version"] * 2100)
    assert codes(await api.gql(f"{{ serviceInfo {{ {fields} }} }}")) == ["QUERY_TOO_COMPLEX"]


async def test_node_cost_limit_and_report(api: Api) -> None:
    small = await api.gql("{ roles(first: 10) { edges { node { slug } } } }")
    assert small["extensions"]["cost"]["requestedNodes"] == 10
    huge = """{ roles(first: 100) { edges { node {
        salaryObservations(first: 100) { edges { node { role { salaryObservations(first: 100) { totalCount } } } } }
    } } } }"""
    body = await api.gql(huge)
    assert codes(body) == ["QUERY_TOO_COMPLEX"] and body["data"] is None
    variables = await api.gql("query ($n: Int) { roles(first: $n) { totalCount } }", {"n": 7})
    assert variables["extensions"]["cost"]["requestedNodes"] == 7


async def test_oversized_body_is_413(api: Api) -> None:
    response = await api.client.post("/graphql", content=json.dumps({"query": "{ serviceInfo { version } }",
                                                                      "variables": {"pad": "x" * 70_000}}),
                                      headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


@pytest.mark.parametrize(("query", "code"), [
    ("{ role(slug: ", "GRAPHQL_PARSE_FAILED"),
    ("{ nonsense }", "GRAPHQL_VALIDATION_FAILED"),
    ("{ role(slug: 5) { title } }", "GRAPHQL_VALIDATION_FAILED"),
])
async def test_bad_queries_have_codes(api: Api, query: str, code: str) -> None:
    response = await api.post(query)
    assert response.status_code in (200, 400)
    assert codes(response.json()) == [code]


async def test_wrong_variable_types_are_bad_user_input(api: Api) -> None:
    body = (await api.post("query ($n: Int) { roles(first: $n) { totalCount } }", {"n": "ten"})).json()
    assert codes(body) == ["BAD_USER_INPUT"]


async def test_requests_carry_an_id(api: Api) -> None:
    response = await api.post("{ serviceInfo { version } }")
    assert len(response.headers["x-request-id"]) == 16


async def test_reads_can_require_a_key(settings: Settings, resources: Resources) -> None:
    strict = Settings(**{**settings.__dict__, "require_api_key": True})
    async for api in open_api(strict, resources):
        assert codes(await api.gql("{ serviceInfo { version } }")) == ["UNAUTHENTICATED"]
        assert "errors" not in await api.gql("{ serviceInfo { version } }", key="reader")


async def test_production_hides_introspection_and_graphiql(settings: Settings, resources: Resources) -> None:
    production = Settings(**{**settings.__dict__, "environment": "production"})
    async for api in open_api(production, resources):
        body = await api.gql("{ __schema { types { name } } }")
        assert body.get("errors") and not body.get("data")
        page = await api.client.get("/graphql", headers={"accept": "text/html"})
        assert page.status_code == 404
        suggestion = await api.gql("{ rol(slug: \"x\") { title } }")
        assert "Did you mean" not in suggestion["errors"][0]["message"]


async def test_dataloaders_keep_mongodb_commands_flat(settings: Settings, resources: Resources) -> None:
    """50 roles with skills, related roles and benchmarks cost as many commands as 5 roles."""
    counter = CommandCounter(settings.mongodb_db)
    monitoring.register(counter)  # applies to clients opened from now on: the app's own
    query = """query ($n: Int!) { roles(first: $n) { edges { node { slug
        skills { skill { name category } } relatedRoles { role { title } }
        salaryBenchmarks { amount source { title } } } } } }"""
    async for api in open_api(settings, resources):
        await add_roles(resources.db, 40)  # the seed has 16 roles; add more so 50 exist
        measured = await commands_by_page_size(api, counter, query)
        assert measured[50] == measured[5] <= 10, measured
