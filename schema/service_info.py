"""`serviceInfo`: versions of the service and of the servers it talks to."""

from __future__ import annotations

import strawberry

from schema.context import Info
from service import __version__
from service.platform.resources import server_versions


@strawberry.type(description="What is running: careergraph's version and its stores'.")
class ServiceInfo:
    version: str
    mongodb_version: str
    redis_version: str


async def resolve_service_info(info: Info) -> ServiceInfo:
    mongodb_version, redis_version = await server_versions(info.context.resources)
    return ServiceInfo(
        version=__version__, mongodb_version=mongodb_version, redis_version=redis_version
    )
