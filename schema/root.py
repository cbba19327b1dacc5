"""The root schema: per-feature fields merged into one Query, mutations, and the protections."""

from __future__ import annotations

import strawberry
from strawberry.extensions import (
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig

from schema import types as _types  # noqa: F401  (defines the catalogue types first)
from schema.mutations import Mutation
from schema.protection import ApiKeyGate, CostLimit, ErrorShaping
from schema.queries import CatalogQuery
from schema.role_type import Role
from schema.salary_types import SalaryObservation
from schema.service_info import ServiceInfo, resolve_service_info
from schema.types import LearningPath, Outlook, SalaryBenchmark, Skill, Source

MAX_DEPTH = 10
MAX_ALIASES = 15
MAX_TOKENS = 2000


@strawberry.type
class Query(CatalogQuery):
    service_info: ServiceInfo = strawberry.field(
        resolver=resolve_service_info, description="Versions of careergraph and its stores."
    )


def build_schema(production: bool = False) -> strawberry.Schema:
    extensions: list[object] = [
        ErrorShaping,
        ParserCache(maxsize=256),
        ValidationCache(maxsize=256),
        QueryDepthLimiter(max_depth=MAX_DEPTH),
        MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
        MaxTokensLimiter(max_token_count=MAX_TOKENS),
        CostLimit,
        ApiKeyGate,
    ]
    if production:
        extensions.append(DisableIntrospection())
    return strawberry.Schema(
        query=Query, mutation=Mutation, extensions=extensions,  # type: ignore[arg-type]
        types=[Role, Skill, LearningPath, Source, SalaryObservation, SalaryBenchmark, Outlook],
        config=StrawberryConfig(auto_camel_case=True),
    )
