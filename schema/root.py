"""The root schema: per-feature fields merged into one Query."""

from __future__ import annotations

import strawberry

from schema.service_info import ServiceInfo, resolve_service_info


@strawberry.type
class Query:
    service_info: ServiceInfo = strawberry.field(
        resolver=resolve_service_info, description="Versions of careergraph and its stores."
    )


def build_schema() -> strawberry.Schema:
    return strawberry.Schema(query=Query)
