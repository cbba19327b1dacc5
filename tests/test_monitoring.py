"""The operators' Prometheus rules, scrape configuration and Grafana dashboard, checked without
Prometheus or Grafana running: promtool checks and unit-tests the rules where it is installed
(Debian's prometheus package; `make test` installs it as root), otherwise the rules are checked
against their expected shape; the dashboard and its provisioning must agree with each other and
with the compose profile that mounts them."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from tests.factories.deploy import GRAFANA, PROMETHEUS, dashboard_exprs, load, rules
from tests.factories.paths import ROOT

SEVERITIES = {"warning", "critical"}


def promtool(*args: str) -> subprocess.CompletedProcess[str]:
    if not shutil.which("promtool"):
        pytest.skip("promtool is not installed (Debian's prometheus package; `make test` installs it as root)")
    return subprocess.run(["promtool", *args], cwd=PROMETHEUS, capture_output=True, text=True, timeout=60,
                          check=False)


def test_promtool_accepts_the_rules_and_the_scrape_configuration() -> None:
    for args in (("check", "rules", "alerts.yml"), ("check", "config", "prometheus.yml")):
        done = promtool(*args)
        assert done.returncode == 0, done.stdout + done.stderr


def test_the_alerts_fire_when_they_should_and_not_before() -> None:
    done = promtool("test", "rules", "alerts.test.yml")
    assert done.returncode == 0, done.stdout + done.stderr
    tested = {t["alertname"] for case in load(PROMETHEUS / "alerts.test.yml")["tests"]
              for t in case["alert_rule_test"]}
    assert tested >= {"CareergraphStoreDown", "CareergraphSummariesStale", "CareergraphRecomputeFailing",
                      "CareergraphQueueGrowing", "CareergraphServerErrors", "CareergraphApiDown"}


def test_every_rule_has_the_shape_alertmanager_routes_on() -> None:
    names = [rule["alert"] for rule in rules()]
    assert len(names) == len(set(names)), "two rules with one name"
    for rule in rules():
        assert set(rule) == {"alert", "expr", "for", "labels", "annotations"}, rule["alert"]
        assert re.fullmatch(r"Careergraph[A-Z][A-Za-z]+", rule["alert"])
        assert rule["labels"]["severity"] in SEVERITIES
        assert rule["annotations"]["summary"] and rule["annotations"]["description"]
        assert re.fullmatch(r"\d+[mh]", rule["for"])
        assert rule["expr"].count("(") == rule["expr"].count(")"), rule["alert"]


def test_the_nightly_guarantee_sets_the_staleness_threshold() -> None:
    """The rule allows the daily run plus a margin: a day passes, a day and three hours does not."""
    stale = next(r for r in rules() if r["alert"] == "CareergraphSummariesStale")
    threshold = eval(stale["expr"].split(">")[1].strip(), {"__builtins__": {}})  # "26 * 3600"
    assert 24 * 3600 < threshold < 27 * 3600


def test_the_dashboard_covers_what_operators_watch() -> None:
    exprs = " ".join(dashboard_exprs())
    for needed in ("careergraph_requests_total", "careergraph_request_duration_seconds_bucket",
                   "careergraph_graphql_errors_total", "careergraph_cache_lookups_total", "careergraph_queue_depth",
                   "careergraph_summary_age_seconds", "careergraph_recompute_last_duration_seconds",
                   "careergraph_recompute_runs_last_hour", 'status="429"', "careergraph_store_up"):
        assert needed in exprs, needed


def test_the_dashboard_uses_the_provisioned_datasource_and_unique_panels() -> None:
    board = json.loads((GRAFANA / "dashboards" / "careergraph.json").read_text())
    uid = load(GRAFANA / "provisioning" / "datasources" / "prometheus.yml")["datasources"][0]["uid"]
    ids = [p["id"] for p in board["panels"]]
    assert len(ids) == len(set(ids))
    for panel in board["panels"]:
        if panel["type"] != "row":
            assert panel["datasource"]["uid"] == uid and panel["targets"], panel["title"]
            grid = panel["gridPos"]
            assert grid["x"] + grid["w"] <= 24


def test_the_monitoring_profile_mounts_these_files() -> None:
    compose = load(ROOT / "docker-compose.yml")
    services = {n: s for n, s in compose["services"].items() if "monitoring" in s.get("profiles", [])}
    assert set(services) == {"prometheus", "grafana"}
    for service in services.values():
        for volume in service["volumes"]:
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (ROOT / source).is_dir(), source
    provider = load(GRAFANA / "provisioning" / "dashboards" / "careergraph.yml")["providers"][0]
    grafana_mounts = dict(v.split(":")[:2][::-1] for v in services["grafana"]["volumes"])
    assert grafana_mounts[provider["options"]["path"]] == "./deploy/grafana/dashboards"
    scrape = load(PROMETHEUS / "prometheus.yml")["scrape_configs"][0]
    assert scrape["dns_sd_configs"][0]["names"] == ["api"]
    assert scrape["dns_sd_configs"][0]["port"] == int(compose["services"]["api"]["environment"]["CAREERGRAPH_PORT"])
