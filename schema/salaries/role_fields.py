"""The field the salary observations give `Role` (composed in `schema/catalog/role.py`): its
observations, a page at a time, for callers with a key, in the key's view (`visibility`)."""

from __future__ import annotations

import strawberry

from schema.bands import ExperienceBand
from schema.context import Info
from schema.relay import Connection, connection, page_request
from schema.salaries.types import SalaryObservation
from service.catalog import model
from service.salaries.reads import ObservationFilter, list_observations
from service.salaries.visibility import view_for


@strawberry.type
class RoleObservationFields:
    model: strawberry.Private[model.Role]

    @strawberry.field
    async def salary_observations(
        self, info: Info, first: int | None = None, after: str | None = None,
        last: int | None = None, before: str | None = None, country: str | None = None,
        experience_band: ExperienceBand | None = None,
    ) -> Connection[SalaryObservation]:
        principal = await info.context.require("reader")
        flt = ObservationFilter(role=self.model.slug, country=country,
                                experience_band=experience_band.value if experience_band else None)
        request = page_request(info, first, after, last, before)
        page = await list_observations(info.context.resources.db, flt, request, view_for(principal.role))
        return connection(page, lambda o: SalaryObservation(model=o))
