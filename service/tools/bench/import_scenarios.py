"""Imports against a raw `insert_many` of the documents they wrote."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Awaitable
from pathlib import Path
from typing import Any

from service.ingest.onet import import_onet
from service.ingest.salaries import BATCH_SIZE, import_salaries, load_format
from service.platform.config import Settings
from service.platform.resources import Resources, open_resources
from service.store import database as c
from service.tools.bench.harness import (
    Bench,
    T,
)
from service.tools.bench.report import Outcome
from service.tools.bench.stack import BENCH_DB

# -- 5: imports against raw insert_many ---------------------------------------------------------------

def _head(source: Path, target: Path, rows: int | None) -> Path:
    """The file itself, or (quick runs) its header and first `rows` records in a scratch copy."""
    if rows is None:
        return source
    with source.open("rb") as full, target.open("wb") as head:
        for n, line in enumerate(full):
            if n > rows:
                break
            head.write(line)
    return target


async def _timed(work: Awaitable[T]) -> tuple[T, float]:
    started = time.perf_counter()
    result = await work
    return result, time.perf_counter() - started


async def _raw_copy(source: Resources, target_db: Any, collections: list[str]) -> float:
    """Insert the importer's documents again, raw, into empty collections with the same indexes."""
    await c.ensure_collections(target_db)
    elapsed = 0.0
    for name in collections:
        docs = await source.db[name].find({}).to_list()
        started = time.perf_counter()
        for start in range(0, len(docs), BATCH_SIZE):
            await target_db[name].insert_many(docs[start:start + BATCH_SIZE], ordered=False)
        elapsed += time.perf_counter() - started
    return elapsed


def imports(bench: Bench) -> None:
    if bench.data_dir is None or not (bench.data_dir / "onet").is_dir():
        bench.add(Outcome("5 imports", "O*NET and salary file against raw insert_many", None, "x", "<= 1.5",
                          detail="skipped: no ../shared/data (pass --data DIR)"))
        return
    data_dir = bench.data_dir
    salary_file = data_dir / "levels_fyi" / "levels_fyi_salaries.csv"

    async def work(kind: str) -> tuple[float, float, int]:
        settings = Settings(**{**vars(bench.settings), "mongodb_db": f"{BENCH_DB}_import"})
        async with open_resources(settings) as resources:
            await resources.mongo.drop_database(f"{BENCH_DB}_import")
            await resources.mongo.drop_database(f"{BENCH_DB}_raw")
            await c.ensure_collections(resources.db)
            if kind == "onet":
                _, took = await _timed(import_onet(resources, data_dir / "onet"))
                written = [c.ROLES, c.SKILLS, c.OUTLOOKS]
            else:
                with tempfile.TemporaryDirectory() as scratch, tempfile.TemporaryFile("w+") as progress:
                    source = _head(salary_file, Path(scratch) / salary_file.name, bench.sizes.salary_rows)
                    _, took = await _timed(import_salaries(
                        resources, source, load_format("levels-fyi", None), progress))
                written = [c.SALARY_OBSERVATIONS]
            raw = await _raw_copy(resources, resources.mongo[f"{BENCH_DB}_raw"], written)
            rows = sum([await resources.db[n].count_documents({}) for n in written])
            await resources.mongo.drop_database(f"{BENCH_DB}_import")
            await resources.mongo.drop_database(f"{BENCH_DB}_raw")
            return took, raw, rows

    for kind, label in (("onet", "O*NET directory"), ("salaries", "levels.fyi salary file")):
        took, raw, rows = bench.run(lambda _r, k=kind: work(k))  # type: ignore[misc]
        figures = {"import s": round(took, 2), "raw insert s": round(raw, 2), "documents": rows}
        bench.add(Outcome("5 imports", f"{label} / raw insert_many of the same documents", took / raw, "x",
                          "<= 1.5", stretch="<= 1.2", figures=figures))


