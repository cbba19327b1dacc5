"""Operators' view: JSON logs carrying the request id, no secrets in them, and /metrics."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator

import pytest

from service.platform.config import Settings
from service.platform.logs import JsonFormatter, redact
from service.platform.resources import Resources
from service.summaries.recompute import recompute
from tests.factories.api import Api
from tests.factories.deploy import deployed_metric_names
from tests.factories.documents import add

SUMMARY = '{ salarySummaries(role: "backend-developer", level: ROLE) { count } }'


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    previous = root.level
    root.setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    root.setLevel(previous)


def sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus text, 0 when absent."""
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', line.split("}")[0]))
        if all(found.get(k) == v for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_redact_masks_key_secrets_and_url_credentials() -> None:
    text = "key cg_0a1b2c_SeCrEt-value_x at mongodb://user:p%40ss@db:27017/x and redis://:pw@cache:6379"
    masked = redact(text)
    assert "SeCrEt" not in masked and "p%40ss" not in masked and ":pw@" not in masked
    assert "cg_0a1b2c_[redacted]" in masked and "mongodb://[redacted]@db:27017/x" in masked


async def test_each_request_logs_one_json_line_with_its_id(api: Api, log_lines: io.StringIO) -> None:
    response = await api.post("{ serviceInfo { version } }", key="admin")
    lines = [json.loads(line) for line in log_lines.getvalue().splitlines()]
    access = [e for e in lines if e["logger"] == "careergraph.access"]
    assert len(access) == 1
    entry = access[0]
    assert entry["request_id"] == response.headers["x-request-id"]
    assert entry["status"] == 200 and entry["operation"] == "query serviceInfo" and entry["duration_ms"] > 0
    assert api.keys["admin"].rsplit("_", 1)[1] not in log_lines.getvalue()


async def test_unexpected_errors_are_logged_with_the_request_id_and_no_secret(
        api: Api, log_lines: io.StringIO) -> None:
    logging.getLogger("careergraph.test").error("failed talking to mongodb://admin:hunter2@db with %s",
                                                api.keys["admin"])
    text = log_lines.getvalue()
    assert "hunter2" not in text and api.keys["admin"] not in text
    assert json.loads(text.splitlines()[-1])["message"].startswith("failed talking to mongodb://[redacted]@db")


async def test_metrics_count_requests_errors_and_cache_lookups(api: Api, resources: Resources) -> None:
    await add(resources.db, "backend-developer", [100_000.0 + i for i in range(6)])
    before = (await api.client.get("/metrics")).text
    await recompute(resources, "all")
    for _ in range(3):
        assert (await api.post(SUMMARY)).status_code == 200
    await api.post("{ nonsense }")
    response = await api.client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    after = response.text

    def grew(name: str, **labels: str) -> float:
        return sample(after, name, **labels) - sample(before, name, **labels)

    assert grew("careergraph_requests_total", route="/graphql", operation="query salarySummaries",
                status="200") == 3
    assert grew("careergraph_request_duration_seconds_count", route="/graphql",
                operation="query salarySummaries") == 3
    assert grew("careergraph_graphql_errors_total", code="GRAPHQL_VALIDATION_FAILED") == 1
    assert grew("careergraph_cache_lookups_total", cache="response", outcome="hit") == 2
    assert grew("careergraph_cache_lookups_total", cache="summary", outcome="hit") >= 1
    assert sample(after, "careergraph_store_up", store="redis") == 1
    assert sample(after, "careergraph_store_up", store="mongodb") == 1
    assert sample(after, "careergraph_recompute_runs_last_hour", outcome="ok") == 1
    assert sample(after, "careergraph_recompute_last_duration_seconds", kind="all") > 0
    assert 0 <= sample(after, "careergraph_summary_age_seconds") < 60
    assert "careergraph_queue_depth" in after
    exported = {line.split("{")[0].split(" ")[0] for line in after.splitlines() if line and line[0] != "#"}
    missing = deployed_metric_names() - exported
    assert not missing, f"deploy/ rules or panels name metrics /metrics does not export: {sorted(missing)}"


async def test_metrics_report_a_store_that_is_down(settings: Settings, resources: Resources) -> None:
    from schema.asgi import create_app
    from tests.factories.api import open_api

    broken = Settings(**{**settings.__dict__, "redis_url": "redis://127.0.0.1:1", "redis_timeout_s": 0.2})
    app = create_app(broken)
    assert app is not None
    async for api in open_api(broken, resources):
        text = (await api.client.get("/metrics")).text
        assert sample(text, "careergraph_store_up", store="redis") == 0
        assert sample(text, "careergraph_store_up", store="mongodb") == 1
        assert "careergraph_queue_depth " not in text
