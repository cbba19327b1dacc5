"""Documents the tests store: valid observations (built by the model, as imports and submissions
are) and extra roles, and the one summary row most tests read back."""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, datetime
from typing import Any

from service.access.api_keys import create_api_key
from service.ingest.seed import load_seed
from service.platform.config import Settings
from service.platform.resources import open_resources
from service.salaries.model import SalaryObservation
from service.store import database as c

TEST_SOURCE = "test"
_keys = itertools.count()


def observation(role: str, amount: float, country: str | None = "US", band: str | None = "mid",
                currency: str = "USD", **fields: Any) -> SalaryObservation:
    """One valid observation, built by the model's own builder (as imports and submissions are)."""
    return SalaryObservation(key=f"t{next(_keys)}", role=role, amount=amount, currency=currency,
                             country=country, experience_band=band, source=fields.pop("source", TEST_SOURCE),
                             created_at=fields.pop("created_at", datetime.now(UTC)), **fields)


async def add(db: Any, role: str, amounts: list[float], country: str | None = "US", band: str | None = "mid",
              currency: str = "USD", **fields: Any) -> list[SalaryObservation]:
    """Insert one observation per amount; returns them."""
    made = [observation(role, amount, country, band, currency, **fields) for amount in amounts]
    await db[c.SALARY_OBSERVATIONS].insert_many([o.to_document() for o in made])
    return made


async def add_roles(db: Any, count: int) -> None:
    """`count` more roles (extra-00, extra-01, ...), copies of the seed's first."""
    from service.ingest.seed.roles import ROLES

    await db[c.ROLES].insert_many([{**ROLES[0].to_document(), "slug": f"extra-{i:02d}", "title": f"Extra {i:02d}"}
                                   for i in range(count)])


def role_total(summaries: list[Any]) -> Any:
    """The role-level USD row of a role's summaries."""
    (found,) = [s for s in summaries if s.level == "ROLE" and s.currency == "USD"]
    return found


def seeded_key(settings: Settings, role: str = "admin") -> str:
    """Seed the test's database and make an API key of `role`, in this process: a quicker start
    than two commands for an end-to-end test whose subject is neither."""
    async def run() -> str:
        async with open_resources(settings) as resources:
            await load_seed(resources.db)
            return await create_api_key(resources.db, role)

    return asyncio.run(run())
