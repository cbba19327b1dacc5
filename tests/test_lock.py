"""The lock files agree with pyproject.toml: every requirement of each environment is pinned, with
hashes, at a version its range allows (`make lock` writes them again)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
ENVIRONMENTS = {"runtime": [], "embedded": ["embedded"], "test": ["embedded", "test"]}
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)(?:\s*;[^\\]*)?\s*\\?$", re.MULTILINE)


def pins(lock: str) -> dict[str, str]:
    return {canonicalize_name(name): version for name, version in PIN.findall(lock)}


def requirements(extras: list[str]) -> list[Requirement]:
    wanted = [*PROJECT["dependencies"], *(r for extra in extras for r in PROJECT["optional-dependencies"][extra])]
    return [Requirement(r) for r in wanted]


def unmet(lock: str, wanted: list[Requirement]) -> list[str]:
    pinned = pins(lock)
    problems = []
    for req in wanted:
        if req.marker is not None and not req.marker.evaluate({"sys_platform": "linux"}):
            continue
        version = pinned.get(canonicalize_name(req.name))
        if version is None:
            problems.append(f"{req.name} is not in the lock")
        elif not req.specifier.contains(version, prereleases=True):
            problems.append(f"{req.name}=={version} is outside {req.specifier}")
    return problems


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_each_lock_pins_what_pyproject_asks_for(environment: str) -> None:
    lock = (ROOT / "requirements" / f"{environment}.lock").read_text()
    assert unmet(lock, requirements(ENVIRONMENTS[environment])) == [], "run `make lock`"
    blocks = re.split(r"\n(?=[A-Za-z0-9])", lock.split("\n", 2)[2])
    assert all("--hash=sha256:" in block for block in blocks if "==" in block)


def test_the_official_lock_pins_exactly_the_official_extra() -> None:
    lock = pins((ROOT / "requirements" / "official.lock").read_text())
    wanted = {canonicalize_name(Requirement(r).name): str(Requirement(r).specifier).removeprefix("==")
              for r in PROJECT["optional-dependencies"]["official"]}
    assert lock == wanted, "run `make lock`"


def test_the_check_sees_a_missing_or_outdated_pin() -> None:
    lock = "anyio==4.0 \\\n    --hash=sha256:00\nredis==6.1.0 \\\n    --hash=sha256:11\n"
    assert unmet(lock, [Requirement("redis>=5,<6"), Requirement("arq>=0.26"), Requirement("anyio")]) == [
        "redis==6.1.0 is outside <6,>=5", "arq is not in the lock"]
    assert unmet(lock, [Requirement("uvloop>=0.19; sys_platform == 'win32'")]) == []
