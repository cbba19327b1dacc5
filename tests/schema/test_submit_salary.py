"""`submitSalary` as clients send it at volume: its answers, its charge and its errors, read through
the HTTP layer the way a client reads them, with the front door's own answer to the common shapes
(`schema.http.submissions`) and with every submission executed by GraphQL: the same behaviour."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from graphql import get_variable_values
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pymongo.errors import ServerSelectionTimeoutError
from strawberry.types.arguments import convert_argument

import schema.http.submissions as shortcut
import schema.salaries.inputs as salary_inputs
import schema.salaries.schema as salary_fields
from schema.http.operation import Operation
from schema.http.submissions import SubmissionShortcut
from schema.policy.cost import MUTATION_FIELD_NODES
from schema.policy.limits import MAX_NODES
from schema.root import build_schema
from service.access.api_keys import Principal
from service.platform.config import Settings
from service.platform.resources import Resources
from service.salaries.submissions import SalarySubmission
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


@pytest.fixture(params=[True, False], ids=["door", "execution"])
def shortcut_on(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


@pytest.fixture
async def api(settings: Settings, resources: Resources, shortcut_on: bool) -> AsyncIterator[Api]:
    async for opened in open_api(dataclasses.replace(settings, submission_shortcut=shortcut_on), resources):
        yield opened


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


async def test_a_request_is_charged_once_whatever_it_holds(settings: Settings, resources: Resources,
                                                           shortcut_on: bool) -> None:
    tight = dataclasses.replace(settings, rate_limit_points=4, rate_limit_refill_per_s=0.01,
                                submission_shortcut=shortcut_on)
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

    monkeypatch.setattr(salary_fields, "submit_salary", failing)  # the execution's resolver
    monkeypatch.setattr(shortcut, "submit_salary", failing)  # and the front door's own answer
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


async def test_the_common_shapes_are_answered_by_the_door_and_the_rest_by_the_execution(
        settings: Settings, resources: Resources, monkeypatch: pytest.MonkeyPatch) -> None:
    async def unreachable(*_: Any) -> Any:
        raise AssertionError("executed")

    monkeypatch.setattr(salary_fields, "submit_salary", unreachable)  # the execution's resolver fails
    async for api in open_api(settings, resources):
        for n, query in enumerate([SUBMIT, ALIASED.replace("Submit(", "("), MINIMAL]):
            variable = "in" if "$in:" in query else "input"
            body = (await send(api, query, {variable: salary(f"door-{n:04}")})).json()
            assert "errors" not in body, body
        executed = (await send(api, EVERY_PLAIN_FIELD, {"input": salary("door-0100")})).json()
        assert executed["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"  # the resolver ran


# -- the door's input is the one the execution's resolver receives: same values, same types ---------

SCHEMA = build_schema()
DOOR = SubmissionShortcut(SCHEMA._schema)
PLAN = DOOR.plan(Operation(query=SUBMIT, variables=None, operation_name=None, extensions=None))
READER = Principal(key_id="k", role="reader")
values = st.one_of(st.none(), st.booleans(), st.integers(min_value=-2**70, max_value=2**70),
                   st.floats(allow_nan=False), st.text(max_size=12), st.lists(st.integers(), max_size=2))


@st.composite
def inputs(draw: st.DrawFn) -> Any:
    value: dict[str, Any] = salary(draw(st.text(min_size=8, max_size=20)))
    for name in draw(st.lists(st.sampled_from([*value, "city", "baseAmount", "year", "unknown"]), max_size=3)):
        value[name] = draw(values)
    return value


def executed(value: Any) -> SalarySubmission | None:
    """What the resolver receives: graphql-core's coercion, then Strawberry's conversion."""
    assert PLAN is not None
    coerced = get_variable_values(SCHEMA._schema, PLAN.operation.variable_definitions, {"input": value})
    if isinstance(coerced, list):
        return None
    converted = convert_argument(coerced.coerced["input"], salary_inputs.SubmitSalaryInput,
                                 SCHEMA.schema_converter.scalar_registry, SCHEMA.config)
    return SalarySubmission(**vars(converted))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=inputs())
def test_the_door_submits_what_the_resolver_would(value: Any) -> None:
    assert PLAN is not None
    got = DOOR.submission(PLAN, Operation(query=SUBMIT, variables={"input": value}, operation_name=None,
                                             extensions=None), READER)
    expected = executed(value)
    assert got == expected
    if got is not None and expected is not None:  # the stored figures and their fingerprint come from these
        assert [type(v) for v in vars(got).values()] == [type(v) for v in vars(expected).values()]
