"""`careergraph seed` and `careergraph import` as a user runs them."""

from __future__ import annotations

from pathlib import Path

import redis
from pymongo import MongoClient

from service.jobs import queued_job_key
from service.platform.config import Settings
from tests.e2e.processes import run_cli as run
from tests.factories import FIXTURES


def test_seed_then_import_prints_reports_and_is_idempotent(settings: Settings) -> None:
    seeded = run(["seed"], settings)
    assert seeded.returncode == 0, seeded.stderr
    assert "roles: 16 added" in seeded.stdout
    imported = run(["import", "salaries", str(FIXTURES / "levels_fyi_sample.csv")], settings)
    assert imported.returncode == 0, imported.stderr
    assert "13 rows read, 4 imported, 0 updated, 1 duplicates skipped, 8 rejected" in imported.stdout
    assert "rejected levels_fyi_sample.csv:9: broken quoting" in imported.stdout
    queued = redis.Redis.from_url(settings.redis_url or "")
    jobs = {key.decode() for key in queued.keys(queued_job_key("*"))}
    assert {queued_job_key("backend-developer"), queued_job_key("other-roles")} <= jobs
    queued.close()
    again = run(["import", "salaries", str(FIXTURES / "levels_fyi_sample.csv")], settings)
    assert "0 imported" in again.stdout
    with MongoClient(settings.mongodb_url) as client:
        assert client[settings.mongodb_db].salary_observations.count_documents({}) == 4


def test_import_errors_are_one_line(settings: Settings, tmp_path: Path) -> None:
    missing = run(["import", "onet", str(tmp_path)], settings)
    assert missing.returncode == 2 and "Occupation Data.txt" in missing.stderr
    assert "Traceback" not in missing.stderr
    no_map = run(["import", "salaries", "x.csv", "--format", "csv"], settings)
    assert no_map.returncode == 2 and "--map" in no_map.stderr
