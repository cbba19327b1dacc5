"""`submitSalary` as clients send it at volume: its answers, its charge and its errors, read through
the HTTP layer the way a client reads them."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import pytest
from pymongo.errors import ServerSelectionTimeoutError

import schema.salaries.schema as salary_fields
from schema.policy.cost import MUTATION_FIELD_NODES
from schema.policy.limits import MAX_NODES
from service.platform.config import Settings
from service.platform.resources import Resources
from service.store import database as c
from tests.factories.api import Api, open_api

SUBMIT = """mutation ($input: SubmitSalaryInput!) { submitSalary(input: $input) {
  created userErrors { field message code } observation { id } } }"""
EVERY_PLAIN_FIELD = """mutation ($input: SubmitSalaryInput!) { submitSalary(input: $input) { created
  observation { id rawTitle tag company city region country currency amount baseAmount yearsExperience
    experienceBand year regionCode experienceLevel employmentType companySize remoteRatio publishedAmount
    publishedCurrency } } }"""
ALIASED = """mutation Submit($in: SubmitSalaryInput!) { s: submitSalary(input: $in) {
  __typename ok: created errs: userErrors { __typename code field } observation { __typename id } } }"""
MINIMAL = "mutation ($input: SubmitSalaryInput!) { submitSalary(input: $input) { created } }"
GRAPHQL_RESPONSE = "application/graphql-response+json"


def salary(key: str, **overrides: object) -> dict[str, object]:
    return {"role": "backend-developer", "amount": 91000, "currency": "USD", "country": "US",
            "experienceYears": 4.5, "idempotencyKey": key, **overrides}


async def send(api: Api, query: str, variables: dict[str, Any], key: str | None = "reader",
               operation: str | None = None, accept: str = "application/json") -> Any:
    headers = {"accept": accept, **({"authorization": f"Bearer {api.keys[key]}"} if key else {})}
    body = {"query": query, "variables": variables, **({"operationName": operation} if operation else {})}
    return await api.client.post("/graphql", json=body, headers=headers)


async def test_the_answers_a_client_reads(api: Api, resources: Resources) -> None:
    created = (await send(api, SUBMIT, {"input": salary("submit-0001")})).json()
    again = (await send(api, SUBMIT, {"input": salary("submit-0001")})).json()
    conflict = (await send(api, SUBMIT, {"input": salary("submit-0001", amount=95000)})).json()
    negative = (await send(api, SUBMIT, {"input": salary("submit-0002", amount=-5)})).json()
    unknown = (await send(api, SUBMIT, {"input": salary("submit-0003", role="no-such-role")}, key="admin")).json()
    aliased = (await send(api, ALIASED, {"in": salary("submit-0004", city="Lyon", country="FR", currency="EUR",
                                                      year=2024, baseAmount=70000, company=None)},
                          key="editor", operation="Submit")).json()
    minimal = await send(api, MINIMAL, {"input": salary("submit-0005"), "unused": 1}, accept=GRAPHQL_RESPONSE)
    rich = salary("submit-0016", city="Berlin", country="DE", currency="EUR", company="Acme",
                  title="Backend Engineer", baseAmount=80000.5, experienceYears=7, year=2025)
    every = (await send(api, EVERY_PLAIN_FIELD, {"input": rich})).json()
    stored_again = (await send(api, EVERY_PLAIN_FIELD, {"input": rich})).json()

    assert created["data"]["submitSalary"]["created"] is True and created["extensions"]["cost"]["points"] == 1
    assert again["data"]["submitSalary"]["observation"] == created["data"]["submitSalary"]["observation"]
    assert again["data"]["submitSalary"]["created"] is False
    assert [e["code"] for e in conflict["data"]["submitSalary"]["userErrors"]] == ["IDEMPOTENCY_CONFLICT"]
    assert [e["field"] for e in negative["data"]["submitSalary"]["userErrors"]] == ["amount"]
    assert [e["code"] for e in unknown["data"]["submitSalary"]["userErrors"]] == ["NOT_FOUND"]
    assert aliased["data"]["s"]["__typename"] == "SubmitSalaryPayload" and aliased["data"]["s"]["ok"] is True
    assert aliased["data"]["s"]["observation"]["__typename"] == "SalaryObservation"
    observation = every["data"]["submitSalary"]["observation"]
    assert (observation["amount"], observation["baseAmount"], observation["experienceBand"]) == \
        (91000.0, 80000.5, "EXPERIENCED")
    assert (observation["city"], observation["country"], observation["rawTitle"]) == ("Berlin", "DE", "Backend Engineer")
    assert stored_again["data"]["submitSalary"] == {**every["data"]["submitSalary"], "created": False}
    assert minimal.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert minimal.json() == {"data": {"submitSalary": {"created": True}},
                              "extensions": {"cost": {"requestedNodes": MUTATION_FIELD_NODES, "maxNodes": MAX_NODES,
                                                      "points": 1}}}
    assert await resources.db[c.SALARY_OBSERVATIONS].count_documents({}) == 4  # 0001, 0004, 0005 and 0016


@pytest.mark.parametrize(("variables", "accept", "status", "code"), [
    ({"input": salary("bad-1", amount="x")}, "application/json", 200, "BAD_USER_INPUT"),
    ({"input": salary("bad-1", amount="x")}, GRAPHQL_RESPONSE, 400, "BAD_USER_INPUT"),
    ({"input": {"role": "backend-developer", "amount": 1}}, "application/json", 200, "BAD_USER_INPUT"),
    ({"input": salary("bad-2", shoeSize=44)}, "application/json", 200, "BAD_USER_INPUT"),
    ({"input": salary("bad-3", year=2**40)}, "application/json", 200, "BAD_USER_INPUT"),
    ({}, "application/json", 200, "BAD_USER_INPUT"),
])
async def test_an_input_that_does_not_coerce_is_a_request_error(api: Api, resources: Resources,
                                                                variables: dict[str, Any], accept: str,
                                                                status: int, code: str) -> None:
    response = await send(api, SUBMIT, variables, accept=accept)
    assert response.status_code == status
    body = response.json()
    assert {e["extensions"]["code"] for e in body["errors"]} == {code} and body.get("data") is None
    assert await resources.db[c.SALARY_OBSERVATIONS].count_documents({}) == 0


async def test_a_request_is_charged_once_whatever_it_holds(settings: Settings, resources: Resources) -> None:
    tight = dataclasses.replace(settings, rate_limit_points=4, rate_limit_refill_per_s=0.01)
    async for api in open_api(tight, resources):
        sent = [{"input": salary(f"charged-{n}", **extra)} for n, extra in
                enumerate([{}, {"amount": "x"}, {}, {"shoeSize": 1}, {}])]
        responses = [await api.post(SUBMIT, variables, key="reader") for variables in sent]
        assert [r.headers["x-ratelimit-remaining"] for r in responses[:4]] == ["3", "2", "1", "0"]
        refused = responses[4]
        assert refused.status_code == 429 and refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
        assert await resources.db[c.SALARY_OBSERVATIONS].count_documents({}) == 2  # charged-0 and charged-2


@pytest.mark.parametrize("failure", [ServerSelectionTimeoutError("no primary at mongodb://user:pw@db:27017"),
                                     RuntimeError("a bug with a secret inside")])
@pytest.mark.parametrize("accept", ["application/json", GRAPHQL_RESPONSE])
async def test_a_failing_use_case_is_masked_and_located(api: Api, monkeypatch: pytest.MonkeyPatch,
                                                        failure: Exception, accept: str) -> None:
    async def failing(*_: Any) -> Any:
        raise failure

    monkeypatch.setattr(salary_fields, "submit_salary", failing)
    response = await send(api, ALIASED, {"in": salary("failing-1")}, operation="Submit", accept=accept)
    body = response.json()
    assert response.status_code == 200 and body["data"] is None and body["errors"][0]["path"] == ["s"]
    assert "mongodb://" not in str(body) and "secret" not in str(body)
    code = body["errors"][0]["extensions"]["code"]
    if isinstance(failure, RuntimeError):
        assert code == "INTERNAL_SERVER_ERROR"
        assert re.fullmatch(r"[0-9a-f]{16}", body["errors"][0]["extensions"]["requestId"])
    else:
        assert code == "SERVICE_UNAVAILABLE"
