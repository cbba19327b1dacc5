"""DataLoaders, one set per request (`get_context`), each made on first use: one MongoDB query
per relation per tick, however many parents ask."""

from __future__ import annotations

import asyncio
from functools import cached_property, partial
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


class Loaders:
    """One per request; each DataLoader is made when a resolver first asks for it (most requests use
    one or two of them)."""

    def __init__(self, resources: Resources) -> None:
        self._resources = resources

    def _loader(self, fn: Any) -> DataLoader[Any, Any]:
        return DataLoader(load_fn=partial(fn, self._resources.db), max_batch_size=500)

    @cached_property
    def role(self) -> DataLoader[str, Role | None]:
        return self._loader(catalog.roles_by_slug)

    @cached_property
    def skill(self) -> DataLoader[str, Skill | None]:
        return self._loader(catalog.skills_by_slug)

    @cached_property
    def source(self) -> DataLoader[str, Source | None]:
        return self._loader(catalog.sources_by_slug)

    @cached_property
    def path(self) -> DataLoader[str, LearningPath | None]:
        return self._loader(catalog.paths_by_slug)

    @cached_property
    def paths_by_role(self) -> DataLoader[str, list[LearningPath]]:
        return self._loader(catalog.paths_by_role)

    @cached_property
    def benchmarks_by_role(self) -> DataLoader[str, list[SalaryBenchmark]]:
        return self._loader(official.benchmarks_by_role)

    @cached_property
    def outlooks_by_role(self) -> DataLoader[str, list[Outlook]]:
        return self._loader(official.outlooks_by_role)

    @cached_property
    def roles_by_skill(self) -> DataLoader[str, list[tuple[str, str]]]:
        return self._loader(catalog.role_slugs_needing_skills)

    @cached_property
    def demand(self) -> DataLoader[str, DemandSummary]:
        return _demand_loader(self._resources)

    @cached_property
    def official_wages(self) -> DataLoader[WageQuery, list[OfficialWage]]:
        return self._loader(oews_reads.wages_for)

    @cached_property
    def area(self) -> DataLoader[str, Area | None]:
        return self._loader(oews_reads.areas_by_code)

    @cached_property
    def occupation(self) -> DataLoader[str, dict[str, Any] | None]:
        return self._loader(oews_reads.occupations_by_code)

    @cached_property
    def industry(self) -> DataLoader[str, dict[str, Any] | None]:
        return self._loader(oews_reads.industries_by_code)


def _demand_loader(resources: Resources) -> DataLoader[str, DemandSummary]:
    async def load(subjects: list[str]) -> list[DemandSummary]:
        return list(await asyncio.gather(*(read_demand_summary(resources, s) for s in subjects)))

    return DataLoader(load_fn=load, max_batch_size=500)


def create_loaders(resources: Resources) -> Loaders:
    return Loaders(resources)
