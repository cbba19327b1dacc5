"""Published figures are the documented rule applied to the released amounts, exactly: numpy over each
group's amounts as the rule counts them (submitted ones on the pay grid, spread over their grid cells
for the percentiles of large crowds, imported public ones as they are), converted at the year's rate for
pooled rows, to the nearest whole unit; no min or max; p10 and p90 only for large enough groups.
And with 1,000 or more observations a published median is within 1% of the exact one."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from service.ingest.fx import import_fx
from service.ingest.seed import load_seed
from service.official.fx import load_rates
from service.platform.resources import Resources
from service.store import database as c
from service.summaries.grid import Grid
from service.summaries.grouped import PERCENTILES
from service.summaries.groups import DIMENSIONS, LEVELS
from service.summaries.recompute import recompute
from tests.factories.documents import add
from tests.factories.official_files import write_ecb_csv

ROLE = "backend-developer"
RATES = {"USD": {2023: [1.08, 1.10], 2024: [1.09, 1.07]}, "GBP": {2023: [0.87, 0.86], 2024: [0.84, 0.85]}}
FINE_MIN, TAIL_MIN = 8, 6
POSITION = {"country": "country", "region_code": "region_code", "experience_band": "experience_band",
            "year": "year"}

observations = st.lists(st.fixed_dictionaries({
    "amount": st.floats(min_value=20_000, max_value=900_000, allow_nan=False).map(lambda a: round(a, 2)),
    "country": st.sampled_from(["US", "DE", "GB"]), "band": st.sampled_from(["entry", "mid", "senior"]),
    "year": st.sampled_from([2023, 2024]), "public": st.sampled_from([False, False, True])}), min_size=1, max_size=80)
#: a crowd large enough for the spread percentiles, beside public rows
CROWD = [{"amount": 50_000.0 + 3_377.77 * i, "country": "US", "band": "mid", "year": 2024, "public": i % 4 == 0}
         for i in range(24)]
CURRENCY = {"US": "USD", "DE": "EUR", "GB": "GBP"}


@pytest.fixture
async def stocked(resources: Resources, tmp_path: Path) -> Resources:
    await load_seed(resources.db)
    await import_fx(resources, write_ecb_csv(tmp_path / "rates.csv", RATES))
    return dataclasses.replace(resources, settings=dataclasses.replace(
        resources.settings, fine_grid_min=FINE_MIN, tail_min=TAIL_MIN))


def as_published(values: np.ndarray, fine: np.ndarray, submitted: int, count: int) -> dict[str, float | None]:
    """The rule, written out: mean and stddev of the grid amounts, percentiles of the grid amounts
    (spread over their cells for a crowd of FINE_MIN submissions or more), all to whole units."""
    basis = fine if submitted >= FINE_MIN else values
    out: dict[str, float | None] = {"mean": float(round(values.mean())), "stddev": float(round(values.std())),
                                    "min": None, "max": None}
    for name, q in PERCENTILES.items():
        out[name] = float(round(np.percentile(basis, q * 100)))
    if count < TAIL_MIN:
        out["p10"] = out["p90"] = None
    return out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=observations)
@example(rows=CROWD)
async def test_every_published_figure_is_the_rule_applied(stocked: Resources, rows: list[dict[str, Any]]) -> None:
    db = stocked.db
    await db[c.SALARY_OBSERVATIONS].delete_many({})
    await db[c.SALARY_SUMMARIES].delete_many({})
    for row in rows:
        await add(db, ROLE, [row["amount"]], row["country"], row["band"], CURRENCY[row["country"]], year=row["year"],
                  **({"source": "levels-fyi-export"} if row["public"] else {}))
    await recompute(stocked, ROLE, from_scratch=True)
    doc = await db[c.SALARY_SUMMARIES].find_one({"role": ROLE})
    rates, grid = await load_rates(db), Grid(stocked.settings.pay_grid)
    expected: dict[tuple[Any, ...], list[tuple[float, float, bool]]] = defaultdict(list)
    submitted = [row for row in rows if not row["public"]]
    points = grid.coarse(np.array([row["amount"] for row in submitted]))
    keys = sorted({(r["country"], None, r["band"], CURRENCY[r["country"]], r["year"], True, None) for r in submitted})
    cell_of = np.array([keys.index((r["country"], None, r["band"], CURRENCY[r["country"]], r["year"], True, None))
                        for r in submitted], dtype=np.int64)
    spread = grid.spread_cells(points, cell_of, keys) if len(submitted) >= FINE_MIN else points
    rounded = {id(row): (float(points[i]), float(spread[i])) for i, row in enumerate(submitted)}
    for row in rows:
        coarse, fine = (row["amount"], row["amount"]) if row["public"] else rounded[id(row)]
        cell = {"country": row["country"], "experience_band": row["band"], "year": row["year"], "region_code": None}
        for level in LEVELS:
            if level in ("REGION", "METRO"):  # the rows name no region and no metro area
                continue
            dims = tuple(cell[d] for d in DIMENSIONS[level])
            currency = CURRENCY[row["country"]]
            expected[(None, level, currency, *dims)].append((coarse, fine, not row["public"]))
            for target in ("USD", "EUR"):
                factor = rates.factor(currency, row["year"], target)
                assert factor is not None
                expected[(target, level, target, *dims)].append((coarse * factor.value, fine * factor.value,
                                                                 not row["public"]))
    found = {(r.get("normalized_to"), r["level"], r["currency"], *(r.get(d) for d in DIMENSIONS[r["level"]])): r
             for r in doc["cells"]}
    assert set(found) == set(expected)
    for key, members in expected.items():
        row = found[key]
        assert row["count"] == len(members)
        if len(members) < stocked.settings.min_cell_size:
            assert row["withheld"] and row["mean"] is None
            continue
        values = np.array([m[0] for m in members])
        fine = np.array([m[1] for m in members])
        published = as_published(values, fine, sum(m[2] for m in members), len(members))
        assert {name: row[name] for name in published} == published, key


async def test_a_large_crowds_median_is_within_one_percent(stocked: Resources) -> None:
    settings_ = dataclasses.replace(stocked.settings, fine_grid_min=1000, tail_min=30)
    resources = dataclasses.replace(stocked, settings=settings_)
    rng = np.random.default_rng(28)
    for count, public_share in ((1000, 0.0), (1500, 0.0), (2000, 0.5)):
        await resources.db[c.SALARY_OBSERVATIONS].delete_many({})
        amounts = np.round(rng.lognormal(11.6, 0.5, count), 2)
        public = rng.random(count) < public_share
        await add(resources.db, ROLE, amounts[~public].tolist(), year=2024)
        if public.any():
            await add(resources.db, ROLE, amounts[public].tolist(), year=2024, source="levels-fyi-export")
        await recompute(resources, ROLE, from_scratch=True)
        doc = await resources.db[c.SALARY_SUMMARIES].find_one({"role": ROLE})
        (total,) = [r for r in doc["cells"] if r["level"] == "ROLE" and not r.get("normalized_to")]
        exact = float(np.median(amounts))
        submitted = int((~public).sum())
        if submitted >= 1000:
            assert abs(total["median"] / exact - 1) <= 0.01, (count, total["median"], exact)
        for name in ("p10", "p25", "p75", "p90"):
            assert total[name] is not None
