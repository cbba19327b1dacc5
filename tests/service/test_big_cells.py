"""A cell bigger than a MongoDB document can hold (1,100,000 amounts: 17.6 MB as one array)
summarises exactly, and its roll-up and the run after one more submission stay exact; and a whole
read does not depend on one round trip finishing within the client's socket timeout."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import numpy as np
import pytest
from pymongo import AsyncMongoClient
from pymongo.errors import NetworkTimeout

from service.ingest.seed import load_seed
from service.platform.resources import Resources
from service.store import database as c
from service.summaries import cell_reads, rollups
from service.summaries.grid import Grid
from service.summaries.recompute import recompute
from service.summaries.salary_stats import PERCENTILES
from tests.factories.documents import add

ROLE = "data-engineer"
CELL = 1_100_000
BATCH = 50_000


def expect_cell(rows: list[dict[str, object]], amounts: np.ndarray) -> None:
    """The role's native USD rows of the one cell (CELL, COUNTRY, BAND, ROLE) against numpy, as the
    published rule has them (docs/privacy.md): submitted amounts on the pay grid for the mean and
    deviation, spread over their grid cells for the percentiles of so large a crowd (one cell: the
    points counted in any order give the same values), each to whole units."""
    grid = Grid("R40")
    native = [r for r in rows if r["currency"] == "USD" and not r.get("normalized_to")
              and r["level"] in ("CELL", "COUNTRY", "BAND", "ROLE")]
    assert {r["level"] for r in native} == {"CELL", "COUNTRY", "BAND", "ROLE"}
    coarse = grid.coarse(amounts)
    fine = grid.spread(coarse)
    for row in native:
        assert row["count"] == amounts.size and not row["withheld"]
        assert row["mean"] == round(coarse.mean())
        assert row["stddev"] == round(coarse.std())
        assert (row["min"], row["max"]) == (None, None)
        for name, q in PERCENTILES.items():
            assert row[name] == round(np.percentile(fine, q * 100)), name


async def test_a_cell_of_1_100_000_observations_summarises_exactly(resources: Resources) -> None:
    await load_seed(resources.db)
    observations = resources.db[c.SALARY_OBSERVATIONS]
    for name in await observations.index_information():  # a role's run needs only the role's index:
        if name not in ("_id_", c.ROLE_CELLS_INDEX_NAME):  # the others would make the inserts 4x slower
            await observations.drop_index(name)
    rng = np.random.default_rng(29)
    amounts = np.round(rng.lognormal(11.5, 0.45, CELL), -1)  # many ties, as real pay has
    now = datetime.now(UTC)
    for start in range(0, CELL, BATCH):  # minimal documents, straight in
        await observations.insert_many(
            [{"content_hash": f"big-{i}", "role": ROLE, "currency": "USD", "amount": float(amounts[i]),
              "country": "US", "experience_band": "mid", "year": 2024, "source": "test", "created_at": now}
             for i in range(start, min(start + BATCH, CELL))], ordered=False, bypass_document_validation=True)
    run = await recompute(resources, ROLE)
    assert run.outcome == "ok" and run.documents_read == CELL
    summary = await resources.db[c.SALARY_SUMMARIES].find_one({"role": ROLE})
    assert summary is not None
    expect_cell(summary["cells"], amounts)
    assert await resources.db[c.SALARY_ROLLUPS].count_documents({"role": ROLE}) == 2  # the cell spans parts
    rollups._memory.clear()  # the next run takes the stored roll-up
    await add(resources.db, ROLE, [123_450.0], "US", "mid", year=2024)
    after = await recompute(resources, ROLE)
    assert after.documents_read == 1 and after.read_whole == {}
    summary = await resources.db[c.SALARY_SUMMARIES].find_one({"role": ROLE})
    assert summary is not None
    expect_cell(summary["cells"], np.append(amounts, 123_450.0))


async def test_whole_reads_run_under_their_own_deadline_not_the_socket_timeout(resources: Resources) -> None:
    """A client whose socket timeout is 1 ms fails a plain `$group` over a role; the chunked read
    of the same role, under its own operation deadline, reads it whole."""
    await load_seed(resources.db)
    now = datetime.now(UTC)
    await resources.db[c.SALARY_OBSERVATIONS].insert_many(
        [{"content_hash": f"t-{i}", "role": ROLE, "currency": "USD", "amount": 50_000.0 + i, "country": "US",
          "experience_band": "mid", "year": 2024, "source": "test", "created_at": now} for i in range(20_000)])
    impatient: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(resources.settings.mongodb_url, socketTimeoutMS=1)
    try:
        observations = impatient[resources.settings.mongodb_db][c.SALARY_OBSERVATIONS]
        with pytest.raises(NetworkTimeout):
            await (await observations.aggregate([{"$match": {"role": ROLE}},
                                                 {"$group": {"_id": "$country", "a": {"$push": "$amount"}}}])).to_list()
        read = await cell_reads.read_whole(observations, ROLE, at_snapshot=True)
        assert read.cells.observations == 20_000
    finally:
        await impatient.close()
