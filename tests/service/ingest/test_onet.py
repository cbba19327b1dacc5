"""The O*NET importer on a small directory in the real format, and on the real database."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.ingest.onet import OnetDirectoryError, import_onet
from service.ingest.seed import load_seed
from service.platform.resources import Resources
from service.store import database as c
from service.text import search_keys

TAB = "\t"
FILES = {
    "Occupation Data.txt": [
        ["O*NET-SOC Code", "Title", "Description"],
        ["15-1252.00", "Software Developers", "Research, design, and develop software."],
        ["15-1254.00", "Web Developers", "Develop and design web applications."],
        ["bad-code", "Broken", "A malformed code."],
    ],
    "Alternate Titles.txt": [
        ["O*NET-SOC Code", "Alternate Title", "Short Title", "Source(s)"],
        ["15-1254.00", "Back End Developer", "n/a", "08"],
        ["15-1254.00", "Web Programmer", "n/a", "08"],
        ["99-9999.00", "Ghost", "n/a", "08"],
    ],
    "Sample of Reported Titles.txt": [
        ["O*NET-SOC Code", "Reported Job Title", "Shown in My Next Move"],
        ["15-1252.00", "Application Developer", "Y"],
        ["15-1252.00", "Too", "many", "columns", "here"],
    ],
    "Job Zones.txt": [
        ["O*NET-SOC Code", "Job Zone", "Date", "Domain Source"],
        ["15-1252.00", "4", "08/2023", "Analyst"],
        ["15-1254.00", "3", "08/2023", "Analyst"],
    ],
    "Task Statements.txt": [
        ["O*NET-SOC Code", "Task ID", "Task", "Task Type", "Incumbents Responding", "Date", "Domain Source"],
        ["15-1252.00", "1", "Analyze user needs.", "Core", "1", "08/2023", "Incumbent"],
    ],
    "Related Occupations.txt": [
        ["O*NET-SOC Code", "Related O*NET-SOC Code", "Relatedness Tier", "Index"],
        ["15-1252.00", "15-1254.00", "Primary-Short", "1"],
    ],
    "Technology Skills.txt": [
        ["O*NET-SOC Code", "Example", "Commodity Code", "Commodity Title", "Hot Technology", "In Demand"],
        ["15-1252.00", "Python", "43232403", "Development environment software", "Y", "Y"],
        ["15-1252.00", "MongoDB", "43232306", "Data base management system software", "Y", "N"],
        ["15-1252.00", "Oracle Java", "43232403", "Development environment software", "Y", "N"],
        ["15-1254.00", "Apache Kafka", "43232403", "Development environment software", "N", "N"],
        ["15-1254.00", "Apache Kafka", "43232403", "Development environment software", "Y", "Y"],
    ],
}


#: A later release's naming: other file names, columns in another order, a column more, and a
#: read-me naming release 30.0 (careergraph finds files by their header, not their name).
RENAMED_30 = {"Occupation Data.txt": "Occupations.txt", "Alternate Titles.txt": "Alternate_Titles.txt",
              "Sample of Reported Titles.txt": "Reported_Titles.txt", "Job Zones.txt": "Job_Zones.txt",
              "Task Statements.txt": "Tasks.txt", "Related Occupations.txt": "Related_Occupations.txt",
              "Technology Skills.txt": "Technology_Skills.txt"}


def write_release(directory: Path, release: str) -> dict[str, str]:
    """The fixture in one release's naming; returns {29.2 name: the name written}."""
    names = {}
    for name, rows in FILES.items():
        written = RENAMED_30[name] if release == "30.0" else name
        if release == "30.0":  # the first data column last, and an extra one
            rows = [[*r[:1], *r[2:], r[1], "x"] if len(r) > 2 else [*r, "x"] for r in rows]
            rows[0][-1] = "Added In 30.0"
        (directory / written).write_text("\n".join(TAB.join(r) for r in rows) + "\n", encoding="utf-8")
        names[name] = written
    (directory / "Read Me.txt").write_text(f"O*NET {release} Database\n", encoding="utf-8")
    return names


@pytest.fixture(params=["29.2", "30.0"])
def onet_release(tmp_path: Path, request: pytest.FixtureRequest) -> tuple[Path, dict[str, str]]:
    return tmp_path, write_release(tmp_path, request.param)


@pytest.fixture
def onet_dir(tmp_path: Path) -> Path:
    write_release(tmp_path, "29.2")
    return tmp_path


async def test_fixture_import_and_report(resources: Resources, onet_release: tuple[Path, dict[str, str]]) -> None:
    directory, names = onet_release
    await load_seed(resources.db)
    report = await import_onet(resources, directory)
    assert report.rejected_count == 3
    reasons = sorted((r.file, r.line) for r in report.rejections)
    assert reasons == sorted([(names["Alternate Titles.txt"], 4), (names["Occupation Data.txt"], 4),
                              (names["Sample of Reported Titles.txt"], 3)])
    used = "\n".join(report.notes)
    assert all(name in used for name in names.values()) and "O*NET" in used
    release = "30.0" if "Occupations.txt" in names.values() else "29.2"
    source = await resources.db[c.SOURCES].find_one({"slug": f"onet-{release.replace('.', '-')}"})
    assert source is not None and source["title"] == f"O*NET {release} Database"
    web = await resources.db[c.ROLES].find_one({"onet_codes": "15-1254.00", "origin": "onet"})
    assert web is not None and "Back End Developer" in web["aliases"] and web["job_zone"] == 3
    kafka = [s for s in web["skills"] if s["skill"] == "apache-kafka"]
    assert kafka == [{"skill": "apache-kafka", "importance": "recommended", "hot": True,
                      "in_demand": True, "origin": "onet"}]
    software = await resources.db[c.ROLES].find_one({"onet_codes": "15-1252.00", "origin": "onet"})
    assert software is not None
    links = {s["skill"]: (s["hot"], s["in_demand"]) for s in software["skills"]}
    assert links == {"python": (True, True), "mongodb": (True, False), "java": (True, False)}
    assert software["related"] == [{"role": web["slug"], "tier": "Primary-Short", "index": 1}]
    assert software["tasks"] == ["Analyze user needs."]
    assert await resources.db[c.SKILLS].count_documents({"slug": "java"}) == 1  # "Oracle Java" matched


async def test_curated_roles_are_enriched_not_duplicated(resources: Resources, onet_dir: Path) -> None:
    await load_seed(resources.db)
    await import_onet(resources, onet_dir)
    backend = await resources.db[c.ROLES].find_one({"slug": "backend-developer"})
    assert backend is not None and backend["job_zone"] == 3
    assert [o["code"] for o in backend["occupations"]] == ["15-1254.00", "15-1252.00"]
    python = next(s for s in backend["skills"] if s["skill"] == "python")
    assert (python["hot"], python["in_demand"], python["importance"]) == (True, True, "recommended")
    assert await resources.db[c.ROLES].count_documents({"title": "Backend Developer"}) == 1
    reseeded = await load_seed(resources.db)  # seeding again keeps the enrichment
    assert reseeded.counts["roles"].updated == 0
    again = await import_onet(resources, onet_dir)
    assert "roles: 0 added, 0 updated" in "\n".join(again.notes)


async def test_not_an_onet_directory(resources: Resources, tmp_path: Path) -> None:
    with pytest.raises(OnetDirectoryError, match=r"occupations \(columns O\*NET-SOC Code, Title, Description\)"):
        await import_onet(resources, tmp_path)


async def test_a_missing_required_file_is_named_and_a_missing_optional_one_reported(
        resources: Resources, onet_dir: Path) -> None:
    (onet_dir / "Technology Skills.txt").unlink()
    with pytest.raises(OnetDirectoryError, match=r"technology \(columns"):
        await import_onet(resources, onet_dir)
    write_release(onet_dir, "29.2")
    (onet_dir / "Task Statements.txt").unlink()
    report = await import_onet(resources, onet_dir)
    assert "optional files not found: tasks" in "\n".join(report.notes)


async def test_a_partial_catalogue_is_completed_and_every_role_keyed_by_all_its_names(
        resources: Resources, onet_dir: Path) -> None:
    first = await import_onet(resources, onet_dir)
    assert "roles: 2 added, 0 updated" in "\n".join(first.notes)
    web = await resources.db[c.ROLES].find_one({"onet_codes": "15-1254.00"})
    assert web is not None
    await resources.db[c.ROLES].delete_one({"_id": web["_id"]})  # as if this occupation were new
    await resources.db[c.ROLES].update_one({"onet_codes": "15-1252.00"}, {"$set": {"summary": "edited"}})
    again = await import_onet(resources, onet_dir)
    assert "roles: 1 added, 1 updated" in "\n".join(again.notes)  # inserted anew; the edit put back
    async for role in resources.db[c.ROLES].find({"origin": "onet"}):
        assert role["search_keys"] == search_keys(role["title"], *role["aliases"], role["slug"])
    assert (await resources.db[c.ROLES].find_one({"onet_codes": "15-1252.00"}) or {})["summary"] == \
        "Research, design, and develop software."


async def test_nothing_is_written_when_a_file_cannot_be_read(resources: Resources, onet_dir: Path) -> None:
    related = onet_dir / "Related Occupations.txt"
    related.write_bytes(b"O*NET-SOC Code\tRelated O*NET-SOC Code\tRelatedness Tier\tIndex\tNote\xff\n"
                        b"15-1252.00\t15-1254.00\tPrimary-Short\t1\tx\n")
    # found by its columns, but its header is not UTF-8: refused before anything is written
    with pytest.raises(OnetDirectoryError, match=r"Related Occupations\.txt: its header is not UTF-8"):
        await import_onet(resources, onet_dir)
    assert await resources.db[c.SKILLS].count_documents({}) == 0
    assert await resources.db[c.ROLES].count_documents({}) == 0
