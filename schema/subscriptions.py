"""The Subscription root: `summariesUpdated`, delivered over graphql-transport-ws."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime

import strawberry

from schema.context import Info
from service.resources import ServiceUnavailable


@strawberry.type(description="A new summary version went live. Read the summaries again to get it.")
class SummariesUpdate:
    version: str
    scope: str = strawberry.field(description="The recompute's scope: a role slug, or \"all\".")
    roles: list[str] = strawberry.field(description="Roles whose salary summaries changed.")
    computed_at: datetime


@strawberry.type
class Subscription:
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
