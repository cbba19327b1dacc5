"""submitSalary answered without a GraphQL execution: the same answers as GraphQL gives, the same
charges, the same errors; and everything it cannot answer exactly goes to GraphQL."""

from __future__ import annotations

import dataclasses
import math
import re
from typing import Any

import pytest
from graphql import get_variable_values, parse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pymongo.errors import ServerSelectionTimeoutError
from strawberry.types.arguments import convert_argument

import schema.http.direct_submissions as direct
import schema.salaries.schema as salary_fields
from schema.http.submission_shapes import submission_of
from schema.policy.cost import MUTATION_FIELD_NODES
from schema.policy.limits import MAX_NODES
from schema.root import build_schema
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


def salary(key: str, **overrides: object) -> dict[str, object]:
    return {"role": "backend-developer", "amount": 91000, "currency": "USD", "country": "US",
            "experienceYears": 4.5, "idempotencyKey": key, **overrides}


#: (query, variables, operation name, key role, accept): taken directly
TAKEN = [
    (SUBMIT, {"input": salary("direct-0001")}, None, "reader", "application/json"),
    (SUBMIT, {"input": salary("direct-0001")}, None, "reader", "application/json"),  # stored already
    (SUBMIT, {"input": salary("direct-0001", amount=95000)}, None, "reader", "application/json"),  # conflict
    (SUBMIT, {"input": salary("direct-0002", amount=-5)}, None, "reader", "application/json"),
    (SUBMIT, {"input": salary("direct-0003", role="no-such-role")}, None, "admin", "application/json"),
    (ALIASED, {"in": salary("direct-0004", city="Lyon", country="FR", currency="EUR", year=2024,
                            baseAmount=70000, company=None)}, "Submit", "editor", "application/json"),
    (MINIMAL, {"input": salary("direct-0005"), "unused": 1}, None, "reader", "application/graphql-response+json"),
    (EVERY_PLAIN_FIELD, {"input": salary("direct-0016", city="Berlin", country="DE", currency="EUR",
                                         company="Acme", title="Backend Engineer", baseAmount=80000.5,
                                         experienceYears=7, year=2025)}, None, "reader", "application/json"),
    (EVERY_PLAIN_FIELD, {"input": salary("direct-0016", city="Berlin", country="DE", currency="EUR",
                                         company="Acme", title="Backend Engineer", baseAmount=80000.5,
                                         experienceYears=7, year=2025)}, None, "reader", "application/json"),
]
#: requests GraphQL answers (the direct path declines them)
DECLINED = [
    (SUBMIT, {"input": salary("direct-0006", amount="x")}, None, "reader", "application/json"),
    (SUBMIT, {"input": salary("direct-0006", amount="x")}, None, "reader", "application/graphql-response+json"),
    (SUBMIT, {"input": {"role": "backend-developer", "amount": 1}}, None, "reader", "application/json"),
    (SUBMIT, {"input": salary("direct-0007", shoeSize=44)}, None, "reader", "application/json"),
    (SUBMIT, {"input": salary("direct-0008", year=2**40)}, None, "reader", "application/json"),
    (SUBMIT, {}, None, "reader", "application/json"),
    (SUBMIT, {"input": salary("direct-0009")}, None, None, "application/json"),  # no key
    (SUBMIT, {"input": salary("direct-0010")}, "Other", "reader", "application/json"),
    (SUBMIT.replace("observation { id }", "observation { id amount source { slug } }"),  # a loader
     {"input": salary("direct-0011")}, None, "reader", "application/json"),
    (SUBMIT.replace("created", "created @include(if: true)"), {"input": salary("direct-0012")}, None, "reader",
     "application/json"),
    ("mutation ($input: SubmitSalaryInput!) { submitSalary(input: $input) { ...P } } "
     "fragment P on SubmitSalaryPayload { created }", {"input": salary("direct-0013")}, None, "reader",
     "application/json"),
    ("mutation { submitSalary(input: {role: \"backend-developer\", amount: 1, currency: \"USD\", country: \"US\", "
     "experienceYears: 1, idempotencyKey: \"direct-0014\"}) { created userErrors { field } } }", {}, None, "reader",
     "application/json"),
    (SUBMIT.replace("created", "created c2: created created"), {"input": salary("direct-0015")}, None, "reader",
     "application/json"),
]


@pytest.fixture
def spied(monkeypatch: pytest.MonkeyPatch) -> list[SalarySubmission]:
    """The submissions the direct path handed to the use case."""
    seen: list[SalarySubmission] = []
    real = direct.submit_salary

    async def recording(resources: Resources, sub: SalarySubmission, by: str | None) -> Any:
        seen.append(sub)
        return await real(resources, sub, by)

    monkeypatch.setattr(direct, "submit_salary", recording)
    return seen


async def answers(api: Api, cases: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    out = []
    for query, variables, operation, key, accept in cases:
        headers = {"accept": accept, **({"authorization": f"Bearer {api.keys[key]}"} if key else {})}
        body = {"query": query, "variables": variables, **({"operationName": operation} if operation else {})}
        response = await api.client.post("/graphql", json=body, headers=headers)
        out.append((response.status_code, response.headers["content-type"], response.json(),
                    "x-ratelimit-limit" in response.headers))
    return out


async def graphql_only(monkeypatch: pytest.MonkeyPatch) -> None:
    async def decline(*_: Any) -> bool:
        return False

    monkeypatch.setattr(direct.DirectSubmissions, "_answer", decline)


async def test_direct_answers_are_the_answers_graphql_gives(api: Api, resources: Resources,
                                                            spied: list[SalarySubmission],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    fast = await answers(api, TAKEN + DECLINED)
    assert len(spied) == len(TAKEN)  # the declined ones never reached the direct path's use case
    stored = await resources.db[c.SALARY_OBSERVATIONS].count_documents({})
    assert stored == 8  # direct-0001, 0004, 0005 and 0016 directly, 0011 to 0013 and 0015 through GraphQL
    await resources.db[c.SALARY_OBSERVATIONS].delete_many({})
    await graphql_only(monkeypatch)
    slow = await answers(api, TAKEN + DECLINED)
    assert len(spied) == len(TAKEN)
    for case, one, other in zip(TAKEN + DECLINED, fast, slow, strict=True):
        assert one == other, case
    assert await resources.db[c.SALARY_OBSERVATIONS].count_documents({}) == stored
    # the answers themselves, as a client reads them
    created, again, conflict, negative, unknown, aliased, minimal, every, stored_again = \
        (a[2] for a in fast[:len(TAKEN)])
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
    assert minimal == {"data": {"submitSalary": {"created": True}},
                       "extensions": {"cost": {"requestedNodes": MUTATION_FIELD_NODES, "maxNodes": MAX_NODES,
                                               "points": 1}}}


async def test_a_request_is_charged_once_whichever_path_answers_it(settings: Settings, resources: Resources,
                                                                   spied: list[SalarySubmission]) -> None:
    tight = dataclasses.replace(settings, rate_limit_points=4, rate_limit_refill_per_s=0.01)
    async for api in open_api(tight, resources):
        sent = [(SUBMIT, {"input": salary(f"charged-{n}", **extra)}) for n, extra in
                enumerate([{}, {"amount": "x"}, {}, {"shoeSize": 1}, {}])]
        responses = [await api.post(query, variables, key="reader") for query, variables in sent]
        assert [r.headers["x-ratelimit-remaining"] for r in responses[:4]] == ["3", "2", "1", "0"]
        refused = responses[4]
        assert refused.status_code == 429 and refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
        assert [s.idempotency_key for s in spied] == ["charged-0", "charged-2"]


@pytest.mark.parametrize("failure", [ServerSelectionTimeoutError("no primary at mongodb://user:pw@db:27017"),
                                     RuntimeError("a bug with a secret inside")])
async def test_a_failing_use_case_is_reported_as_graphql_reports_it(api: Api, monkeypatch: pytest.MonkeyPatch,
                                                                    failure: Exception) -> None:
    async def failing(*_: Any) -> Any:
        raise failure

    monkeypatch.setattr(direct, "submit_salary", failing)
    monkeypatch.setattr(salary_fields, "submit_salary", failing)
    cases = [(ALIASED, {"in": salary("failing-1")}, "Submit", "reader", accept)
             for accept in ("application/json", "application/graphql-response+json")]
    fast = await answers(api, cases)
    await graphql_only(monkeypatch)
    slow = await answers(api, cases)
    request_id = re.compile(r"[0-9a-f]{16}")
    for one, other in zip(fast, slow, strict=True):
        assert request_id.sub("ID", str(one)) == request_id.sub("ID", str(other))
        body = one[2]
        assert body["data"] is None and body["errors"][0]["path"] == ["s"]
        assert "mongodb://" not in str(body) and "secret" not in str(body)
    assert fast[0][2]["errors"][0]["extensions"]["code"] in ("SERVICE_UNAVAILABLE", "INTERNAL_SERVER_ERROR")


# -- the input, coerced as an execution coerces it --------------------------------------------------

STRAWBERRY = build_schema()
SCHEMA = STRAWBERRY._schema
DEFINITIONS = parse(SUBMIT).definitions[0].variable_definitions  # type: ignore[attr-defined]
FIELDS = ["role", "amount", "currency", "country", "experienceYears", "idempotencyKey", "city", "company",
          "title", "baseAmount", "year"]
values = st.one_of(st.none(), st.booleans(), st.integers(min_value=-2**70, max_value=2**70),
                   st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
                   st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


@st.composite
def inputs(draw: st.DrawFn) -> Any:
    if draw(st.integers(0, 9)) == 0:
        return draw(values)  # not even an object
    value: dict[str, Any] = salary(draw(st.text(min_size=8, max_size=20)))
    for name in draw(st.lists(st.sampled_from([*FIELDS, "unknown"]), max_size=3)):
        if draw(st.booleans()):
            value.pop(name, None)
        else:
            value[name] = draw(values)
    return value


def executed(value: Any) -> SalarySubmission | None:
    """What the resolver receives: graphql-core's variable coercion, then Strawberry's conversion."""
    coerced = get_variable_values(SCHEMA, DEFINITIONS, {"input": value})
    if isinstance(coerced, list):
        return None
    converted = convert_argument(coerced.coerced["input"], salary_fields.SubmitSalaryInput,
                                 STRAWBERRY.schema_converter.scalar_registry, STRAWBERRY.config)
    return SalarySubmission(**vars(converted))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=inputs())
def test_an_input_is_taken_exactly_when_graphql_takes_it_and_becomes_the_same_submission(value: Any) -> None:
    expected, got = executed(value), submission_of(SCHEMA, value)
    assert got == expected or (got is not None and expected is not None and _same_with_nan(got, expected))
    if got is not None:  # the stored figures and their fingerprint come from these exact values
        assert [type(getattr(got, f.name)) for f in dataclasses.fields(got)] == \
               [type(getattr(expected, f.name)) for f in dataclasses.fields(expected)]


def _same_with_nan(one: SalarySubmission, other: SalarySubmission) -> bool:
    return all(a == b or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b))
               for a, b in zip(vars(one).values(), vars(other).values(), strict=True))
