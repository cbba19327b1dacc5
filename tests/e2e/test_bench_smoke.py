"""`careergraph bench --smoke` end to end: real servers and processes, every scenario, results
written. It asserts that each measure was taken and reported, never a timing: a MISS is allowed.
`--smoke` takes every measure of `--quick` once, at the smallest sizes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories.paths import SHARED_DATA

pytestmark = pytest.mark.e2e
EXPECTED = {
    "1 cached read": 7, "2 cached vs live": 2, "3 full recompute": 3, "4 freshness": 1, "5 imports": 2,
    "6 memory": 2, "7 reads under writes": 2, "8 API processes": 1, "9 privacy": 6,
}


@pytest.mark.timeout(600)
def test_bench_measures_every_scenario_and_writes_its_results(tmp_path: Path, memory_path: Path) -> None:
    data = SHARED_DATA
    # Without ../shared/data the import scenario reports one SKIP instead of its two measures, and the
    # privacy scenario one instead of its four on levels.fyi.
    expected = EXPECTED if data.is_dir() else {**EXPECTED, "5 imports": 1, "9 privacy": 3}
    env = {k: v for k, v in os.environ.items() if k not in ("MONGODB_URL", "REDIS_URL")}
    env["CAREERGRAPH_DATA_DIR"] = str(tmp_path / "state")
    env["TMPDIR"] = str(memory_path)  # the bench's own servers keep their files there
    # a budget of its own: about a minute on a quiet machine, several beside the rest of the suite
    done = subprocess.run(
        [sys.executable, "-m", "service", "bench", "--smoke", "--out", str(tmp_path / "out"), "--data", str(data)],
        capture_output=True, text=True, timeout=540, env=env)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (result_file,) = (tmp_path / "out").glob("bench-*.json")
    result = json.loads(result_file.read_text())
    found: dict[str, int] = {}
    for outcome in result["outcomes"]:
        found[outcome["scenario"]] = found.get(outcome["scenario"], 0) + 1
        if outcome["status"] == "SKIP":
            assert "skipped" in outcome["detail"] and not data.is_dir()
            continue
        if outcome["value"] is None:  # its subject failed or was too slow: a MISS that says why
            assert outcome["status"] == "MISS" and outcome["reason"], outcome
            continue
        assert outcome["status"] in ("PASS", "MISS", "INFO"), outcome
        # an error in % may be none at all (levels.fyi's rows are published as they are)
        assert outcome["value"] > 0 or (outcome["unit"] == "%" and outcome["value"] == 0), outcome
    assert found == expected
    worker = next(o for o in result["outcomes"] if o["measure"].startswith("worker peak RSS"))
    # every role's summary is in Redis once a full recompute published it
    assert worker["figures"]["summary documents"] > 0 and worker["figures"]["Redis MB per summary version"] > 0
    assert result["meta"]["machine"]["cores"] and "MongoDB" in result["meta"]["servers"]
    table = next((tmp_path / "out").glob("bench-*.md")).read_text()
    assert table.count("\n| ") == sum(expected.values()) + 1  # header and one row per measure
    assert "PASS" in done.stdout or "MISS" in done.stdout
    assert "Traceback" not in done.stderr
