"""Summary fields of the root types: `salarySummaries` and `recomputeRuns`, `requestRecompute`, and the
`summariesUpdated` subscription (graphql-transport-ws)."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime
from typing import Annotated

import strawberry

from schema.bands import ExperienceBand
from schema.context import Info
from schema.summaries.comparison import PayComparison
from schema.summaries.types import RecomputeRun, SalarySummary, SummaryLevel
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
    @strawberry.field(description="Precomputed pay summaries: every group matching the arguments (omit "
                                  "one to get all its values), served from the cache. Without `role`, "
                                  "every role, at ROLE level unless `level` says otherwise; with a role, "
                                  "CELL, COUNTRY, BAND and ROLE unless `level` names one. `normalizeTo` "
                                  "(USD or EUR by default) gives the rows that pool every currency into it. "
                                  "`live: true` computes them for this request instead (admin only).")
    async def salary_summaries(
        self, info: Info, role: str | None = None, country: str | None = None,
        experience_band: ExperienceBand | None = None, currency: str | None = None,
        level: SummaryLevel | None = None,
        region: Annotated[str | None, strawberry.argument(description="ISO 3166-2, e.g. US-TX.")] = None,
        year: Annotated[int | None, strawberry.argument(description="The year observed.")] = None,
        normalize_to: Annotated[str | None, strawberry.argument(
            description="Pool every currency into this one, at each observation's year's rate.")] = None,
        live: bool = False,
    ) -> list[SalarySummary]:
        if live:
            await info.context.require("admin")
        scope = SalaryScope(role, country, experience_band.value if experience_band else None, currency,
                            level.value if level else None, region_code=region, year=year,
                            normalize_to=normalize_to)
        found = await read_salary_summaries(info.context.resources, scope, live=live)
        return [SalarySummary(model=s) for s in found]

    @strawberry.field(description="Crowd pay beside official wages for a role, as `Role.payComparison` gives "
                                  "it; this root form is served from the response cache.")
    async def pay_comparison(self, info: Info, role: str, area: str = "US") -> PayComparison | None:
        found = await read_pay_comparison(info.context.resources, role, area)
        return PayComparison(model=found) if found else None

    @strawberry.field(description="Recent recompute runs, newest first (admin).")
    async def recompute_runs(self, info: Info, first: int = 20) -> list[RecomputeRun]:
        await info.context.require("admin")
        if not 1 <= first <= MAX_RUNS:
            raise BadUserInput(f"first must be between 1 and {MAX_RUNS}")
        return [RecomputeRun.from_model(run) for run in await recent_runs(info.context.resources, first)]


@strawberry.type
class RecomputePayload:
    queued: list[str] = strawberry.field(description="Scopes newly queued (already-queued ones are not).")
    user_errors: list[UserError]


@strawberry.type
class SummaryMutation:
    @strawberry.mutation(description="Recompute the summaries of one role, or all (admin).")
    async def request_recompute(self, info: Info, role: str | None = None) -> RecomputePayload:
        await info.context.require("admin")
        if role is not None and await info.context.loaders.role.load(role) is None:
            return RecomputePayload(queued=[], user_errors=[UserError(
                field="role", message=f"no role with slug {role[:80]!r}", code="NOT_FOUND")])
        queued = await enqueue_recompute(info.context.resources.redis, [role] if role else None, defer_s=0)
        return RecomputePayload(queued=queued, user_errors=[])


@strawberry.type(description="A new summary version went live. Read the summaries again to get it.")
class SummariesUpdate:
    version: str
    scope: str = strawberry.field(description="The recompute's scope: a role slug, or \"all\".")
    roles: list[str] = strawberry.field(description="Roles whose salary summaries changed.")
    computed_at: datetime


@strawberry.type
class SummarySubscription:
    @strawberry.subscription(description="Notices of new summary versions; with `role`, only those that "
                                         "change that role's summaries.")
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
