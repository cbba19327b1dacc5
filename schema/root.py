"""The root schema: each feature's query, mutation and subscription fields merged into one root of
each kind (as NetBox and Saleor merge per-feature roots), and the protections around them.

The order of the bases is the order of the root fields in the SDL (the first base's first), which
keeps the committed SDL stable as features are added.
"""

from __future__ import annotations

import strawberry
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxAliasesLimiter,
    QueryDepthLimiter,
)
from strawberry.schema.config import StrawberryConfig

from schema import describe
from schema.catalog.role import Role
from schema.catalog.schema import CatalogMutation, CatalogQuery, DiscoveryQuery
from schema.catalog.types import LearningPath, Skill
from schema.decisions.schema import DecisionQuery
from schema.nodes import NodeQuery
from schema.official.schema import OfficialQuery
from schema.official.types import Outlook, SalaryBenchmark
from schema.policy.documents import CachedParse, CachedValidation
from schema.policy.execution import CareerGraphSchema
from schema.policy.limits import MAX_ALIASES, MAX_DEPTH, CostLimit
from schema.provenance import Source
from schema.salaries.schema import SalaryMutation, SalaryQuery
from schema.salaries.types import SalaryObservation
from schema.service_info import ServiceInfo, resolve_service_info
from schema.summaries.schema import SummaryMutation, SummaryQuery, SummarySubscription


@strawberry.type
class Query(NodeQuery, CatalogQuery, SalaryQuery, DiscoveryQuery, SummaryQuery, OfficialQuery, DecisionQuery):
    service_info: ServiceInfo = strawberry.field(
        resolver=resolve_service_info
    )


@strawberry.type
class Mutation(SalaryMutation, CatalogMutation, SummaryMutation):
    pass


@strawberry.type
class Subscription(SummarySubscription):
    pass


def build_schema(production: bool = False) -> strawberry.Schema:
    # Factories: a fresh extension per request (the parse and validation caches are shared).
    # The depth and alias rules are built once: a limiter built per request would bring new rule
    # classes each time, and the validation cache, keyed by the rules, would never hit.
    limits = [*QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
              *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules]
    extensions: list[object] = [
        CachedParse,
        lambda: AddValidationRules(limits),
        lambda: CachedValidation(hide_suggestions=production),
        CostLimit,
    ]
    if production:
        extensions.append(DisableIntrospection)
    schema = CareerGraphSchema(
        query=Query, mutation=Mutation, subscription=Subscription, extensions=extensions,  # type: ignore[arg-type]
        types=[Role, Skill, LearningPath, Source, SalaryObservation, SalaryBenchmark, Outlook],
        config=StrawberryConfig(auto_camel_case=True),
    )
    describe.apply(schema._schema)
    return schema
