"""`careergraph seed` and `careergraph import` as a user runs them."""

from __future__ import annotations

import csv
from pathlib import Path

import redis
from pymongo import MongoClient

from service.jobs import queued_job_key
from service.platform.config import Settings
from tests.e2e.processes import run_cli as run
from tests.factories.official_files import FlatCell, full_texts, write_ecb_csv, write_flat_files
from tests.factories.paths import FIXTURES


def test_seed_then_import_prints_reports_and_is_idempotent(settings: Settings) -> None:
    seeded = run(["seed"], settings)
    assert seeded.returncode == 0, seeded.stderr
    assert "roles: 16 added" in seeded.stdout
    imported = run(["import", "salaries", str(FIXTURES / "levels_fyi_sample.csv")], settings)
    assert imported.returncode == 0, imported.stderr
    assert "13 records read, 4 imported, 0 updated, 1 duplicates skipped, 8 rejected" in imported.stdout
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
    assert missing.returncode == 2 and "lacks O*NET file(s) for occupations" in missing.stderr
    assert "Traceback" not in missing.stderr
    no_map = run(["import", "salaries", "x.csv", "--format", "csv"], settings)
    assert no_map.returncode == 2 and "--map" in no_map.stderr


def test_official_imports_from_the_command_line(settings: Settings, tmp_path: Path) -> None:
    cells = [FlatCell("0000000", "N", "000000", "151252", full_texts(1_687_890, 135_980))]
    oews = run(["import", "oews", str(write_flat_files(tmp_path / "oe", cells))], settings)
    assert oews.returncode == 0, oews.stderr
    assert "1 records read, 1 imported" in oews.stdout and "bls-oews-2025a01" in oews.stdout
    rates = run(["import", "fx", str(write_ecb_csv(tmp_path / "eurofxref-hist.csv", {"USD": {2024: [1.08]}}))],
                settings)
    assert rates.returncode == 0 and "1 records read, 1 imported" in rates.stdout, rates.stderr
    garbage = tmp_path / "oews.sqlite"
    garbage.write_bytes(b"not a database at all" * 100)
    for args, message in ((["import", "oews", str(garbage)], "is not an OEWS database"),
                          (["import", "oews", str(tmp_path)], "lacks BLS OEWS file(s)"),
                          (["import", "fx", str(garbage)], "first column must be Date")):
        failed = run(args, settings)
        assert failed.returncode == 2 and message in failed.stderr, (args, failed.stderr)
        assert "Traceback" not in failed.stderr


def test_imports_report_rejects_exit_codes_list_and_undo(settings: Settings, tmp_path: Path) -> None:
    assert run(["seed"], settings).returncode == 0
    rejects = tmp_path / "rejects.csv"
    done = run(["import", "salaries", str(FIXTURES / "levels_fyi_sample.csv"), "--rejects", str(rejects),
                "--max-rejects", "100"], settings)
    assert done.returncode == 0, done.stderr
    lines = sorted(int(row["line"]) for row in csv.DictReader(rejects.open(encoding="utf-8")))
    assert lines == [5, 6, 7, 8, 9, 10, 11, 13]  # every rejected record, with its line
    strict = run(["import", "salaries", str(FIXTURES / "levels_fyi_sample.csv"), "--max-rejects", "3"], settings)
    assert strict.returncode == 3
    bad = tmp_path / "bad.csv"
    bad.write_text((FIXTURES / "levels_fyi_sample.csv").read_text(errors="replace").splitlines()[0] + "\nx;y;z;w;1;1;t;;\n")
    nothing = run(["import", "salaries", str(bad)], settings)
    assert nothing.returncode == 1 and "nothing usable" in nothing.stderr
    listed = run(["imports"], settings)
    assert listed.returncode == 0 and "levels_fyi_sample.csv" in listed.stdout and "bad.csv" in listed.stdout
    with MongoClient(settings.mongodb_url) as client:
        run_id = client[settings.mongodb_db]["import_runs"].find_one({"file": "levels_fyi_sample.csv",
                                                                      "imported": {"$gt": 0}})["run_id"]
    undone = run(["import", "undo", run_id], settings)
    assert undone.returncode == 0 and "4 observations removed" in undone.stdout
    with MongoClient(settings.mongodb_url) as client:
        assert client[settings.mongodb_db]["salary_observations"].count_documents({}) == 0
    assert "(undone)" in run(["imports"], settings).stdout


def test_persisted_queries_load_count_and_clear(settings: Settings, tmp_path: Path) -> None:
    import hashlib
    import json

    query = "{ serviceInfo { version } }"
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"format": "apollo-persisted-query-manifest", "version": 1, "operations": [
        {"id": hashlib.sha256(query.encode()).hexdigest(), "name": "Info", "type": "query", "body": query},
        {"id": "f" * 64, "name": "Wrong", "type": "query", "body": "{ __typename }"}]}))
    loaded = run(["persisted-queries", "load", str(manifest)], settings)
    assert loaded.returncode == 0, loaded.stderr
    assert "loaded 1 queries" in loaded.stdout and "rejected 1" in loaded.stdout
    assert "entry 2 (Wrong): the id is not the SHA-256" in loaded.stderr
    assert run(["persisted-queries", "count"], settings).stdout.strip() == "1"
    (tmp_path / "broken.json").write_text("{")
    broken = run(["persisted-queries", "load", str(tmp_path / "broken.json")], settings)
    assert broken.returncode == 2 and "cannot read it as JSON" in broken.stderr
    assert "removed 1" in run(["persisted-queries", "clear"], settings).stdout


def test_init_loads_an_empty_database_once(settings: Settings) -> None:
    first = run(["init"], settings)
    assert first.returncode == 0, first.stderr
    assert "empty database: loaded the curated seed dataset" in first.stdout
    roles = MongoClient(settings.mongodb_url)[settings.mongodb_db]["roles"].count_documents({})
    assert roles > 0
    again = run(["init"], settings)
    assert again.returncode == 0 and "empty database" not in again.stdout
    assert MongoClient(settings.mongodb_url)[settings.mongodb_db]["roles"].count_documents({}) == roles


def test_export_writes_the_file_and_a_manifest_that_matches_it(settings: Settings, tmp_path: Path) -> None:
    import hashlib
    import json

    assert run(["seed"], settings).returncode == 0
    out = tmp_path / "roles.csv"
    done = run(["export", "roles", "--format", "csv", "--out", str(out)], settings)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(out.open()))
    roles = MongoClient(settings.mongodb_url)[settings.mongodb_db]["roles"].count_documents({})
    assert len(rows) == roles and rows[0]["slug"]
    manifest = json.loads((tmp_path / "roles.csv.manifest.json").read_text())
    (entry,) = manifest["files"]
    assert entry["records"] == roles and entry["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    parquet = run(["export", "summaries", "--format", "parquet"], settings)
    assert parquet.returncode == 2 and "DuckDB" in parquet.stderr
    streamed = run(["export", "skills"], settings)
    assert streamed.returncode == 0 and all(json.loads(line)["slug"] for line in streamed.stdout.splitlines())


def test_json_output_for_scripts(settings: Settings) -> None:
    import json

    imported = run(["import", "salaries", str(FIXTURES / "levels_fyi_sample.csv"), "--json"], settings)
    report = json.loads(imported.stdout)
    assert (report["records_read"], report["imported"], report["duplicates"], report["rejected"]) == (13, 4, 1, 8)
    assert report["rejections"][0]["line"] > 1
    (listed,) = json.loads(run(["imports", "--json"], settings).stdout)
    assert listed["file"] == "levels_fyi_sample.csv" and listed["imported"] == 4
    runs = json.loads(run(["recompute", "--json"], settings).stdout)
    assert runs[0]["scope"] == "all" and runs[0]["outcome"] == "ok" and runs[0]["observations_read"] == 4
    state = json.loads(run(["status", "--json"], settings).stdout)
    assert state["mongodb"] == "ok" and state["redis"] == "ok"
    table = run(["imports"], settings).stdout
    assert "levels_fyi_sample.csv" in table and "imported" in table and "\x1b[" not in table
