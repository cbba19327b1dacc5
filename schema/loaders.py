"""DataLoaders, created per request in `get_context`: one MongoDB query per relation per tick,
however many parents ask."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from strawberry.dataloader import DataLoader

from service import catalog
from service.domain import LearningPath, Outlook, Role, SalaryBenchmark, Skill, Source


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


def create_loaders(db: Any) -> Loaders:
    def loader(fn: Any) -> DataLoader[Any, Any]:
        return DataLoader(load_fn=partial(fn, db), max_batch_size=500)

    return Loaders(
        role=loader(catalog.roles_by_slug), skill=loader(catalog.skills_by_slug),
        source=loader(catalog.sources_by_slug), path=loader(catalog.paths_by_slug),
        paths_by_role=loader(catalog.paths_by_role), benchmarks_by_role=loader(catalog.benchmarks_by_role),
        outlooks_by_role=loader(catalog.outlooks_by_role),
        roles_by_skill=loader(catalog.role_slugs_needing_skills),
    )
