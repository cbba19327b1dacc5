"""Career decisions at the service layer: next moves whose pay change and hours are recomputed here
from the stored rows, the ranking rule checked move by move, and pay positions that land exactly at
a published group's bounds, after a foreign amount is converted at its year's rate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from service.decisions.candidates import MOVE_CANDIDATES, needed_skills, store_candidates
from service.decisions.next_moves import WEIGHTS, next_moves
from service.decisions.pay_position import pay_position, position
from service.errors import BadUserInput, NotFound
from service.ingest.fx import import_fx
from service.ingest.oews import import_oews
from service.ingest.onet import import_onet
from service.ingest.seed import load_seed
from service.official.prices import bundled_index
from service.platform.resources import Resources
from service.store import database as c
from service.summaries.recompute import recompute
from tests.factories.documents import add
from tests.factories.official_files import FlatCell, full_texts, write_ecb_csv, write_flat_files

BACKEND = [100_000.0 + 3_000 * i for i in range(12)]
LEAD = [150_000.0 + 4_000 * i for i in range(9)]


async def stock(resources: Resources, tmp_path: Path) -> None:
    """The seed (with its learning paths), OEWS cells for the nation, crowd observations of two roles."""
    await load_seed(resources.db)
    await import_oews(resources, write_flat_files(tmp_path / "oe", [
        FlatCell("0000000", "N", "000000", "151252", full_texts(1_687_890, 135_980)),
        FlatCell("0000000", "N", "000000", "151254", full_texts(70_190, 92_650)),
        FlatCell("0000000", "N", "000000", "113021", full_texts(600_000, 171_200))]))
    # rows of a public file: published as they are (submitted ones would count at their grid points)
    await add(resources.db, "backend-developer", BACKEND, source="levels-fyi-export")
    await add(resources.db, "lead-backend-engineer", LEAD, source="levels-fyi-export")
    for role in ("backend-developer", "lead-backend-engineer"):
        await recompute(resources, role)


async def role(resources: Resources, slug: str) -> dict[str, Any]:
    doc = await resources.db[c.ROLES].find_one({"slug": slug})
    assert doc is not None
    return doc


async def test_a_moves_pay_change_and_hours_are_those_of_the_stored_rows(resources: Resources,
                                                                        tmp_path: Path) -> None:
    await stock(resources, tmp_path)
    found = await next_moves(resources, "backend-developer", "US", first=20)
    moves = {m.role: m for m in found.moves}
    lead = moves["lead-backend-engineer"]
    assert lead.pay is not None and lead.pay.basis == "CROWD"
    assert lead.pay.change == pytest.approx(float(np.median(LEAD)) - float(np.median(BACKEND)))
    known = needed_skills(await role(resources, "backend-developer"))
    to_learn = needed_skills(await role(resources, "lead-backend-engineer")) - known
    assert set(lead.to_learn) == to_learn and to_learn
    path = await resources.db[c.LEARNING_PATHS].find_one({"role": "lead-backend-engineer"})
    assert path is not None and lead.path == path["slug"]
    hours = sum(step["estimated_hours"] for step in path["steps"] if to_learn & set(step["skills"]))
    assert lead.hours == hours > 0
    assert lead.relatedness.tier == "career step"
    director = moves["director-of-engineering"]  # no crowd figure: official medians, like with like
    assert director.pay is not None and director.pay.basis == "OFFICIAL"
    assert (director.pay.current, director.pay.target) == (135_980, 171_200)  # 15-1252 employs the most
    assert director.occupation == "11-3021" and director.employment == 600_000
    assert director.hours is None and "no learning path" in director.why


async def test_moves_are_ranked_by_the_documented_rule(resources: Resources, tmp_path: Path) -> None:
    await stock(resources, tmp_path)
    found = await next_moves(resources, "backend-developer", "US", ["Kubernetes", "no such skill"], first=20)
    assert found.unknown_skills == ("no such skill",)
    scores = []
    for move in found.moves:
        needed = len(move.known) + len(move.to_learn)
        reach = len(move.known) / needed if needed else 0.0
        pay = 0.0 if move.pay is None else max(-1.0, min(1.0, move.pay.share))
        score = WEIGHTS["reach"] * reach + WEIGHTS["pay"] * pay + WEIGHTS["relatedness"] * move.relatedness.weight
        assert move.score == pytest.approx(score) and f"= {score:.3f}" in move.why
        scores.append(score)
    assert scores == sorted(scores, reverse=True) and [m.rank for m in found.moves] == list(
        range(1, len(found.moves) + 1))
    assert "backend-developer" not in {m.role for m in found.moves} and "other-roles" not in {
        m.role for m in found.moves}


async def test_candidates_are_stored_for_every_role(resources: Resources) -> None:
    await load_seed(resources.db)
    stored = await store_candidates(resources.db)
    assert stored == await resources.db[c.ROLES].count_documents({})
    doc = await resources.db[MOVE_CANDIDATES].find_one({"role": "backend-developer"})
    assert doc is not None
    tiers = {x["role"]: x["tier"] for x in doc["candidates"]}
    assert tiers["api-services-engineer"] == "career step" and tiers["java-developer"] == "specialisation"


async def test_bad_questions_are_clear_errors(resources: Resources) -> None:
    await load_seed(resources.db)
    with pytest.raises(NotFound):
        await next_moves(resources, "no-such-role")
    with pytest.raises(BadUserInput, match="first"):
        await next_moves(resources, "backend-developer", first=0)
    with pytest.raises(BadUserInput, match="area"):
        await next_moves(resources, "backend-developer", "Atlantis")
    for kwargs, field in (({"currency": "ZZZ"}, "currency"), ({"band": "wizard"}, "experienceBand"),
                          ({"adjust": "NOMINAL"}, "adjust"), ({"amount": -5.0}, "amount")):
        arguments = {"amount": 100_000.0, "currency": "USD", **kwargs}
        with pytest.raises(BadUserInput) as raised:
            await pay_position(resources, "backend-developer", **arguments)  # type: ignore[arg-type]
        assert raised.value.field == field


async def test_the_exact_p50_and_p75_of_a_published_group_land_at_those_bounds(resources: Resources,
                                                                              tmp_path: Path) -> None:
    await stock(resources, tmp_path)
    group = {"p50": float(np.percentile(BACKEND, 50)), "p75": float(np.percentile(BACKEND, 75))}
    for label, value in group.items():
        found = await pay_position(resources, "backend-developer", value, "USD", year=2024)
        assert found.crowd is not None and found.crowd.count == len(BACKEND)
        assert found.crowd_position is not None and found.crowd_position.at == (label,)
        assert found.words.startswith(f"at {label} of {len(BACKEND)} people")
    between = await pay_position(resources, "backend-developer", (group["p50"] + group["p75"]) / 2, "USD", year=2024)
    assert between.crowd_position is not None and between.crowd_position.words == "between p50 and p75"
    official = await pay_position(resources, "backend-developer", 135_980.0, "USD", year=2024)
    assert official.official is not None and official.official.occupation == "15-1252"
    assert official.official_position is not None and official.official_position.at == ("p50",)
    assert official.above_official_median is None and "at the OEWS median" in official.words


async def test_an_amount_in_pounds_is_converted_at_its_years_rate_first(resources: Resources, tmp_path: Path) -> None:
    await stock(resources, tmp_path)
    usd_days, gbp_days = [1.08, 1.10, 1.09], [0.87, 0.86]
    await import_fx(resources, write_ecb_csv(tmp_path / "eurofxref-hist.csv", {"USD": {2023: usd_days},
                                                                                  "GBP": {2023: gbp_days}}))
    per_pound = float(np.mean(usd_days)) / float(np.mean(gbp_days))  # mean_USD(2023) / mean_GBP(2023)
    p75 = float(np.percentile(BACKEND, 75))
    found = await pay_position(resources, "backend-developer", p75 / per_pound, "GBP", year=2023)
    assert found.normalised.exchange_year == 2023 and found.normalised.exchange_factor == pytest.approx(per_pound)
    assert found.normalised.usd == pytest.approx(p75)
    assert found.crowd_position is not None and found.crowd_position.at == ("p75",)
    assert "ecb" in found.normalised.rate_source


async def test_real_pay_is_placed_in_the_cpis_latest_full_year_dollars(resources: Resources, tmp_path: Path) -> None:
    try:
        index = bundled_index()
    except LookupError:
        pytest.skip("the cpi wheel is not installed (`make test` installs it)")
    await stock(resources, tmp_path)
    found = await pay_position(resources, "backend-developer", 100_000.0, "USD", adjust="REAL", year=2019)
    real = found.normalised.real
    national = index.series["CUUR0000SA0"].annual
    assert real is not None and real.base_year == max(national)
    assert found.normalised.compared == pytest.approx(100_000.0 * national[max(national)] / national[2019])


def test_positions_name_the_percentiles_around_an_amount() -> None:
    figures = (("p10", 10.0), ("p25", 20.0), ("p50", 20.0), ("p75", 40.0), ("p90", 50.0))
    assert position(20.0, figures).at == ("p25", "p50")  # type: ignore[union-attr]
    assert position(5.0, figures).words == "below p10"  # type: ignore[union-attr]
    assert position(60.0, figures).words == "above p90"  # type: ignore[union-attr]
    assert position(45.0, figures).words == "between p75 and p90"  # type: ignore[union-attr]
    assert position(45.0, ()) is None


@pytest.mark.shared_data
async def test_moves_over_a_full_onet_import_follow_onets_related_occupations(resources: Resources,
                                                                             shared_data: Path) -> None:
    await load_seed(resources.db)
    await import_onet(resources, shared_data / "onet")
    assert await store_candidates(resources.db) == await resources.db[c.ROLES].count_documents({})
    related: dict[str, tuple[str, int]] = {}
    with open(shared_data / "onet" / "Related Occupations.txt", encoding="utf-8") as handle:
        for line in list(handle)[1:]:
            code, other, tier, index = line.rstrip("\n").split("\t")
            if code == "15-1252.00":
                related[other] = (tier, int(index))
    slugs = {d["onet_codes"][0]: d["slug"] async for d in resources.db[c.ROLES].find({"origin": "onet"})}
    source = slugs["15-1252.00"]
    found = await next_moves(resources, source, "US", first=50)
    by_role = {m.role: m for m in found.moves}
    onet_moves = [m for m in found.moves if m.relatedness.tier in ("Primary-Short", "Primary-Long", "Supplemental")]
    assert onet_moves, "O*NET's related occupations are among the moves"
    codes = {d["slug"]: d.get("onet_codes") or [] async for d in resources.db[c.ROLES].find({}, {"slug": 1,
                                                                                                "onet_codes": 1})}
    for move in onet_moves:  # an O*NET occupation, or a curated role naming one, with O*NET's own tier and index
        assert (move.relatedness.tier, move.relatedness.index) in {related[x] for x in codes[move.role]
                                                                    if x in related}, move.role
    assert all(0.0 <= m.reach <= 1.0 for m in by_role.values()) and source not in by_role
    backend = await next_moves(resources, "backend-developer", "US", first=10)
    assert len(backend.moves) == 10 and all(m.why for m in backend.moves)
