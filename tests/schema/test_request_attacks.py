"""Attacks through HTTP (findings 4, 6, 7, 9, 12 and 15): the execution timeout, work before
execution, caches that cannot be grown, reads that queue nothing, keys that scope idempotency."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

import pytest

from schema.policy import documents, execution
from service.catalog import search as search_module
from service.jobs import QUEUE_NAME
from service.platform.config import Settings
from service.platform.resources import Resources
from service.store import summary_cache
from tests.factories.api import Api, codes, open_api

SUBMIT = """mutation ($input: SubmitSalaryInput!) { submitSalary(input: $input) {
  created userErrors { field code } observation { id } } }"""


async def test_an_operation_over_the_time_limit_answers_timeout(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(execution, "EXECUTION_TIMEOUT_S", 0.3)

    async def slow_search(*args: Any, **kwargs: Any) -> Any:
        await asyncio.sleep(5)

    monkeypatch.setattr(search_module, "search", slow_search)
    monkeypatch.setattr("schema.catalog.schema.search", slow_search)
    response = await api.post('{ search(text: "backend") { __typename } }')
    assert response.status_code == 200 and codes(response.json()) == ["TIMEOUT"]


async def test_the_time_limit_is_a_setting(settings: Settings, resources: Resources,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    async def slow_search(*args: Any, **kwargs: Any) -> Any:
        await asyncio.sleep(3)

    monkeypatch.setattr("schema.catalog.schema.search", slow_search)
    async for api in open_api(dataclasses.replace(settings, execution_timeout_s=0.3), resources):
        body = (await api.post('{ search(text: "backend") { __typename } }')).json()
        assert codes(body) == ["TIMEOUT"] and "0.3 s" in body["errors"][0]["message"]


async def test_invalid_documents_are_charged_before_they_are_parsed(settings: Settings, resources: Resources) -> None:
    tight = dataclasses.replace(settings, rate_limit_points=5, rate_limit_refill_per_s=0.01)
    async for api in open_api(tight, resources):
        answers = [await api.post(f"{{ nope{i} ") for i in range(6)]  # each a different syntax error
        assert [codes(a.json())[0] for a in answers[:5]] == ["GRAPHQL_PARSE_FAILED"] * 5
        assert answers[5].status_code == 429 and codes(answers[5].json()) == ["RATE_LIMITED"]


async def test_a_document_past_the_token_limit_is_refused_unparsed(api: Api) -> None:
    body = await api.gql("{ " + " ".join(f"a{i}: __typename" for i in range(1500)) + " }")
    assert codes(body) == ["QUERY_TOO_COMPLEX"]


def test_the_parse_and_validation_caches_are_bounded_in_bytes() -> None:
    cache: documents.ByteBoundedCache[int] = documents.ByteBoundedCache(budget_bytes=10_000, max_key_bytes=2_000)
    for i in range(100):
        cache.get_or_make(f"{i:04d}" + "x" * 1_000, lambda: 1)
        assert cache.size <= 10_000
    cache.get_or_make("y" * 5_000, lambda: 2)  # too big to keep at all
    assert "y" * 5_000 not in cache.entries and len(cache.entries) == 9
    for i in range(40):  # what the review sent: thirty-odd 60 KB queries
        documents.parse_query("{ __typename }" + " " * 60_000 + f"# {i}")
    assert documents._documents.size <= documents.CACHE_BYTES
    assert all(len(key) <= documents.MAX_CACHED_QUERY_BYTES for key in documents._documents.entries)


async def test_reads_of_made_up_or_empty_roles_queue_no_work(api: Api, resources: Resources) -> None:
    aliases = " ".join(f'a{i}: salarySummaries(role: "zz-{i}") {{ count }}' for i in range(15))
    assert (await api.data("{ " + aliases + " }")) == {f"a{i}": [] for i in range(15)}
    empty = await api.data('{ salarySummaries(role: "backend-developer") { count } '
                           'skill(slug: "python") { demand { status } } }')
    assert empty["salarySummaries"] == [] and empty["skill"]["demand"]["status"] == "PENDING"
    assert await resources.redis.zcard(QUEUE_NAME) == 0
    assert await resources.redis.get(summary_cache.LATEST) is None  # no run, so no version published


async def test_an_idempotency_key_belongs_to_the_api_key_that_used_it(api: Api, resources: Resources) -> None:
    salary = {"role": "backend-developer", "amount": 91_000, "currency": "USD", "country": "US",
              "experienceYears": 4, "idempotencyKey": "shared-key-0001"}
    first = (await api.data(SUBMIT, {"input": salary}, key="reader"))["submitSalary"]
    other = (await api.data(SUBMIT, {"input": {**salary, "amount": 95_000}}, key="editor"))["submitSalary"]
    assert first["created"] and other["created"] and first["observation"]["id"] != other["observation"]["id"]
    again = (await api.data(SUBMIT, {"input": salary}, key="reader"))["submitSalary"]
    assert again["created"] is False and again["observation"]["id"] == first["observation"]["id"]
    assert await resources.db["salary_observations"].count_documents({"source": "careergraph-submissions"}) == 2


@pytest.mark.parametrize("currency", ["XXX", "XTS", "XAU", "XDR"])
async def test_codes_that_are_not_pay_are_refused(api: Api, currency: str) -> None:
    salary = {"role": "backend-developer", "amount": 91_000, "currency": currency, "country": "US",
              "experienceYears": 4, "idempotencyKey": f"not-money-{currency}"}
    payload = (await api.data(SUBMIT, {"input": salary}, key="reader"))["submitSalary"]
    assert not payload["created"] and payload["userErrors"] == [{"field": "currency", "code": "BAD_USER_INPUT"}]


async def test_a_mutation_sent_by_get_is_405_with_allow(api: Api) -> None:
    response = await api.client.get("/graphql", params={"query": 'mutation { requestRecompute { queued } }'})
    assert response.status_code == 405 and response.headers["allow"] == "POST"


async def test_production_hides_suggestions_anywhere_in_a_message(settings: Settings, resources: Resources) -> None:
    production = dataclasses.replace(settings, environment="production")
    async for api in open_api(production, resources):
        body = await api.gql("query ($f: RoleFilter) { roles(first: 1, filter: $f) { totalCount } }",
                             {"f": {"famly": "software-engineering"}})
        assert codes(body) == ["BAD_USER_INPUT"] and "Did you mean" not in body["errors"][0]["message"]
        typo = await api.gql("{ roles(first: 1) { totalCont } }")
        assert "Did you mean" not in typo["errors"][0]["message"]


@pytest.mark.parametrize("variables", ['{"role": NaN}', '{"role": 123456789012345678901234567890}',
                                       '{"role": "backend-developer", "x": Infinity}'])
async def test_json_that_only_the_lenient_parser_takes_is_answered_like_any_other_request(
        api: Api, variables: str) -> None:
    # orjson refuses these, the standard library takes them: both paths must give a GraphQL answer
    query = 'query($role: String) { salarySummaries(role: $role, level: ROLE) { count } }'
    body = '{"query": "' + query.replace('"', '\\"') + '", "variables": ' + variables + "}"
    twice = [await api.client.post("/graphql", content=body, headers={"content-type": "application/json"})
             for _ in range(2)]
    for answer in twice:
        assert answer.status_code in (200, 400), answer.text
        document = answer.json()
        assert "data" in document or document["errors"][0]["extensions"]["code"]
        assert "Traceback" not in answer.text
    assert twice[0].json() == twice[1].json()
