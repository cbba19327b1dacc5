"""Where the tests find files: the project, the shared real data beside it, and the fixtures."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED_DATA = ROOT.parent / "shared" / "data"
FIXTURES = ROOT / "tests" / "fixtures"
LEVELS_FYI_SAMPLE = FIXTURES / "levels_fyi_sample.csv"
