"""A benchmark measure whose subject failed or was too slow is a MISS that says why, never a SKIP;
and a live answer's GraphQL error is read as a failure, with its code."""

from __future__ import annotations

import json

from service.tools.bench.report import Outcome, markdown
from service.tools.bench.scenarios import _live_failure


def test_a_measure_without_a_value_is_a_miss_when_it_says_why() -> None:
    failed = Outcome("2 cached vs live", "every role (global): live / cached median latency", None, "x",
                     ">= 3000", reason="the live request failed: TIMEOUT: took longer than 10 s")
    assert failed.status == "MISS"
    assert Outcome("5 imports", "files", None, "x", "<= 1.5", detail="skipped: no data").status == "SKIP"
    assert Outcome("2 cached vs live", "one role", 500.0, "x", ">= 300").status == "PASS"
    table = markdown([failed], {"mode": "full", "observations": 1, "started": "now", "machine": {
        "cpu": "c", "cores": 2, "memory": "m", "os": "o", "python": "3"}})
    assert "| MISS |" in table and "why: the live request failed: TIMEOUT" in table


def test_a_live_answer_with_errors_is_a_failure() -> None:
    timed_out = {"data": None, "errors": [{"message": "the operation took longer than 10 s and was stopped",
                                          "extensions": {"code": "TIMEOUT"}}]}
    assert _live_failure(json.dumps(timed_out).encode()).startswith("TIMEOUT: the operation took longer")
    assert _live_failure(json.dumps({"data": {"salarySummaries": []}}).encode()) == ""
    assert _live_failure(b"<html>").startswith("the answer is not JSON")
