"""docker-compose.yml, checked without a Docker engine: valid against the Compose spec, and
wired to real CLI subcommands and real settings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from service.platform.environment import ENVIRONMENT_VARIABLES
from service.tools.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


@pytest.mark.shared_data
def test_valid_against_the_compose_spec(compose: dict[str, Any], shared_data: Path) -> None:
    spec = json.loads((shared_data / "compose" / "compose-spec.json").read_text())
    jsonschema.Draft7Validator(spec).validate(compose)


def test_the_stack_has_its_five_services(compose: dict[str, Any]) -> None:
    services = {name: s for name, s in compose["services"].items() if not s.get("profiles")}
    assert set(services) == {"mongo", "redis", "init", "api", "worker"}
    assert services["mongo"]["image"].startswith("mongo:8")
    assert services["redis"]["image"].startswith("redis:7")
    assert "--replSet" in services["mongo"]["command"]
    assert "mongo-data" in compose["volumes"]


def test_published_ports_are_bound_to_loopback(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), (name, port)


def test_commands_are_real_subcommands(compose: dict[str, Any]) -> None:
    parser = build_parser()
    for name in ("init", "api", "worker"):
        command = compose["services"][name]["command"]
        assert command[0] == "careergraph"
        parser.parse_args(command[1:])  # exits (fails the test) on an unknown subcommand
        if name == "init":
            continue
        check = compose["services"][name]["healthcheck"]["test"]
        if check[1] == "careergraph":
            parser.parse_args(check[2:])


def test_environment_names_only_real_settings(compose: dict[str, Any]) -> None:
    for name in ("init", "api", "worker"):
        service = compose["services"][name]
        assert set(service["environment"]) <= ENVIRONMENT_VARIABLES, name
        assert service["environment"]["MONGODB_URL"].startswith("mongodb://mongo:27017")
        assert service["environment"]["REDIS_URL"].startswith("redis://redis:6379")


def test_api_and_worker_wait_for_healthy_stores(compose: dict[str, Any]) -> None:
    for name in ("api", "worker"):
        service = compose["services"][name]
        assert service["build"] == "."
        assert "healthcheck" in service
        for store in ("mongo", "redis"):
            assert service["depends_on"][store]["condition"] == "service_healthy"
    for store in ("mongo", "redis"):
        assert "healthcheck" in compose["services"][store]


def test_an_empty_database_is_loaded_once_before_the_api_and_the_worker_start(compose: dict[str, Any]) -> None:
    init = compose["services"]["init"]
    assert init["restart"] == "no" and init["command"] == ["careergraph", "init"]
    for store in ("mongo", "redis"):
        assert init["depends_on"][store]["condition"] == "service_healthy"
    for name in ("api", "worker"):
        assert compose["services"][name]["depends_on"]["init"]["condition"] == "service_completed_successfully"


def test_the_api_scales_and_reads_imports_from_the_host(compose: dict[str, Any]) -> None:
    api = compose["services"]["api"]
    assert api["ports"] == ["127.0.0.1:8000-8009:8000"]  # --scale api=N gets N ports
    assert "./import:/import:ro" in api["volumes"]


def test_the_image_installs_from_the_lock_files() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    for lock in ("runtime", "official"):
        assert f"--require-hashes -r requirements/{lock}.lock" in dockerfile or \
            f"--require-hashes --no-deps -r requirements/{lock}.lock" in dockerfile
        assert (ROOT / "requirements" / f"{lock}.lock").is_file()
    assert "pip install ." not in dockerfile
