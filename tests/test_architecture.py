"""The structure of ../shared/ARCHITECTURE.md, held true: import contracts, modules that import on
their own, and modules small enough to read."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
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
    assert int(kept.group(1)) >= 8  # layers, protected tools, acyclic schema, independent features...


def test_every_module_imports_on_its_own_in_a_fresh_interpreter() -> None:
    names = modules()
    assert len(names) > 80 and "schema.catalog.role" in names and "service.tools.cli" in names

    def load(name: str) -> tuple[str, int, str]:
        done = subprocess.run([sys.executable, "-c", f"import {name}"], cwd=ROOT, capture_output=True,
                              text=True, timeout=120, check=False, env={**os.environ, "PYTHONPATH": str(ROOT)})
        return name, done.returncode, done.stderr[-600:]

    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        failed = [(name, err) for name, code, err in pool.map(load, names) if code != 0]
    assert not failed, failed


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
