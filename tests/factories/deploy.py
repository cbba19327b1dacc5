"""The operators' files under `deploy/`, read: Prometheus rules, the Grafana dashboard, and the
metric names they use (which `/metrics` must export)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from tests.factories.paths import ROOT

DEPLOY = ROOT / "deploy"
PROMETHEUS = DEPLOY / "prometheus"
GRAFANA = DEPLOY / "grafana"
METRIC = re.compile(r"\b(careergraph_[a-z_]+|up)\b(?=\s*[{\[)=<>!]|\s*$)")


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


def rules() -> list[dict[str, Any]]:
    return [rule for group in load(PROMETHEUS / "alerts.yml")["groups"] for rule in group["rules"]]


def dashboard_exprs() -> list[str]:
    board = json.loads((GRAFANA / "dashboards" / "careergraph.json").read_text())
    return [t["expr"] for p in board["panels"] for t in p.get("targets", [])]


def metric_names(exprs: list[str]) -> set[str]:
    return {name for expr in exprs for name in METRIC.findall(expr)}


def deployed_metric_names() -> set[str]:
    """The metrics the rules and the panels name (tests/schema/test_observability.py checks that
    /metrics exports each of them)."""
    named = metric_names([r["expr"] for r in rules()] + dashboard_exprs())
    assert named >= {"careergraph_store_up", "careergraph_queue_depth", "careergraph_summary_age_seconds"}
    return named - {"up"}  # Prometheus's own
