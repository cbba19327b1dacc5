"""`careergraph import onet DIR`: the O*NET text database (tab-separated, one header row).

Each occupation becomes a role keyed by its O*NET-SOC code; its alternate and reported titles
become aliases, its tasks `tasks`, its job zone, related occupations and technology skills are
linked. Technology examples are matched to existing skills through their names and aliases
(so "Oracle Java" links to the curated Java), and become new skills otherwise.

Curated roles that name an O*NET code are enriched, not duplicated: they gain the job zone and
a link to each occupation they name, and their skill links take the skills' hot / in-demand
flags. Files are streamed row by row; what is held in memory grows with the number of
occupations (about a thousand), not with the rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from pymongo import UpdateOne
from pymongo.asynchronous.database import AsyncDatabase

from service import jobs
from service.catalog.model import Role, RoleSkill, Skill
from service.ingest.onet_files import COLUMNS, OnetDirectoryError, OnetFiles, find_files
from service.ingest.onet_vocabulary import category_for, family_for
from service.ingest.report import ImportReport
from service.ingest.seed import skill_flags
from service.ingest.tab_separated import MissingColumns, read_rows
from service.platform.resources import Resources
from service.store import database as c
from service.text import search_key, slugify


@dataclass
class Occupation:
    code: str
    title: str
    description: str
    aliases: dict[str, str] = field(default_factory=dict)  # search key -> alias
    tasks: list[str] = field(default_factory=list)
    job_zone: int | None = None
    related: list[tuple[str, str, int | None]] = field(default_factory=list)
    technology: dict[str, list[bool]] = field(default_factory=dict)  # skill slug -> [hot, in_demand]


class OnetImport:
    def __init__(self, db: AsyncDatabase[dict[str, Any]], files: OnetFiles) -> None:
        self.db, self.files, self.directory = db, files, files.directory
        self.report = ImportReport(kind=f"O*NET {files.directory.name}")
        self.occupations: dict[str, Occupation] = {}
        self.skill_keys: dict[str, str] = {}  # search key -> skill slug
        self.skill_slugs: set[str] = set()  # the values of skill_keys, for membership tests
        self.new_skills: dict[str, Skill] = {}
        self.skill_hits: dict[str, list[bool]] = {}  # slug -> [hot, in_demand] over all rows
        self.commodities: dict[str, str] = {}
        self.source = files.source().slug

    def _rows(self, kind: str) -> Iterator[tuple[int, str, Occupation | None, dict[str, str]]]:
        path = self.files.path(kind)
        if path is None:  # an optional file this release does not have
            return
        for number, row in read_rows(path, COLUMNS[kind], self.report):
            code = row["O*NET-SOC Code"]
            occupation = self.occupations.get(code)
            if occupation is None:
                self.report.reject(path.name, number, f"unknown O*NET-SOC code {code!r}")
                continue
            yield number, path.name, occupation, row

    def read_occupations(self) -> None:
        path = self.files.path("occupations")
        assert path is not None  # required: find_files checked
        for number, row in read_rows(path, COLUMNS["occupations"], self.report):
            code, title = row["O*NET-SOC Code"], row["Title"]
            if not (len(code) == 10 and code[2] == "-" and code[7] == "."):
                self.report.reject(path.name, number, f"malformed O*NET-SOC code {code!r}")
                continue
            if not title:
                self.report.reject(path.name, number, "empty title")
                continue
            self.occupations[code] = Occupation(code, title, row["Description"])
            self.report.imported += 1

    def read_details(self) -> None:
        for kind, column in (("alternate", "Alternate Title"), ("reported", "Reported Job Title")):
            for _, _, occ, row in self._rows(kind):
                assert occ is not None
                occ.aliases.setdefault(search_key(row[column]), row[column])
                self.report.imported += 1
        for number, name, occ, row in self._rows("zones"):
            assert occ is not None
            if row["Job Zone"] not in ("1", "2", "3", "4", "5"):
                self.report.reject(name, number, f"job zone must be 1-5, got {row['Job Zone']!r}")
                continue
            occ.job_zone = int(row["Job Zone"])
            self.report.imported += 1
        for _, _, occ, row in self._rows("tasks"):
            assert occ is not None
            occ.tasks.append(row["Task"])
            self.report.imported += 1
        for number, name, occ, row in self._rows("related"):
            assert occ is not None
            if row["Related O*NET-SOC Code"] not in self.occupations:
                self.report.reject(name, number, f"unknown related code {row['Related O*NET-SOC Code']!r}")
                continue
            index = int(row["Index"]) if row["Index"].isdigit() else None
            occ.related.append((row["Related O*NET-SOC Code"], row["Relatedness Tier"], index))
            self.report.imported += 1

    def read_technology(self) -> None:
        for number, name, occ, row in self._rows("technology"):
            assert occ is not None
            example = row["Example"]
            if not example:
                self.report.reject(name, number, "empty technology example")
                continue
            flags = [row["Hot Technology"] == "Y", row["In Demand"] == "Y"]
            slug = self._skill_for(example, row["Commodity Title"])
            link = occ.technology.setdefault(slug, [False, False])
            hits = self.skill_hits.setdefault(slug, [False, False])
            for i in (0, 1):
                link[i] = link[i] or flags[i]
                hits[i] = hits[i] or flags[i]
            self.commodities.setdefault(slug, row["Commodity Title"])
            self.report.imported += 1

    def _skill_for(self, example: str, commodity: str) -> str:
        key = search_key(example)
        slug = self.skill_keys.get(key)
        if slug is None:
            slug = slugify(example)
            while slug in self.new_skills and search_key(self.new_skills[slug].name) != key:
                slug = f"{slug}-x"
            if slug not in self.new_skills and slug not in self.skill_slugs:
                self.new_skills[slug] = Skill(slug=slug, name=example, category=category_for(commodity),
                                              origin="onet")
            self.skill_keys[key] = slug
            self.skill_slugs.add(slug)
        return slug

    async def load_existing_skills(self) -> None:
        async for doc in self.db[c.SKILLS].find({}, {"slug": 1, "search_keys": 1}):
            for key in doc.get("search_keys", []):
                self.skill_slugs.add(self.skill_keys.setdefault(key, doc["slug"]))

    async def role_slugs(self) -> dict[str, str]:
        """O*NET code -> role slug, stable across runs and clear of curated slugs."""
        taken = {doc["slug"] async for doc in self.db[c.ROLES].find({"origin": {"$ne": "onet"}}, {"slug": 1})}
        existing = {doc["onet_codes"][0]: doc["slug"]
                    async for doc in self.db[c.ROLES].find({"origin": "onet"}, {"slug": 1, "onet_codes": 1})}
        slugs = {}
        for code, occ in self.occupations.items():
            slug = existing.get(code) or slugify(occ.title)
            if slug in taken:
                slug = f"{slug}-{code.replace('.', '-')}"
            taken.add(slug)
            slugs[code] = slug
        return slugs

    def role_document(self, occ: Occupation, slugs: dict[str, str]) -> dict[str, Any]:
        aliases = tuple(alias for key, alias in occ.aliases.items() if key != search_key(occ.title))
        skills = tuple(RoleSkill(skill=slug, importance="recommended" if flags[1] else "optional",
                                 hot=flags[0], in_demand=flags[1], origin="onet")
                       for slug, flags in occ.technology.items())
        role = Role(slug=slugs[occ.code], title=occ.title, family=family_for(occ.code),
                    summary=occ.description, aliases=aliases, tasks=tuple(occ.tasks),
                    onet_codes=(occ.code,), job_zone=occ.job_zone, skills=skills,
                    sources=(self.source,), origin="onet")
        doc = role.to_document()
        doc["related"] = [{"role": slugs[code], "tier": tier, "index": index}
                          for code, tier, index in occ.related]
        return doc

    async def write(self) -> None:
        slugs = await self.role_slugs()
        # One operation per skill: a new one is inserted with its flags, a known one gets the flags.
        skill_ops = []
        for slug in {**self.new_skills, **self.skill_hits}:
            hits = self.skill_hits.get(slug)
            update: dict[str, Any] = {}
            if hits is not None:
                update["$set"] = {"hot": hits[0], "in_demand": hits[1], "commodity": self.commodities.get(slug)}
            if slug in self.new_skills:
                update["$setOnInsert"] = _without(self.new_skills[slug].to_document(), "hot", "in_demand",
                                                  "commodity")
            skill_ops.append(UpdateOne({"slug": slug}, update, upsert=slug in self.new_skills))
        result = await self.db[c.SKILLS].bulk_write(skill_ops, ordered=False) if skill_ops else None
        if result is not None:
            self.report.notes.append(f"  skills: {result.upserted_count} added, "
                                     f"{result.modified_count} updated")
        role_ops = [UpdateOne({"slug": slugs[code]}, {"$set": self.role_document(occ, slugs)}, upsert=True)
                    for code, occ in self.occupations.items()]
        added = updated = 0
        if role_ops:  # one call: the driver splits it into messages of the server's maximum size
            written = await self.db[c.ROLES].bulk_write(role_ops, ordered=False)
            added, updated = written.upserted_count, written.modified_count
        self.report.notes.append(f"  roles: {added} added, {updated} updated")
        self.report.touched_roles.update(slugs.values())
        enriched = await self.enrich_curated_roles(slugs)
        self.report.notes.append(f"  curated roles enriched: {enriched}")

    async def enrich_curated_roles(self, slugs: dict[str, str]) -> int:
        flags = await skill_flags(self.db)
        operations = []
        curated = {"origin": {"$ne": "onet"}, "onet_codes.0": {"$exists": True}}
        async for doc in self.db[c.ROLES].find(curated):
            codes = [code for code in doc["onet_codes"] if code in self.occupations]
            zones = [self.occupations[code].job_zone for code in codes if self.occupations[code].job_zone]
            links = [{**link, "hot": flags.get(link["skill"], (False, False))[0],
                      "in_demand": flags.get(link["skill"], (False, False))[1]}
                     for link in doc.get("skills", [])]
            operations.append(UpdateOne({"_id": doc["_id"]}, {"$set": {
                "job_zone": zones[0] if zones else None, "skills": links,
                "occupations": [{"code": code, "role": slugs[code]} for code in codes],
            }}))
            self.report.touched_roles.add(doc["slug"])
        if operations:
            await self.db[c.ROLES].bulk_write(operations, ordered=False)
        return len(operations)


def _without(doc: dict[str, Any], *names: str) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k not in names}


async def import_onet(resources: Resources, directory: Path) -> ImportReport:
    """Read the whole directory, then write, then queue a full recompute (every role's demand
    depends on the skills O*NET flags). Reading fails fast on a directory that is not O*NET."""
    db = resources.db
    files = find_files(directory)
    await c.ensure_collections(db)
    started = datetime.now(UTC)
    job = OnetImport(db, files)
    job.report.notes.extend(files.notes())
    await job.load_existing_skills()
    try:
        job.read_occupations()
        job.read_details()
        job.read_technology()
    except MissingColumns as exc:
        raise OnetDirectoryError(str(exc)) from exc
    source = files.source()
    job.source = source.slug
    await db[c.SOURCES].update_one({"slug": source.slug}, {"$set": {
        **source.to_document(), "retrieved": date.today().isoformat()}}, upsert=True)
    await job.write()
    await db[c.IMPORT_RUNS].insert_one({**job.report.to_document(), "touched_roles": [],
                                        "file": str(directory.name), "started_at": started,
                                        "finished_at": datetime.now(UTC)})
    await jobs.announce_catalog_change(resources.redis)
    return job.report
