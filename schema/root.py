"""The root schema: per-feature fields merged into one Query, mutations, and the protections."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.extensions import (
    AddValidationRules,
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
from schema.observability import OperationLabel
from schema.protection import ApiKeyGate, CostLimit
from schema.queries import CatalogQuery
from schema.role_type import Role
from schema.salary_types import SalaryObservation
from schema.service_info import ServiceInfo, resolve_service_info
from schema.subscriptions import Subscription
from schema.types import LearningPath, Outlook, SalaryBenchmark, Skill, Source

MAX_DEPTH = 10
MAX_ALIASES = 15
MAX_TOKENS = 2000


@strawberry.type
class Query(CatalogQuery):
    service_info: ServiceInfo = strawberry.field(
        resolver=resolve_service_info, description="Versions of careergraph and its stores."
    )


class CareerGraphSchema(strawberry.Schema):
    def process_errors(self, errors: list[Any], execution_context: Any = None) -> None:
        """ErrorShaping logs the unexpected errors with a request id; expected ones are not logged."""


def build_schema(production: bool = False) -> strawberry.Schema:
    # Factories: a fresh extension per request (the parser and validation caches are shared).
    # The depth and alias rules are built once: a limiter built per request would bring new rule
    # classes each time, and the validation cache, keyed by the rules, would never hit.
    limits = [*QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
              *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules]
    extensions: list[object] = [
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
        lambda: AddValidationRules(limits),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        OperationLabel,
        CostLimit,
        ApiKeyGate,
    ]
    if production:
        extensions.append(DisableIntrospection)
    return CareerGraphSchema(
        query=Query, mutation=Mutation, subscription=Subscription, extensions=extensions,  # type: ignore[arg-type]
        types=[Role, Skill, LearningPath, Source, SalaryObservation, SalaryBenchmark, Outlook],
        config=StrawberryConfig(auto_camel_case=True),
    )
