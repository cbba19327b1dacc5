"""Prometheus metrics counted in this process (the cluster's figures are `service.ops.metrics`).

One registry per process; each API process is scraped on its own: requests and their latency
by route and operation, GraphQL errors by code, lookups of the response cache and of the summary
cache by outcome.

Operation labels are the operation type and its root fields (taken from the validated document,
so the set of values is bounded by the schema), never a client-chosen operation name.
"""

from __future__ import annotations

from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, disable_created_metrics

disable_created_metrics()  # the `_created` series double the output and tell nothing here
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
MAX_ROOT_FIELDS_IN_LABEL = 3

REGISTRY = CollectorRegistry(auto_describe=True)
REQUESTS = Counter("careergraph_requests", "HTTP requests by route, operation and status.",
                   ["route", "operation", "status"], registry=REGISTRY)
LATENCY = Histogram("careergraph_request_duration_seconds",
                    "Time to answer a request, by route and operation.", ["route", "operation"],
                    registry=REGISTRY,
                    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
ERRORS = Counter("careergraph_graphql_errors", "GraphQL errors sent to clients, by extensions.code.",
                 ["code"], registry=REGISTRY)
CACHE_LOOKUPS = Counter("careergraph_cache_lookups",
                        "Cache lookups by cache (response, summary) and outcome.", ["cache", "outcome"],
                        registry=REGISTRY)


def operation_label(operation_type: str, root_fields: list[str]) -> str:
    fields = sorted(set(root_fields))
    if len(fields) > MAX_ROOT_FIELDS_IN_LABEL:
        return f"{operation_type} {len(fields)} fields"
    return f"{operation_type} {','.join(fields)}".strip()


def observe_request(route: str, operation: str, status: int, seconds: float) -> None:
    REQUESTS.labels(route, operation, str(status)).inc()
    LATENCY.labels(route, operation).observe(seconds)


def count_cache(cache: str, hit: bool) -> None:
    CACHE_LOOKUPS.labels(cache, "hit" if hit else "miss").inc()


def count_error(code: Any) -> None:
    ERRORS.labels(str(code)).inc()
