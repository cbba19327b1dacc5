"""The disclosure step's costs (issue 28): what it adds to a recompute, side by side with the same
recompute publishing exact figures as before it; and what it costs in utility on the real levels.fyi
export, as imported (public rows) and as if every row had been submitted."""

from __future__ import annotations

import dataclasses
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from service.ingest.fx import import_fx, wheel_rates
from service.ingest.salaries import import_salaries, load_format
from service.ingest.seed import load_seed
from service.official.fx import load_rates
from service.platform.config import Settings
from service.platform.resources import Resources
from service.salaries.visibility import HOLD, NEW
from service.store import database as c
from service.summaries import disclosure, reuse
from service.summaries.recompute import recompute
from service.summaries.salary_stats import compute_salary_cells
from service.tools.bench.data import add_observations
from service.tools.bench.harness import BENCH_ROLE, Bench
from service.tools.bench.import_scenarios import _head
from service.tools.bench.report import Outcome
from service.tools.bench.stack import BENCH_DB

SCENARIO = "9 privacy"


# -- what the step costs a recompute ------------------------------------------------------------------

def disclosure_cost(bench: Bench) -> None:
    """Recomputes in this process, alternating with the disclosure step and without it (exact figures,
    small groups withheld: what was published before), from scratch and after a write to one role."""
    def timed(exact: bool, scope: str) -> float:
        async def work(resources: Resources) -> float:
            if scope != "all":  # a write to the role, as a submission would make
                have = await resources.db[c.SALARY_OBSERVATIONS].estimated_document_count()
                await add_observations(resources.db, [BENCH_ROLE], have + 2_000_000_000, 1)
            started = time.perf_counter()
            run = await recompute(resources, scope, trigger="bench", from_scratch=scope == "all")
            if run.outcome != "ok":
                raise RuntimeError(f"recompute {run.outcome}: {run.error}")
            return time.perf_counter() - started

        return bench.run(work, dataclasses.replace(bench.settings, bench_exact_publication=exact))

    for scope, label in (("all", "full recompute from scratch"), (BENCH_ROLE, "one role's run after a write")):
        timed(False, scope)  # warm both paths (and leave the role's roll-up in place)
        timed(True, scope)
        ratios, with_step, without = [], [], []
        for _ in range(max(3, bench.sizes.rounds)):
            on, off = timed(False, scope), timed(True, scope)
            with_step.append(on)
            without.append(off)
            ratios.append(on / off)
        bench.add(Outcome(SCENARIO, f"{label}: with the disclosure step / without, at "
                          f"{bench.sizes.observations:,} observations", statistics.median(ratios), "x", "<= 1.1",
                          figures={"with s": round(statistics.median(with_step), 3),
                                   "without s": round(statistics.median(without), 3), "rounds": len(ratios)}))


# -- what it costs on the levels.fyi export --------------------------------------------------------

def _key(row: dict[str, Any]) -> tuple[Any, ...]:
    return (row["role"], *disclosure.key_of(row))


def compare(exact: list[dict[str, Any]], published: list[dict[str, Any]]) -> dict[str, Any]:
    """How the published rows differ from the exact ones (small groups withheld in both)."""
    mine = {_key(r): r for r in published}
    shown_exact = [r for r in exact if not r["withheld"]]
    kept, changed_count, errors, large_errors = 0, 0, [], []
    for row in shown_exact:
        other = mine.get(_key(row))
        if other is None or other["withheld"]:
            continue
        kept += 1
        changed_count += other["count"] != row["count"]
        if other["count"] == row["count"] and row["median"]:
            error = abs(other["median"] / row["median"] - 1)
            errors.append(error)
            if row["count"] >= 1000:
                large_errors.append(error)
    return {"groups": len(exact), "shown exact": len(shown_exact), "shown by the rule": kept,
            "lost": len(shown_exact) - kept, "count changed": changed_count,
            "median error p50": float(np.median(errors)) if errors else 0.0,
            "median error p95": float(np.percentile(errors, 95)) if errors else 0.0,
            "median error max": max(errors, default=0.0), "median error max (1,000+)": max(large_errors, default=0.0)}


async def _rows(resources: Resources) -> list[dict[str, Any]]:
    return [dict(cell, role=doc["role"]) async for doc in resources.db[c.SALARY_SUMMARIES].find({})
            for cell in doc["cells"]]


def levels_fyi_cost(bench: Bench) -> None:
    if bench.data_dir is None or not (bench.data_dir / "levels_fyi").is_dir():
        bench.add(Outcome(SCENARIO, "levels.fyi utility", None, "x", "info",
                          detail="skipped: no ../shared/data (pass --data DIR)"))
        return
    salary_file = bench.data_dir / "levels_fyi" / "levels_fyi_salaries.csv"
    name = f"{BENCH_DB}_privacy"
    settings = Settings(**{**vars(bench.settings), "mongodb_db": name})

    async def work(resources: Resources) -> dict[str, Any]:
        await resources.mongo.drop_database(name)
        await c.ensure_collections(resources.db)
        await load_seed(resources.db)
        if wheel_rates() is not None:
            await import_fx(resources)
        with tempfile.TemporaryDirectory() as scratch, tempfile.TemporaryFile("w+") as progress:
            source = _head(salary_file, Path(scratch) / salary_file.name, bench.sizes.salary_rows)
            await import_salaries(resources, source, load_format("levels-fyi", None), progress)
        rates = await load_rates(resources.db)
        exact = [dict(row, role=role) for role, rows in (await compute_salary_cells(
            resources.db, None, settings.min_cell_size, rates, settings.normalize_to)).items() for row in rows]
        await recompute(resources, "all", trigger="bench", from_scratch=True)
        public = compare(exact, await _rows(resources))
        # the same rows as if people had submitted them, all before one release
        observations = resources.db[c.SALARY_OBSERVATIONS]
        await observations.update_many({}, {"$set": {"source": "csv-import", HOLD: NEW}, "$unset": {"public": ""}})
        await reuse.forget(resources.db)
        await recompute(resources, "all", trigger="bench", from_scratch=True)
        submitted = compare(exact, await _rows(resources))
        total = await observations.count_documents({})
        submitted["observations"] = total
        admitted = 0  # let in by the release, settled by the next run
        async for doc in resources.db[c.SALARY_SUMMARIES].find({}, {"release.admitted": 1}):
            admitted += len((doc.get("release") or {}).get("admitted") or ())
        submitted["held back"] = await observations.count_documents({HOLD: NEW}) - admitted
        atoms: Counter[tuple[Any, ...]] = Counter()
        async for doc in observations.find({}, {"role": 1, "country": 1, "region_code": 1, "experience_band": 1,
                                                "currency": 1, "year": 1}):
            atoms[(doc["role"], doc.get("country"), doc.get("region_code"), doc.get("experience_band"),
                   doc["currency"], doc.get("year"))] += 1
        k = settings.release_changes
        submitted["held back if they came one at a time"] = sum(n if n < settings.min_cell_size else n % k
                                                                for n in atoms.values())
        await resources.mongo.drop_database(name)
        return {"public": public, "submitted": submitted}

    found = bench.run(work, settings)
    public, submitted = found["public"], found["submitted"]
    bench.add(Outcome(SCENARIO, "levels.fyi as imported (public rows): groups showing figures, rule / exact",
                      public["shown by the rule"] / max(1, public["shown exact"]), "x", ">= 1", figures=public))
    bench.add(Outcome(SCENARIO, "levels.fyi as imported: largest median change, groups of 1,000+",
                      public["median error max (1,000+)"] * 100, "%", "<= 1", figures={}))
    bench.add(Outcome(SCENARIO, "levels.fyi as if submitted: groups showing figures, rule / exact",
                      submitted["shown by the rule"] / max(1, submitted["shown exact"]), "x", "info",
                      figures=submitted))
    bench.add(Outcome(SCENARIO, "levels.fyi as if submitted: largest median change, groups of 1,000+ unchanged",
                      submitted["median error max (1,000+)"] * 100, "%", "<= 1", figures={}))
