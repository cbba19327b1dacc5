"""`serviceInfo`: versions of the service and, for admin keys only, of the servers it talks to
(server versions tell an attacker which known flaws to try)."""

from __future__ import annotations

import strawberry

from schema.context import Info
from service import __version__
from service.errors import CareerGraphError
from service.platform.resources import server_versions


@strawberry.type
class ServiceInfo:
    version: str
    mongodb_version: str | None
    redis_version: str | None


async def resolve_service_info(info: Info) -> ServiceInfo:
    try:
        await info.context.require("admin")
    except CareerGraphError:
        return ServiceInfo(version=__version__, mongodb_version=None, redis_version=None)
    mongodb_version, redis_version = await server_versions(info.context.resources)
    return ServiceInfo(version=__version__, mongodb_version=mongodb_version, redis_version=redis_version)
