"""`nextMoves` through the API: each move's pay change, hours, overlap and employment recomputed here
from the stored rows (official wages, roles, learning paths), on the seed and over the O*NET files;
the root form served whole from the response cache, and keyed so another role's recompute reaches it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from graphql import parse

from schema.policy.cost import count_nodes
from schema.root import build_schema
from service.decisions.candidates import needed_skills
from service.ingest.oews import import_oews
from service.ingest.onet import import_onet
from service.official.oews_model import onet_to_soc
from service.platform.config import Settings
from service.platform.resources import Resources
from service.store import database as c
from service.summaries.recompute import recompute
from tests.factories.api import Api, codes, open_api
from tests.factories.documents import add
from tests.factories.official_files import FlatCell, full_texts, write_flat_files

ROLE = "backend-developer"
MOVES = """query ($role: String!, $area: String, $skills: [String!], $first: Int) {
  nextMoves(role: $role, area: $area, knownSkills: $skills, first: $first) {
    role place { area kind regionCode label } unknownSkills rule
    moves { rank slug title score reach hours why occupation employment locationQuotient
      relatedness { tier weight onetIndex via }
      known { slug } toLearn { slug name } learningPath { slug }
      pay { basis currency current target change share detail currentOccupation targetOccupation release
            currentCount targetCount versions }
      officialSource { publisher title } } } }"""
ON_ROLE = """query ($area: String) { role(slug: "backend-developer") { nextMoves(area: $area, first: 50) {
  moves { slug score hours pay { change } } } } }"""


def national(soc: str, employment: int, median: int) -> FlatCell:
    return FlatCell("0000000", "N", "000000", soc.replace("-", ""), full_texts(employment, median))


SEED_CELLS = [national("15-1252", 1_687_890, 135_980), national("15-1254", 70_190, 92_650),
              national("11-3021", 600_000, 171_200), national("15-1244", 400_000, 101_000),
              FlatCell("4800000", "S", "000000", "151252", full_texts(163_880, 132_150)),
              FlatCell("4800000", "S", "000000", "113021", full_texts(40_000, 160_000))]


@pytest.fixture
async def api(settings: Settings, resources: Resources, tmp_path: Path) -> Any:
    async for opened in open_api(settings, resources):
        await import_oews(resources, write_flat_files(tmp_path / "oe", SEED_CELLS))
        await recompute(resources, "all")  # what the worker does after the seed and the import
        yield opened


async def stored_role(resources: Resources, slug: str) -> dict[str, Any]:
    found = await resources.db[c.ROLES].find_one({"slug": slug})
    assert found is not None
    return found


async def main_cell(resources: Resources, slug: str, area: str) -> dict[str, Any]:
    """The role's occupation with the most employment at the area, read from the stored wages."""
    socs = sorted({onet_to_soc(code) for code in (await stored_role(resources, slug)).get("onet_codes", [])})
    cells = [d async for d in resources.db["official_wages"].find(
        {"occupation": {"$in": socs}, "area": area, "industry": "000000"})]
    assert cells, f"no cell for {slug} at {area}"
    return max(cells, key=lambda d: (d.get("employment") or 0, d["occupation"]))


async def check_move(resources: Resources, move: dict[str, Any], area: str) -> None:
    """The move's pay change, overlap, hours and employment, from the stored rows."""
    here, there = await main_cell(resources, ROLE, area), await main_cell(resources, move["slug"], area)
    pay = move["pay"]
    assert pay["basis"] == "OFFICIAL" and pay["currency"] == "USD"
    assert (pay["currentOccupation"], pay["targetOccupation"]) == (here["occupation"], there["occupation"])
    assert pay["change"] == pytest.approx(there["annual_median"] - here["annual_median"])
    assert pay["share"] == pytest.approx(pay["change"] / here["annual_median"])
    assert (move["occupation"], move["employment"]) == (there["occupation"], there["employment"])
    assert move["locationQuotient"] == there["location_quotient"]
    known = needed_skills(await stored_role(resources, ROLE))
    needed = needed_skills(await stored_role(resources, move["slug"]))
    assert {s["slug"] for s in move["known"]} == needed & known
    assert {s["slug"] for s in move["toLearn"]} == needed - known
    assert move["reach"] == pytest.approx(len(needed & known) / len(needed))
    path = await resources.db[c.LEARNING_PATHS].find_one({"role": move["slug"]}, sort=[("slug", 1)])
    if path is None:
        assert move["hours"] is None and move["learningPath"] is None and "no learning path" in move["why"]
    else:
        assert move["learningPath"] == {"slug": path["slug"]}
        assert move["hours"] == sum(step["estimated_hours"] for step in path["steps"]
                                    if (needed - known) & set(step["skills"]))


async def test_each_moves_figures_are_those_of_the_stored_rows(api: Api, resources: Resources) -> None:
    found = (await api.data(MOVES, {"role": ROLE, "first": 50}))["nextMoves"]
    assert found["place"] == {"area": "0000000", "kind": "NATIONAL", "regionCode": None, "label": "US"}
    by_slug = {m["slug"]: m for m in found["moves"]}
    lead = by_slug["lead-backend-engineer"]
    assert lead["hours"] and lead["toLearn"] and lead["known"] and lead["relatedness"]["tier"] == "career step"
    await check_move(resources, lead, "0000000")
    await check_move(resources, by_slug["director-of-engineering"], "0000000")
    assert lead["officialSource"]["publisher"] == "U.S. Bureau of Labor Statistics"
    assert [m["rank"] for m in found["moves"]] == list(range(1, len(found["moves"]) + 1))
    assert "0.5 x reach" in found["rule"] and f"= {lead['score']:.3f}" in lead["why"]
    texas = (await api.data(MOVES, {"role": ROLE, "area": "TX", "first": 50}))["nextMoves"]
    assert texas["place"]["regionCode"] == "US-TX"
    await check_move(resources, {m["slug"]: m for m in texas["moves"]}["director-of-engineering"], "4800000")
    # the Role field answers the same
    on_role = (await api.data(ON_ROLE))["role"]["nextMoves"]["moves"]
    assert [(m["slug"], m["score"], m["hours"]) for m in on_role] == [
        (m["slug"], m["score"], m["hours"]) for m in found["moves"]]


async def test_known_skills_shorten_the_way(api: Api) -> None:
    plain = {m["slug"]: m for m in (await api.data(MOVES, {"role": ROLE, "first": 50}))["nextMoves"]["moves"]}
    told = (await api.data(MOVES, {"role": ROLE, "first": 50, "skills": ["Kubernetes", "Team leadership",
                                                                            "quantum knitting"]}))["nextMoves"]
    assert told["unknownSkills"] == ["quantum knitting"]
    lead = {m["slug"]: m for m in told["moves"]}["lead-backend-engineer"]
    assert {"kubernetes", "team-leadership"} <= {s["slug"] for s in lead["known"]}
    assert lead["reach"] > plain["lead-backend-engineer"]["reach"]
    assert lead["hours"] < plain["lead-backend-engineer"]["hours"]


@pytest.mark.parametrize(("variables", "code", "words"), [
    ({"role": "no-such-role"}, "NOT_FOUND", "no role"),
    ({"role": ROLE, "first": 0}, "BAD_USER_INPUT", "first"),
    ({"role": ROLE, "first": 51}, "BAD_USER_INPUT", "first"),
    ({"role": ROLE, "area": "Atlantis"}, "BAD_USER_INPUT", "area"),
    ({"role": ROLE, "skills": ["x"] * 201}, "BAD_USER_INPUT", "knownSkills"),
])
async def test_bad_questions_are_clear_errors(api: Api, variables: dict[str, Any], code: str, words: str) -> None:
    body = await api.gql(MOVES, variables)
    assert codes(body) == [code] and words in body["errors"][0]["message"], body


async def test_the_root_form_is_cached_and_another_roles_recompute_reaches_it(api: Api, resources: Resources) -> None:
    await add(resources.db, ROLE, [100_000.0 + 1_000 * i for i in range(9)], source="levels-fyi-export")
    await recompute(resources, ROLE)
    first = await api.post(MOVES, {"role": ROLE, "first": 50})
    again = await api.post(MOVES, {"role": ROLE, "first": 50})
    assert (first.headers["x-careergraph-cache"], again.headers["x-careergraph-cache"]) == ("miss", "hit")
    assert again.json() == first.json()
    lead = {m["slug"]: m for m in first.json()["data"]["nextMoves"]["moves"]}["lead-backend-engineer"]
    assert lead["pay"]["basis"] == "OFFICIAL"  # no crowd median for the target yet
    # the target's crowd figures are read at once: the answer is keyed by the latest version overall,
    # not by backend-developer's, which the target's recompute leaves as it was
    await add(resources.db, "lead-backend-engineer", [150_000.0 + 1_000 * i for i in range(9)],
              source="levels-fyi-export")  # a public file's rows: their medians as they are
    await recompute(resources, "lead-backend-engineer")
    fresh = await api.post(MOVES, {"role": ROLE, "first": 50})
    moved = {m["slug"]: m for m in fresh.json()["data"]["nextMoves"]["moves"]}["lead-backend-engineer"]
    assert moved["pay"]["basis"] == "CROWD" and moved["pay"]["change"] == pytest.approx(50_000.0)
    assert (moved["pay"]["currentCount"], moved["pay"]["targetCount"]) == (9, 9) and moved["pay"]["versions"]


PATH = """mutation ($input: UpsertLearningPathInput!) { upsertLearningPath(input: $input) {
  learningPath { slug } userErrors { message } } }"""


async def test_a_cached_answer_lives_until_a_new_version_and_a_path_edit_brings_one(
        api: Api, resources: Resources, settings: Settings) -> None:
    first = await api.post(MOVES, {"role": ROLE, "first": 50})
    assert first.headers["x-careergraph-cache"] == "miss"
    keys = [k async for k in resources.redis.scan_iter(match="careergraph:responses:*")]
    assert len(keys) == 1  # nothing it reads changes without a new version: kept as long as an exact answer
    assert await resources.redis.pttl(keys[0]) > settings.response_cache_ttl_s * 1000
    lead = {m["slug"]: m for m in first.json()["data"]["nextMoves"]["moves"]}["lead-backend-engineer"]
    step = {"title": "Everything at once", "skills": [s["slug"] for s in lead["toLearn"]], "estimatedHours": 7}
    edited = await api.data(PATH, {"input": {"slug": "lead-backend-engineer-path", "role": "lead-backend-engineer",
                                             "title": "Short", "steps": [step]}}, key="editor")
    assert edited["upsertLearningPath"]["userErrors"] == []
    queued = await resources.redis.zrange("careergraph:queue", 0, -1)
    assert b"recompute:all" in queued  # the edit queued the run whose version retires the answer
    await recompute(resources, "all")  # what the worker does with it
    fresh = await api.post(MOVES, {"role": ROLE, "first": 50})
    assert fresh.headers["x-careergraph-cache"] == "miss"
    assert {m["slug"]: m for m in fresh.json()["data"]["nextMoves"]["moves"]}["lead-backend-engineer"]["hours"] == 7


def test_moves_are_counted_once_and_each_ranking_as_a_hundred_nodes() -> None:
    schema = build_schema()._schema
    query = 'query { nextMoves(role: "r", first: 5) { moves { slug toLearn { slug } known { slug } } } }'
    assert count_nodes(schema, parse(query), None, {}) == 100 + 5 + 5 + 5 * 100 * 2
    every_role = "query { roles(first: 100) { nodes { nextMoves(first: 1) { moves { slug } } } } }"
    assert count_nodes(schema, parse(every_role), None, {}) == 100 + 100 * 100 + 100 + 100  # a hundred rankings


@pytest.mark.shared_data
async def test_over_the_onet_files_moves_have_overlap_hours_pay_and_employment(
        settings: Settings, resources: Resources, shared_data: Path, tmp_path: Path) -> None:
    async for api in open_api(settings, resources):
        await import_onet(resources, shared_data / "onet")
        candidates = (await api.data(MOVES, {"role": ROLE, "first": 50}))["nextMoves"]["moves"]
        socs = {onet_to_soc(code) for m in [{"slug": ROLE}, *candidates]
                for code in (await stored_role(resources, m["slug"])).get("onet_codes", [])}
        cells = [national(soc, 10_000 + 1_000 * i, 80_000 + 2_000 * i) for i, soc in enumerate(sorted(socs))]
        await import_oews(resources, write_flat_files(tmp_path / "oe", cells))
        moves = (await api.data(MOVES, {"role": ROLE, "first": 10}))["nextMoves"]["moves"]
        assert len(moves) == 10
        assert all(m["pay"] and m["employment"] and m["known"] and m["why"] for m in moves), moves
        with_hours = [m for m in moves if m["hours"]]
        assert with_hours, "a move towards a role with a learning path counts its hours"
        onet = [m for m in moves if m["relatedness"]["onetIndex"]]
        assert onet, "O*NET's related occupations are among the moves"
        for move in (with_hours[0], onet[0]):
            await check_move(resources, move, "0000000")
