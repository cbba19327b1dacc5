"""Crafted cursors and cost-count bypasses (the security review's findings 1, 2 and 13)."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from graphql import parse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schema.policy.cost import count_nodes
from schema.policy.limits import MAX_NODES
from schema.root import build_schema
from service.platform.resources import Resources
from service.store.pagination import encode_cursor
from tests.factories.api import Api, codes

SCHEMA = build_schema()._schema
ROLES_AFTER = "query ($after: String) { roles(first: 5, after: $after) { edges { node { slug } } } }"
SKILLS_AFTER = "query ($after: String) { skills(first: 5, after: $after) { edges { node { slug } } } }"


def unsigned(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps([value, ""]).encode()).decode()


@pytest.mark.parametrize("cursor", [
    unsigned({"$regex": "^Zoo"}), unsigned({"$foo": 1}), unsigned("Backend Developer"),
    unsigned({"$regex": "^(\\w+\\s?)*[0-9]$"}), "not-a-cursor", "x" * 5000, "a.b", "",
])
async def test_a_cursor_carries_no_operator_and_a_forged_one_is_refused(api: Api, cursor: str) -> None:
    body = await api.gql(ROLES_AFTER, {"after": cursor})
    assert codes(body) == ["BAD_USER_INPUT"] or (cursor == "" and "errors" not in body), body
    if cursor:
        assert "$" not in json.dumps(body) and "SERVICE_UNAVAILABLE" not in json.dumps(body)


async def test_a_signed_cursor_pages_and_an_edited_or_foreign_one_does_not(api: Api) -> None:
    page = await api.data("{ roles(first: 5) { pageInfo { endCursor } edges { node { slug } } } }")
    end = page["roles"]["pageInfo"]["endCursor"]
    second = await api.data(ROLES_AFTER, {"after": end})
    assert second["roles"]["edges"] and second["roles"]["edges"][0] not in page["roles"]["edges"]
    _, signature = end.split(".")
    edited = base64.urlsafe_b64encode(json.dumps(["title", {"$gt": ""}, ""]).encode()).decode().rstrip("=")
    assert codes(await api.gql(ROLES_AFTER, {"after": f"{edited}.{signature}"})) == ["BAD_USER_INPUT"]
    assert codes(await api.gql(SKILLS_AFTER, {"after": end})) == ["BAD_USER_INPUT"]  # minted for roles
    other_secret = encode_cursor("title", "Backend Developer", "backend-developer", b"guessed")
    assert codes(await api.gql(ROLES_AFTER, {"after": other_secret})) == ["BAD_USER_INPUT"]


async def test_every_mongodb_command_of_a_request_carries_a_server_side_time_limit(
        api: Api, resources: Resources) -> None:
    await resources.db.command("profile", 2)
    try:
        await api.data('{ roles(first: 3) { totalCount edges { node { slug skills { skill { slug } } } } } '
                       'search(text: "backend", first: 3) { __typename } }')
    finally:
        await resources.db.command("profile", 0)
    commands = [doc["command"] async for doc in resources.db["system.profile"].find(
        {"op": {"$in": ["query", "command"]}, "command.find": {"$exists": True}})]
    commands += [doc["command"] async for doc in resources.db["system.profile"].find(
        {"command.count": {"$exists": True}})]
    assert commands and all("maxTimeMS" in c for c in commands), commands


def cost(query: str, variables: dict[str, Any] | None = None) -> int:
    return count_nodes(SCHEMA, parse(query), None, variables)


def test_variables_count_as_their_values_defaults_and_floats_included() -> None:
    literal = cost("{ roles(first: 100) { edges { node { salaryObservations(first: 100) { totalCount } } } } }")
    assert literal == 100 + 100 * 100
    defaulted = "query ($n: Int = 100) { roles(first: $n) { edges { node { salaryObservations(first: $n) { totalCount } } } } }"
    assert cost(defaulted) == literal
    assert cost(defaulted, {"n": 100.0}) == literal  # graphql-core coerces 100.0 to the Int 100
    assert cost("query ($n: Int) { roles(first: $n) { totalCount } }", {"n": 7}) == 7


def test_lists_without_first_have_a_size_and_multiply() -> None:
    nested = "{ skills(first: 3) { edges { node { roles { role { skills { skill { slug } } } } } } } }"
    assert cost(nested) > MAX_NODES  # 3 skills x 1000 roles x 250 skills: refused before it runs
    aliases = " ".join(f"a{i}: salarySummaries(level: CELL) {{ count }}" for i in range(15))
    assert cost("{ " + aliases + " }") > MAX_NODES
    assert cost('{ role(slug: "x") { skills { skill { slug } } } }') == 250
    assert cost('{ role(slug: "x") { aliases } }') == 0  # scalars are values, not nodes


async def test_the_bypasses_are_refused_through_the_api(api: Api) -> None:
    nested = "{ skills(first: 3) { edges { node { roles { role { skills { skill { slug } } } } } } } }"
    assert codes(await api.gql(nested)) == ["QUERY_TOO_COMPLEX"]
    defaulted = ("query ($n: Int = 100) { roles(first: $n) { edges { node { salaryObservations(first: $n) "
                 "{ edges { node { amount role { skills { skill { slug } } } } } } } } } }")
    assert codes(await api.gql(defaulted)) == ["QUERY_TOO_COMPLEX"]


async def test_each_aliased_mutation_costs_its_own_points(api: Api) -> None:
    fields = " ".join(f'r{i}: requestRecompute(role: "nope-{i}") {{ queued }}' for i in range(15))
    body = await api.gql("mutation { " + fields + " }", key="admin")
    assert body["extensions"]["cost"]["points"] == 15


# --- the property: a query's cost does not depend on how its sizes are written ---

CONNECTIONS = {"Query": [("roles", "RoleConnection"), ("skills", "SkillConnection")],
               "Role": [("salaryObservations", "SalaryObservationConnection")],
               "Skill": [], "SalaryObservation": []}
LISTS = {"Role": [("skills", "RoleSkill"), ("relatedRoles", "RelatedRole")], "Skill": [("roles", "SkillRole")],
         "RoleSkill": [], "RelatedRole": [], "SkillRole": [], "SalaryObservation": []}
LINKS = {"RoleSkill": ("skill", "Skill"), "RelatedRole": ("role", "Role"), "SkillRole": ("role", "Role"),
         "SalaryObservation": ("role", "Role")}
NODE_OF = {"RoleConnection": "Role", "SkillConnection": "Skill", "SalaryObservationConnection": "SalaryObservation"}


@st.composite
def selections(draw: Any, type_name: str, depth: int, sizes: list[int]) -> str:
    """A selection on `type_name` whose connection sizes are recorded in `sizes`, in order."""
    parts = ["__typename"]
    if depth > 0:
        for field, connection in CONNECTIONS.get(type_name, []):
            if draw(st.booleans()):
                sizes.append(draw(st.integers(min_value=0, max_value=60)))
                inner = draw(selections(NODE_OF[connection], depth - 1, sizes))
                parts.append(f"{field}(first: @{len(sizes) - 1}) {{ edges {{ node {{ {inner} }} }} }}")
        for field, item in LISTS.get(type_name, []):
            if draw(st.booleans()):
                parts.append(f"{field} {{ {draw(selections(item, depth - 1, sizes))} }}")
        if type_name in LINKS and draw(st.booleans()):
            field, target = LINKS[type_name]
            parts.append(f"{field} {{ {draw(selections(target, depth - 1, sizes))} }}")
    return " ".join(parts)


@st.composite
def written_both_ways(draw: Any) -> tuple[str, str, dict[str, Any]]:
    sizes: list[int] = []
    body = draw(selections("Query", 4, sizes))
    literal, declared, given_values = body, [], {}
    for index, size in enumerate(sizes):
        literal = literal.replace(f"@{index})", f"{size})")
        how = draw(st.sampled_from(["literal", "default", "value", "float", "default-overridden"]))
        name = f"v{index}"
        if how == "literal":
            body = body.replace(f"@{index})", f"{size})")
            continue
        body = body.replace(f"@{index})", f"${name})")
        if how == "default":
            declared.append(f"${name}: Int = {size}")
        elif how == "default-overridden":
            declared.append(f"${name}: Int = {size + 7}")
            given_values[name] = size
        else:
            declared.append(f"${name}: Int")
            given_values[name] = float(size) if how == "float" else size
    header = f"query ({', '.join(declared)})" if declared else "query"
    return f"{header} {{ {body} }}", f"{{ {literal} }}", given_values


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(written_both_ways())
def test_cost_with_variables_equals_cost_with_their_values_as_literals(case: tuple[str, str, dict[str, Any]]) -> None:
    with_variables, with_literals, variables = case
    assert cost(with_variables, variables) == cost(with_literals)
