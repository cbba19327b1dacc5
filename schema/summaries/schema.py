"""Summary fields of the root types: `salarySummaries` and `recomputeRuns`, `requestRecompute`, and the
`summariesUpdated` subscription (graphql-transport-ws)."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime
from typing import Annotated

import strawberry

from schema.adjustments import Adjustment
from schema.bands import ExperienceBand
from schema.context import Info
from schema.summaries.inputs import RecomputePayload
from schema.summaries.types import PayComparison, RecomputeRun, SalarySummary, SummariesUpdate, SummaryLevel
from schema.user_errors import UserError
from service.errors import BadUserInput
from service.jobs import enqueue_recompute
from service.platform.resources import ServiceUnavailable
from service.summaries.model import SalaryScope
from service.summaries.reads import read_pay_comparison, read_salary_summaries
from service.summaries.runs import recent_runs

MAX_RUNS = 100


@strawberry.type
class SummaryQuery:
    @strawberry.field
    async def salary_summaries(
        self, info: Info, role: str | None = None, country: str | None = None,
        experience_band: ExperienceBand | None = None, currency: str | None = None,
        level: SummaryLevel | None = None,
        region: str | None = None,
        year: int | None = None,
        metro: str | None = None,
        normalize_to: Annotated[str | None, strawberry.argument(
            )] = None,
        live: bool = False,
        adjust: Adjustment | None = None,
    ) -> list[SalarySummary]:
        if live:
            await info.context.require("admin")
        scope = SalaryScope(role, country, experience_band.value if experience_band else None, currency,
                            level.value if level else None, region_code=region, year=year,
                            normalize_to=normalize_to, adjust=adjust.value if adjust else None, metro_code=metro)
        found = await read_salary_summaries(info.context.resources, scope, live=live)
        return [SalarySummary(model=s) for s in found]

    @strawberry.field
    async def pay_comparison(self, info: Info, role: str, area: str = "US") -> PayComparison | None:
        found = await read_pay_comparison(info.context.resources, role, area)
        return PayComparison(model=found) if found else None

    @strawberry.field
    async def recompute_runs(self, info: Info, first: int = 20) -> list[RecomputeRun]:
        await info.context.require("admin")
        if not 1 <= first <= MAX_RUNS:
            raise BadUserInput(f"first must be between 1 and {MAX_RUNS}")
        return [RecomputeRun.from_model(run) for run in await recent_runs(info.context.resources, first)]


@strawberry.type
class SummaryMutation:
    @strawberry.mutation
    async def request_recompute(self, info: Info, role: str | None = None) -> RecomputePayload:
        await info.context.require("admin")
        if role is not None and await info.context.loaders.role.load(role) is None:
            return RecomputePayload(queued=[], user_errors=[UserError(
                field="role", message=f"no role with slug {role[:80]!r}", code="NOT_FOUND")])
        queued = await enqueue_recompute(info.context.resources.redis, [role] if role else None, defer_s=0)
        return RecomputePayload(queued=queued, user_errors=[])


@strawberry.type
class SummarySubscription:
    @strawberry.subscription
    async def summaries_updated(self, info: Info, role: str | None = None
                                ) -> AsyncGenerator[SummariesUpdate, None]:
        await info.context.require_reader()
        hub = info.context.notices
        if hub is None:
            raise ServiceUnavailable("Redis", "no notice channel in this process")
        await hub.wait_listening()
        async for notice in hub.subscribe():
            if role is None or notice["scope"] == "all" or role in notice["roles"]:
                yield SummariesUpdate(version=notice["version"], scope=notice["scope"], roles=notice["roles"],
                                      computed_at=datetime.fromisoformat(notice["computed_at"]))
