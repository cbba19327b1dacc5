"""Synthetic salary observations for the benchmark: deterministic, shaped like the real data.

Roles are the seed's; 30 countries weighted roughly as in the levels.fyi export (a third in the
US), six experience bands (one unstated), seven years plus an unstated one, and log-normal
amounts rounded to 100 in the country's currency. Valid against the collection's validator.
"""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from service.salaries.model import SalaryObservation
from service.store import database as c

COUNTRIES = [("US", "USD", 40), ("GB", "GBP", 8), ("DE", "EUR", 6), ("IN", "INR", 10), ("CA", "CAD", 5),
             ("FR", "EUR", 3), ("NL", "EUR", 2), ("PL", "PLN", 2), ("BR", "BRL", 2), ("AU", "AUD", 2)] + [
    (code, "USD", 1) for code in ("SG", "IE", "ES", "IT", "SE", "CH", "JP", "MX", "IL", "AR", "PT", "RO",
                                  "UA", "CZ", "AT", "BE", "DK", "NO", "FI", "NZ")]
BANDS = ["entry", "early", "mid", "experienced", "senior", None]
YEARS = [2019, 2020, 2021, 2022, 2023, 2024, 2025, None]
BATCH = 10_000
IN_FLIGHT = 3
SOURCE = "bench-synthetic"


def observations(roles: list[str], start: int, count: int, seed: int = 7) -> list[dict[str, Any]]:
    rnd = random.Random(seed * 1_000_003 + start)
    weights = [w for _, _, w in COUNTRIES]
    now = datetime.now(UTC)
    picks = rnd.choices(COUNTRIES, weights, k=count)
    return [SalaryObservation(key=f"bench-{start + i}", role=rnd.choice(roles), currency=currency,
                              country=country, amount=float(round(rnd.lognormvariate(11.5, 0.45), -2)),
                              experience_band=rnd.choice(BANDS), year=rnd.choice(YEARS), source=SOURCE,
                              created_at=now).to_document()
            for i, (country, currency, _) in enumerate(picks)]


async def add_observations(db: AsyncDatabase[dict[str, Any]], roles: list[str], start: int,
                           count: int) -> None:
    """Insert observations numbered start..start+count-1 (a few batches in flight)."""
    gate = asyncio.Semaphore(IN_FLIGHT)

    async def one(first: int) -> None:
        async with gate:
            docs = observations(roles, first, min(BATCH, start + count - first))
            await db[c.SALARY_OBSERVATIONS].insert_many(docs, ordered=False)

    await asyncio.gather(*(one(first) for first in range(start, start + count, BATCH)))
