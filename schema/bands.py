"""`ExperienceBand` in GraphQL: the service's own enum (`service.bands`), wrapped by Strawberry."""

from __future__ import annotations

import strawberry

from service import bands

ExperienceBand = bands.ExperienceBand
strawberry.enum(ExperienceBand, name="ExperienceBand")


def band_or_none(value: str | None) -> bands.ExperienceBand | None:
    return bands.ExperienceBand(value) if value else None
