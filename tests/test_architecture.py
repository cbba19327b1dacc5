"""The structure of ../shared/ARCHITECTURE.md, held true: import contracts, modules that import on
their own, and modules small enough to read."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("service", "schema", "worker")
MAX_MODULE_LINES = 300


def modules() -> list[str]:
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__main__":
                continue  # running it runs the command
            if parts[-1] == "__init__":
                parts.pop()
            found.append(".".join(parts))
    return found


def test_import_contracts_hold() -> None:
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint_imports, "import-linter is part of the test extra"
    result = subprocess.run([lint_imports], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    kept = re.search(r"Contracts: (\d+) kept, (\d+) broken", result.stdout)
    assert kept is not None and kept.group(2) == "0", result.stdout
    assert int(kept.group(1)) >= 11  # layers in service and schema, protected tools, front door and SDL, acyclic schema...


def third_party_imports() -> list[str]:
    """The top-level names of what the project's modules import from outside it."""
    found: set[str] = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Import):
                    found.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    found.add(node.module.split(".")[0])
    return sorted(found - set(PACKAGES) - {"__future__"})


# Imports the libraries once, then forks a child per project module: each child starts with no
# project module loaded, so it shows what a fresh interpreter would, without paying for the
# libraries again (a fresh interpreter per module took 90 s of the suite on two cores).
IMPORT_EACH = """
import importlib, json, os, sys
for library in json.loads(sys.argv[1]):
    try:
        importlib.import_module(library)
    except ImportError:
        pass  # optional: a project module that needs it fails below
loaded = [m for m in sys.modules if m.split(".")[0] in ("service", "schema", "worker")]
assert not loaded, loaded
failed, running = {}, {}
names = json.loads(sys.argv[2])
def reap():
    pid, status = os.wait()
    if os.waitstatus_to_exitcode(status) != 0:
        failed[running[pid]] = os.waitstatus_to_exitcode(status)
    del running[pid]
for name in names:
    while len(running) >= int(sys.argv[3]):
        reap()
    pid = os.fork()
    if pid == 0:
        try:
            importlib.import_module(name)
        except BaseException as exc:
            print(f"{name}: {type(exc).__name__}: {exc}", file=sys.stderr)
            os._exit(1)
        os._exit(0)
    running[pid] = name
while running:
    reap()
print(json.dumps(failed))
"""


def test_every_module_imports_on_its_own_with_no_project_module_loaded() -> None:
    names = modules()
    assert len(names) > 80 and "schema.catalog.role" in names and "service.tools.cli" in names
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_EACH, json.dumps(third_party_imports()), json.dumps(names),
         str(max(2, os.cpu_count() or 2))],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.splitlines()[-1]) == {}, done.stderr[-4000:]


@pytest.mark.parametrize("package", PACKAGES)
def test_no_module_is_over_300_lines(package: str) -> None:
    long = {str(p.relative_to(ROOT)): n for p in (ROOT / package).rglob("*.py")
            if (n := len(p.read_text().splitlines())) > MAX_MODULE_LINES}
    assert not long, long


def test_no_motor_anywhere() -> None:
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text()
            assert "import motor" not in text and "from motor" not in text, path


def test_no_test_module_imports_another() -> None:
    """What tests share lives in `tests.factories` (or the e2e helpers) and the conftest files: a
    test module imported by another would run its tests twice and tie unrelated files together."""
    found = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.module else []
            found += [f"{path.relative_to(ROOT)}: {name}" for name in names
                      if name.startswith("tests.") and name.rsplit(".", 1)[-1].startswith(("test_", "conftest"))]
    assert not found, found


def contract(name_start: str) -> dict[str, object]:
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    return next(c for c in contracts if c["name"].startswith(name_start))


def test_every_module_of_the_schema_has_its_layer() -> None:
    """import-linter checks only the modules a layers contract names: a package added to schema/
    without a layer could import any feature, or be imported by one, unseen."""
    layers = contract("schema is layered")["layers"]
    assert isinstance(layers, list)
    named = {name.strip() for layer in layers for name in re.split(r"[|:]", layer)}
    children = {p.stem if p.is_file() else p.name for p in (ROOT / "schema").iterdir()
                if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").is_file()}
    assert children - named == set(), "schema modules with no layer in pyproject.toml"


STRAWBERRY_INTERNALS = ("strawberry.schema.schema_converter",)  # how it builds graphql-core's types
BACKREFS = ("DEFINITION_BACKREF", "strawberry-definition")  # its key in graphql-core's extensions


def test_nothing_reaches_into_strawberrys_internals() -> None:
    """The schema uses Strawberry through what it offers (types, the view and its seams, extensions,
    the validation rules it adds), never through how it builds graphql-core's schema: the submission
    shortcut once read Strawberry's types back out of graphql-core's by DEFINITION_BACKREF."""
    found = []
    for path in sorted((ROOT / "schema").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            module = node.module if isinstance(node, ast.ImportFrom) else None
            names = [a.name for a in node.names] if isinstance(node, ast.Import | ast.ImportFrom) else []
            modules = [module] if module else names if isinstance(node, ast.Import) else []
            if any(m.startswith(STRAWBERRY_INTERNALS) or (m.startswith("strawberry") and "._" in m) for m in modules):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            elif module and module.startswith("strawberry") and any(n.startswith("_") for n in names):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            elif isinstance(node, ast.Attribute | ast.Constant) and \
                    (node.attr if isinstance(node, ast.Attribute) else node.value) in BACKREFS:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, found
