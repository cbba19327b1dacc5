"""DataLoaders, created per request in `get_context`: one MongoDB query per relation per tick,
however many parents ask."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from functools import partial
from typing import Any

from strawberry.dataloader import DataLoader

from service.catalog import reads as catalog
from service.catalog.model import LearningPath, Role, Skill
from service.official import oews_reads
from service.official import reads as official
from service.official.model import Outlook, SalaryBenchmark
from service.official.oews_model import Area, OfficialWage
from service.official.oews_reads import WageQuery
from service.platform.resources import Resources
from service.provenance import Source
from service.summaries.model import DemandSummary
from service.summaries.reads import read_demand_summary


@dataclass
class Loaders:
    role: DataLoader[str, Role | None]
    skill: DataLoader[str, Skill | None]
    source: DataLoader[str, Source | None]
    path: DataLoader[str, LearningPath | None]
    paths_by_role: DataLoader[str, list[LearningPath]]
    benchmarks_by_role: DataLoader[str, list[SalaryBenchmark]]
    outlooks_by_role: DataLoader[str, list[Outlook]]
    roles_by_skill: DataLoader[str, list[tuple[str, str]]]
    demand: DataLoader[str, DemandSummary]
    official_wages: DataLoader[WageQuery, list[OfficialWage]]
    area: DataLoader[str, Area | None]
    occupation: DataLoader[str, dict[str, Any] | None]
    industry: DataLoader[str, dict[str, Any] | None]


def _demand_loader(resources: Resources) -> DataLoader[str, DemandSummary]:
    async def load(subjects: list[str]) -> list[DemandSummary]:
        return list(await asyncio.gather(*(read_demand_summary(resources, s) for s in subjects)))

    return DataLoader(load_fn=load, max_batch_size=500)


def create_loaders(resources: Resources) -> Loaders:
    db = resources.db

    def loader(fn: Any) -> DataLoader[Any, Any]:
        return DataLoader(load_fn=partial(fn, db), max_batch_size=500)

    return Loaders(
        role=loader(catalog.roles_by_slug), skill=loader(catalog.skills_by_slug),
        source=loader(catalog.sources_by_slug), path=loader(catalog.paths_by_slug),
        paths_by_role=loader(catalog.paths_by_role), benchmarks_by_role=loader(official.benchmarks_by_role),
        outlooks_by_role=loader(official.outlooks_by_role),
        roles_by_skill=loader(catalog.role_slugs_needing_skills), demand=_demand_loader(resources),
        official_wages=loader(oews_reads.wages_for), area=loader(oews_reads.areas_by_code),
        occupation=loader(oews_reads.occupations_by_code), industry=loader(oews_reads.industries_by_code),
    )
