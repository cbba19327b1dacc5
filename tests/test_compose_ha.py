"""docker-compose.ha.yml, checked without a Docker engine: valid against the Compose spec, a
three-member MongoDB replica set and Redis with Sentinel (master, replica, three sentinels) that
careergraph's URLs name, and the same real commands and settings as the main file."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from service.platform.config import Settings
from service.platform.environment import ENVIRONMENT_VARIABLES
from service.platform.redis_url import parse_sentinel_url
from service.tools.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
CAREERGRAPH = ("init", "api", "worker")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.ha.yml").read_text())
    return loaded


@pytest.mark.shared_data
def test_valid_against_the_compose_spec(compose: dict[str, Any], shared_data: Path) -> None:
    spec = json.loads((shared_data / "compose" / "compose-spec.json").read_text())
    jsonschema.Draft7Validator(spec).validate(compose)


def test_mongodb_is_a_three_member_replica_set_that_careergraph_names_whole(compose: dict[str, Any]) -> None:
    services = compose["services"]
    members = [name for name, s in services.items() if str(s.get("image", "")).startswith("mongo:8")]
    assert sorted(members) == ["mongo1", "mongo2", "mongo3"]
    for name in members:
        assert services[name]["command"] == ["mongod", "--replSet", "rs0", "--bind_ip_all"]
    initiate = " ".join(services["mongo1"]["healthcheck"]["test"])
    assert sorted(re.findall(r"host: '(\w+):27017'", initiate)) == members
    for name in CAREERGRAPH:
        url = services[name]["environment"]["MONGODB_URL"]
        assert url == "mongodb://mongo1:27017,mongo2:27017,mongo3:27017/?replicaSet=rs0"
        assert services[name]["depends_on"]["mongo1"]["condition"] == "service_healthy"


def test_redis_is_a_master_a_replica_and_three_sentinels_that_careergraph_reaches_through(
        compose: dict[str, Any]) -> None:
    services = compose["services"]
    master, replica = services["redis-master"], services["redis-replica"]
    assert master["image"].startswith("redis:7") and replica["image"].startswith("redis:7")
    assert replica["command"][-3:] == ["--replicaof", "redis-master", "6379"]
    sentinels = [name for name in services if name.startswith("redis-sentinel-")]
    assert len(sentinels) == 3
    for name in sentinels:
        script = " ".join(services[name]["command"])
        assert "--sentinel" in script and "'sentinel monitor careergraph redis-master 6379 2'" in script
        assert services[name]["healthcheck"]["test"][0] == "CMD-SHELL"
    for name in CAREERGRAPH:
        env = services[name]["environment"]
        assert Settings.from_env(env).redis_url == env["REDIS_URL"]  # a URL careergraph accepts
        target = parse_sentinel_url(env["REDIS_URL"])
        assert target.master == "careergraph" and len(target.sentinels) == 3
        assert {host for host, port in target.sentinels} == set(sentinels)
        assert {port for _, port in target.sentinels} == {26379}
        for sentinel in sentinels:
            assert services[name]["depends_on"][sentinel]["condition"] == "service_healthy"


def test_commands_settings_and_ports_are_the_main_files(compose: dict[str, Any]) -> None:
    parser = build_parser()
    main = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    for name in CAREERGRAPH:
        service = compose["services"][name]
        assert service["command"] == main["services"][name]["command"]
        parser.parse_args(service["command"][1:])
        assert set(service["environment"]) <= ENVIRONMENT_VARIABLES, name
    check = compose["services"]["worker"]["healthcheck"]["test"]
    assert check[1:] == ["careergraph", "worker", "--check"]
    parser.parse_args(check[2:])
    assert compose["services"]["api"]["ports"] == main["services"]["api"]["ports"]
    for name, service in compose["services"].items():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), (name, port)
