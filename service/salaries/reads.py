"""Reading salary observations: filtered, paginated, one by key, each read in a caller's view
(`visibility`: readers get the rows of public files, admins every row)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from service.errors import BadUserInput
from service.salaries.model import SalaryObservation
from service.salaries.visibility import visible_query
from service.store import database as c
from service.store.pagination import Page, PageRequest, paginate


@dataclass(frozen=True)
class ObservationFilter:
    role: str | None = None
    country: str | None = None
    experience_band: str | None = None
    currency: str | None = None
    min_amount: float | None = None
    max_amount: float | None = None
    year: int | None = None
    source: str | None = None
    employment_type: str | None = None


def _query(flt: ObservationFilter) -> dict[str, Any]:
    query: dict[str, Any] = {}
    for name in ("role", "country", "experience_band", "currency", "year", "source", "employment_type"):
        value = getattr(flt, name)
        if value is not None:
            query[name] = value
    if flt.min_amount is not None and flt.max_amount is not None and flt.min_amount > flt.max_amount:
        raise BadUserInput("minAmount must not exceed maxAmount", field="minAmount")
    bounds = {op: v for op, v in (("$gte", flt.min_amount), ("$lte", flt.max_amount)) if v is not None}
    if bounds:
        query["amount"] = bounds
    return query


def _in_view(query: dict[str, Any], view: str) -> dict[str, Any]:
    shown = visible_query(view)
    return {"$and": [query, shown]} if shown else query


async def list_observations(db: AsyncDatabase[dict[str, Any]], flt: ObservationFilter, page: PageRequest,
                            view: str, descending: bool = False) -> Page[SalaryObservation]:
    raw = await paginate(db[c.SALARY_OBSERVATIONS], _in_view(_query(flt), view), page, sort_field="amount",
                         tie_field="content_hash", descending=descending)
    return Page([(cur, SalaryObservation.from_document(d)) for cur, d in raw.items],
                raw.has_next_page, raw.has_previous_page, raw.total_count)


async def observation_by_key(db: AsyncDatabase[dict[str, Any]], key: str, view: str) -> SalaryObservation | None:
    doc = await db[c.SALARY_OBSERVATIONS].find_one(_in_view({"content_hash": key}, view))
    return SalaryObservation.from_document(doc) if doc else None
