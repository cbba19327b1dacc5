"""The dependency direction of ../shared/ARCHITECTURE.md, checked by import-linter."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold() -> None:
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint_imports, "import-linter is part of the test extra"
    result = subprocess.run([lint_imports], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


def test_no_motor_anywhere() -> None:
    for package in ("service", "schema", "worker"):
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text()
            assert "import motor" not in text and "from motor" not in text, path
