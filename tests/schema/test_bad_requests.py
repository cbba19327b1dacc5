"""Abusive or malformed requests: each gets a proper status and a well-formed GraphQL error with a
code, before anything executes, and nothing internal in the message."""

from __future__ import annotations

import json
from typing import Any

import pytest
from graphql import GraphQLError
from pymongo.errors import ExecutionTimeout, OperationFailure, WTimeoutError

from schema.policy.errors import shape_error
from tests.factories.api import Api

LEAKS = ("Traceback", 'File "', "mongodb://", "redis://", "site-packages")
JSON = {"content-type": "application/json"}
FRAGMENT_FAN = ("query { ...F3 } fragment F0 on Query { __typename } "
                "fragment F1 on Query { ...F0 ...F0 ...F0 ...F0 } fragment F2 on Query { ...F1 ...F1 ...F1 ...F1 } "
                "fragment F3 on Query { ...F2 ...F2 ...F2 ...F2 }")


def one_error(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) <= {"errors", "data", "extensions"} and len(body["errors"]) >= 1, body
    error: dict[str, Any] = body["errors"][0]
    assert isinstance(error["message"], str) and error["extensions"]["code"]
    assert not any(leak in error["message"] for leak in LEAKS), error
    return error


@pytest.mark.parametrize(("name", "request_kwargs", "status", "code"), [
    ("batch", {"json": [{"query": "{ __typename }"}] * 50}, 400, "BATCHING_NOT_SUPPORTED"),
    ("truncated JSON", {"content": b'{"query": "{ __typename }"', "headers": JSON}, 400, "BAD_REQUEST"),
    ("empty body", {"content": b"", "headers": JSON}, 400, "BAD_REQUEST"),
    ("invalid UTF-8", {"content": b'{"query": "{ role(slug: \\"\xff\xfe\\") { title } }"}', "headers": JSON},
     400, "BAD_REQUEST"),
    ("JSON nested past the parser", {"content": ('{"query": "{ __typename }", "variables": {"x": '
                                                 + "[" * 20_000 + "]" * 20_000 + "}}").encode(),
                                     "headers": JSON}, 400, "BAD_REQUEST"),
    ("text/plain", {"content": b"{ __typename }", "headers": {"content-type": "text/plain"}},
     415, "UNSUPPORTED_MEDIA_TYPE"),
    ("application/graphql", {"content": b"{ __typename }", "headers": {"content-type": "application/graphql"}},
     415, "UNSUPPORTED_MEDIA_TYPE"),
    ("query is a number", {"json": {"query": 5}}, 400, "BAD_REQUEST"),
    ("variables are a list", {"json": {"query": "{ __typename }", "variables": [1]}}, 400, "BAD_REQUEST"),
    ("huge variables", {"json": {"query": "query ($s: String) { __typename }", "variables": {"s": "x" * 70_000}}},
     413, "PAYLOAD_TOO_LARGE"),
])
async def test_transport_abuse_is_refused_with_a_code(api: Api, name: str, request_kwargs: dict[str, Any],
                                                      status: int, code: str) -> None:
    response = await api.client.post("/graphql", **request_kwargs)
    assert response.status_code == status, (name, response.text[:300])
    assert response.headers["content-type"].startswith("application/json")
    assert one_error(response)["extensions"]["code"] == code


@pytest.mark.parametrize(("name", "query", "code"), [
    ("cyclic fragments", "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }",
     "GRAPHQL_VALIDATION_FAILED"),
    ("fragment fan-out", FRAGMENT_FAN, None),  # 64 spreads of one field: merged, answered cheaply
    ("wide", "{ " + " ".join(["__typename"] * 2500) + " }", "QUERY_TOO_COMPLEX"),
    ("alias bomb", "{ " + " ".join(f"a{i}: roles(first: 100) {{ totalCount }}" for i in range(50)) + " }",
     "QUERY_TOO_COMPLEX"),
    ("deep", "{ role(slug: \"x\") { " + "relatedRoles { role { " * 12 + "slug" + " } }" * 12 + " } }",
     "QUERY_TOO_COMPLEX"),
    ("deep via fragments", "query { role(slug: \"x\") { ...R } } fragment R on Role { relatedRoles { role { "
     "relatedRoles { role { relatedRoles { role { relatedRoles { role { relatedRoles { role { relatedRoles { "
     "role { slug } } } } } } } } } } } } }", "QUERY_TOO_COMPLEX"),
])
async def test_query_bombs_are_refused_before_execution(api: Api, name: str, query: str, code: str | None) -> None:
    response = await api.post(query)
    assert response.status_code in (200, 400)
    body = response.json()
    if code is None:
        assert "errors" not in body and body["data"]["__typename"] == "Query"
        return
    error = one_error(response)
    assert error["extensions"]["code"] == code, (name, error)
    assert body.get("data") is None


async def test_wrong_method_and_path_are_well_formed(api: Api) -> None:
    put = await api.client.put("/graphql", content=json.dumps({"query": "{ __typename }"}), headers=JSON)
    assert put.status_code == 405 and put.headers["allow"] == "GET, POST"
    assert one_error(put)["extensions"]["code"] == "METHOD_NOT_ALLOWED"
    missing = await api.client.get("/no-such-page")
    assert missing.status_code == 404 and one_error(missing)["extensions"]["code"] == "NOT_FOUND"


@pytest.mark.parametrize(("failure", "code"), [
    (ExecutionTimeout("operation exceeded time limit", 50), "TIMEOUT"),
    (WTimeoutError("operation exceeded time limit", 50, {"code": 50}), "TIMEOUT"),  # majority ack late
    (OperationFailure("not primary", 10107), "SERVICE_UNAVAILABLE"),  # an election under way
    (OperationFailure("interrupted at shutdown", 11600), "SERVICE_UNAVAILABLE"),
    (OperationFailure("unknown operator: $bogus", 2), "INTERNAL_SERVER_ERROR"),  # our bug: masked
])
def test_mongodb_failures_become_codes_a_client_can_act_on(failure: Exception, code: str) -> None:
    shaped = shape_error(GraphQLError("boom", original_error=failure), "req-1", production=True)
    assert shaped.extensions is not None and shaped.extensions["code"] == code
    assert "boom" not in shaped.message and "bogus" not in shaped.message
