"""The salary importer on small files in the real formats, with every kind of bad row."""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from service.ingest import salaries, salary_parsing
from service.ingest.legacy_identity import legacy_key
from service.ingest.salaries import LEVELS_FYI, MapFileError, import_salaries, load_format
from service.platform.resources import Resources
from service.store import database as c
from service.summaries.recompute import recompute
from tests.factories.paths import LEVELS_FYI_SAMPLE as SAMPLE


def parsing_children() -> list[int]:
    """Processes of this one still parsing a salary file."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes()
            ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if ppid == os.getpid() and b"service.ingest.salary_parsing" in cmdline:
            found.append(int(proc.name))
    return found


@pytest.mark.parametrize("in_a_process", [False, True], ids=["parsed-here", "parsed-in-a-process"])
async def test_levels_fyi_sample_is_reported_row_by_row(resources: Resources, in_a_process: bool) -> None:
    report = await import_salaries(resources, SAMPLE, LEVELS_FYI, parse_in_process=in_a_process)
    assert (report.records_read, report.imported, report.duplicates, report.rejected_count) == (13, 4, 1, 8)
    assert report.accounted
    reasons = {r.line: r.reason for r in report.rejections}
    assert set(reasons) == {5, 6, 7, 8, 9, 10, 11, 13}
    assert "not a number" in reasons[5]
    assert "greater than 0" in reasons[6]
    assert "implausibly large" in reasons[7]
    assert "unknown country" in reasons[8]
    assert "broken quoting" in reasons[9]
    assert "expected 9 columns, found 6" in reasons[10]
    assert "0-60" in reasons[11]
    assert "invalid UTF-8" in reasons[13]


async def test_rows_become_observations_with_role_place_and_band(resources: Resources) -> None:
    await import_salaries(resources, SAMPLE, LEVELS_FYI)
    found = {d["company"]: d async for d in resources.db[c.SALARY_OBSERVATIONS].find({})}
    assert set(found) == {"Acme", "Beta", "Theta", "Kappa"}
    acme = found["Acme"]
    assert (acme["role"], acme["country"], acme["region"], acme["city"]) == (
        "backend-developer", "US", "WA", "Seattle")
    assert (acme["amount"], acme["currency"], acme["experience_band"]) == (150000, "USD", "mid")
    assert (found["Beta"]["role"], found["Beta"]["country"], found["Beta"]["experience_band"]) == (
        "full-stack-developer", "IN", "early")
    assert (found["Theta"]["role"], found["Theta"]["country"]) == ("data-scientist", "KR")
    kappa = found["Kappa"]
    assert (kappa["role"], kappa["raw_title"], kappa["country"], kappa["experience_band"]) == (
        "other-roles", "Product Designer", "GB", "experienced")
    assert all(d["source"] == "levels-fyi-export" for d in found.values())
    assert await resources.db[c.SOURCES].count_documents({"slug": "levels-fyi-export"}) == 1
    roles = {d["slug"] async for d in resources.db[c.ROLES].find({}, {"slug": 1})}
    assert {"backend-developer", "other-roles", "data-scientist"} <= roles


async def test_importing_twice_adds_nothing(resources: Resources) -> None:
    await import_salaries(resources, SAMPLE, LEVELS_FYI)
    again = await import_salaries(resources, SAMPLE, LEVELS_FYI)
    assert (again.imported, again.duplicates, again.rejected_count) == (0, 5, 8)
    assert await resources.db[c.SALARY_OBSERVATIONS].count_documents({}) == 4


@pytest.mark.parametrize("in_a_process", [False, True], ids=["parsed-here", "parsed-in-a-process"])
async def test_an_interrupted_import_run_again_ends_exact(
        resources: Resources, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, in_a_process: bool) -> None:
    big = tmp_path / "big.csv"
    lines = ["company;title;totalyearlycompensation;location;yearsofexperience;yearsatcompany;tag;gender;Education"]
    lines += [f"C{i};Software Engineer;{100000 + i};Austin, TX;{i % 30};1;Full Stack;;" for i in range(95)]
    big.write_text("\n".join(lines) + "\n")
    monkeypatch.setattr(salary_parsing, "BATCH_SIZE", 20)
    real_write = salaries._write_batch
    calls = 0

    async def crash_on_third_batch(*args: object) -> object:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise KeyboardInterrupt("simulated interruption")
        return await real_write(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(salaries, "_write_batch", crash_on_third_batch)
    with pytest.raises(KeyboardInterrupt):
        await import_salaries(resources, big, LEVELS_FYI, parse_in_process=in_a_process)
    assert await resources.db[c.SALARY_OBSERVATIONS].count_documents({}) == 40
    assert parsing_children() == []  # the parsing process stopped with the import
    monkeypatch.setattr(salaries, "_write_batch", real_write)
    report = await import_salaries(resources, big, LEVELS_FYI, parse_in_process=in_a_process)
    assert (report.imported, report.duplicates) == (55, 40)
    amounts = sorted([d["amount"] async for d in resources.db[c.SALARY_OBSERVATIONS].find({})])
    assert amounts == [100000 + i for i in range(95)]


def _write_generic(tmp_path: Path) -> tuple[Path, Path]:
    data = tmp_path / "survey.csv"
    data.write_text(
        "job_title,pay,cur,nation,yoe,employer\n"
        "Backend Engineer,65000,EUR,Germany,3,Foo GmbH\n"
        "Platform Wizard,5200000,INR,IN,8,Bar Ltd\n"
        "Backend Engineer,70000,XYZ,Germany,3,Foo GmbH\n"
        "Backend Engineer,70000,EUR,Narnia,3,Foo GmbH\n"
        "Backend Engineer,12,EUR,DE,3,Foo GmbH\n"
    )
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({
        "columns": {"title": "job_title", "amount": "pay", "currency": "cur", "country": "nation",
                    "years_experience": "yoe", "company": "employer"},
        "source": {"slug": "example-survey-2025", "publisher": "Example Survey", "title": "Pay survey 2025"},
        "roles": [{"title": "wizard", "role": "devops-engineer"}],
    }))
    return data, mapping


async def test_generic_csv_with_a_column_map(resources: Resources, tmp_path: Path) -> None:
    data, mapping = _write_generic(tmp_path)
    report = await import_salaries(resources, data, load_format("csv", mapping))
    assert (report.imported, report.rejected_count) == (2, 3)
    assert sorted(r.reason.split(" ")[0] for r in report.rejections) == ["amount", "unknown", "unknown"]
    docs = {d["company"]: d async for d in resources.db[c.SALARY_OBSERVATIONS].find({})}
    assert (docs["Foo GmbH"]["role"], docs["Foo GmbH"]["country"], docs["Foo GmbH"]["currency"]) == (
        "backend-developer", "DE", "EUR")
    assert (docs["Bar Ltd"]["role"], docs["Bar Ltd"]["source"]) == ("devops-engineer", "example-survey-2025")


def test_a_bad_map_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(MapFileError, match="needs --map"):
        load_format("csv", None)
    bad = tmp_path / "bad.json"
    bad.write_text('{"columns": {"salary": "x"}}')
    with pytest.raises(MapFileError, match=r"unknown field\(s\) in columns: salary; valid fields: title"):
        load_format("csv", bad)
    bad.write_text('{"columns": {"title": "t", "amount": "a"}, "roles": [{"title": "(", "role": "x"}]}')
    with pytest.raises(MapFileError, match="bad pattern"):
        load_format("csv", bad)


@pytest.mark.parametrize("in_a_process", [False, True], ids=["parsed-here", "parsed-in-a-process"])
async def test_a_file_lacking_columns_is_refused_before_any_write(resources: Resources, tmp_path: Path,
                                                                  in_a_process: bool) -> None:
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("a;b;c\n1;2;3\n")
    with pytest.raises(MapFileError, match="header lacks column"):  # raised in the child, raised here
        await import_salaries(resources, wrong, LEVELS_FYI, parse_in_process=in_a_process)
    assert await resources.db[c.SALARY_OBSERVATIONS].count_documents({}) == 0


def test_map_file_keys_and_bands_are_checked(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"columns": {"title": "t", "amount": "a"}, "colums": {}}')
    with pytest.raises(MapFileError, match=r"unknown key\(s\) in the map file: colums; valid: columns"):
        load_format("csv", bad)
    bad.write_text('{"columns": {"title": "t", "amount": "a"}, "bands": {"L5": "principal"}}')
    with pytest.raises(MapFileError, match="unknown band"):
        load_format("csv", bad)
    good = tmp_path / "good.json"
    good.write_text('{"columns": {"title": "t", "amount": "a", "currency": "c", "country": "k", '
                    '"experience_level": "lvl"}, "bands": {"L5": "senior"}, "values": {"currency": '
                    '{"Euro": "EUR"}}, "missing": ["n/a"], "identity": "occurrence"}')
    fmt = load_format("csv", good)
    assert fmt.bands == {"L5": "senior"} and "n/a" in fmt.missing and fmt.values["currency"] == {"Euro": "EUR"}


async def test_observations_stored_under_old_identities_are_migrated_with_nothing_lost(
        resources: Resources, tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    header = "company;title;totalyearlycompensation;location;yearsofexperience;yearsatcompany;tag;gender;Education"
    people.write_text("\n".join([
        header,
        "Acme;Software Engineer;150000;Seattle, WA;5;2;API Development (Back-End);Male;PhD",
        "Acme;Software Engineer;150000;Seattle, WA;5;2;API Development (Back-End);Female;Master's Degree",
        "Beta;Software Engineer;98000;Austin, TX;3;1;Full Stack;Female;PhD",
    ]) + "\n")
    report = salaries.ImportReport("legacy")
    parsed = [p.observation for _, p in salaries.parse_rows(people, LEVELS_FYI, report)]
    # what the previous importer stored: one document for the two Acme people (mapped columns only)
    old = {legacy_key(o): o for o in parsed}
    assert len(old) == 2
    await c.ensure_collections(resources.db)
    long_ago = datetime(2025, 1, 1, tzinfo=UTC)
    await resources.db[c.SALARY_OBSERVATIONS].insert_many(
        [{**o.to_document(), "content_hash": key, "created_at": long_ago} for key, o in old.items()])
    roles = sorted({o.role for o in parsed})
    for role in roles:
        await recompute(resources, role)  # each leaves a roll-up, which edits in place make wrong
    migrated = await import_salaries(resources, people, LEVELS_FYI, migrate_legacy=True)
    assert (migrated.updated, migrated.imported, migrated.duplicates) == (2, 1, 0) and migrated.accounted
    assert await resources.db[c.SALARY_ROLLUPS].count_documents({"role": {"$in": roles}}) == 0
    docs = [d async for d in resources.db[c.SALARY_OBSERVATIONS].find({})]
    assert sorted(d["content_hash"] for d in docs) == sorted(o.key for o in parsed)  # three people, new keys
    assert sum(d["created_at"].replace(tzinfo=UTC) == long_ago for d in docs) == 2  # history kept
    again = await import_salaries(resources, people, LEVELS_FYI, migrate_legacy=True)
    assert (again.updated, again.imported, again.duplicates) == (0, 0, 3)


async def test_a_parsing_process_that_dies_is_a_clear_error(resources: Resources,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A child that ends without a word (killed, out of memory) fails the import with an OSError,
    which the command line prints as one line."""
    monkeypatch.setattr(salary_parsing.ParsingProcess, "command",
                        (sys.executable, "-c", "import sys; sys.stdin.buffer.read(); sys.exit(3)"))
    with pytest.raises(ChildProcessError, match="ended before the end of the file"):
        await import_salaries(resources, SAMPLE, LEVELS_FYI, parse_in_process=True)
    assert await resources.db[c.SALARY_OBSERVATIONS].count_documents({}) == 0
