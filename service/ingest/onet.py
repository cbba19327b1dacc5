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

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from pymongo import UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
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
from service.store.bulk import insert_new
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


ROLE_CHUNK = 100  # role documents written in one call while the next are built


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
        self.known_codes: set[str] = set()  # occupations the database held as roles when the import began

    def _rows(self, kind: str) -> Iterator[tuple[int, str, Occupation, tuple[str, ...]]]:
        """(line, file name, occupation, the kind's columns after the code) for each row whose code
        is a known occupation; the others are reported."""
        path = self.files.path(kind)
        if path is None:  # an optional file this release does not have
            return
        name = path.name
        for number, (code, *values) in read_rows(path, COLUMNS[kind], self.report):
            occupation = self.occupations.get(code)
            if occupation is None:
                self.report.reject(name, number, f"unknown O*NET-SOC code {code!r}")
                continue
            yield number, name, occupation, tuple(values)

    def check_headers(self) -> None:
        """MissingColumns (or a decoding error) now for any file that would raise it when read."""
        for kind, path in self.files.paths.items():
            next(read_rows(path, COLUMNS[kind], ImportReport(kind="header check")), None)

    def read_occupations(self) -> None:
        path = self.files.path("occupations")
        assert path is not None  # required: find_files checked
        for number, (code, title, description) in read_rows(path, COLUMNS["occupations"], self.report):
            if not (len(code) == 10 and code[2] == "-" and code[7] == "."):
                self.report.reject(path.name, number, f"malformed O*NET-SOC code {code!r}")
                continue
            if not title:
                self.report.reject(path.name, number, "empty title")
                continue
            self.occupations[code] = Occupation(code, title, description)
            self.report.imported += 1

    def read_details(self) -> None:
        for kind in ("alternate", "reported"):
            for _, _, occ, (title,) in self._rows(kind):
                occ.aliases.setdefault(search_key(title), title)
                self.report.imported += 1
        for number, name, occ, (zone,) in self._rows("zones"):
            if zone not in ("1", "2", "3", "4", "5"):
                self.report.reject(name, number, f"job zone must be 1-5, got {zone!r}")
                continue
            occ.job_zone = int(zone)
            self.report.imported += 1
        for _, _, occ, (task,) in self._rows("tasks"):
            occ.tasks.append(task)
            self.report.imported += 1
        for number, name, occ, (related, tier, index) in self._rows("related"):
            if related not in self.occupations:
                self.report.reject(name, number, f"unknown related code {related!r}")
                continue
            occ.related.append((related, tier, int(index) if index.isdigit() else None))
            self.report.imported += 1

    def read_technology(self) -> None:
        for number, name, occ, (example, commodity, hot, in_demand) in self._rows("technology"):
            if not example:
                self.report.reject(name, number, "empty technology example")
                continue
            flags = [hot == "Y", in_demand == "Y"]
            slug = self._skill_for(example, commodity)
            link = occ.technology.setdefault(slug, [False, False])
            hits = self.skill_hits.setdefault(slug, [False, False])
            for i in (0, 1):
                link[i] = link[i] or flags[i]
                hits[i] = hits[i] or flags[i]
            self.commodities.setdefault(slug, commodity)
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
        self.known_codes = set(existing)
        slugs = {}
        for code, occ in self.occupations.items():
            slug = existing.get(code) or slugify(occ.title)
            if slug in taken:
                slug = f"{slug}-{code.replace('.', '-')}"
            taken.add(slug)
            slugs[code] = slug
        return slugs

    def role_document(self, occ: Occupation, slugs: dict[str, str]) -> dict[str, Any]:
        title_key = search_key(occ.title)
        alias_keys = [key for key in occ.aliases if key != title_key]
        aliases = tuple(occ.aliases[key] for key in alias_keys)
        skills = tuple(RoleSkill(skill=slug, importance="recommended" if flags[1] else "optional",
                                 hot=flags[0], in_demand=flags[1], origin="onet")
                       for slug, flags in occ.technology.items())
        role = Role(slug=slugs[occ.code], title=occ.title, family=family_for(occ.code),
                    summary=occ.description, aliases=aliases, tasks=tuple(occ.tasks),
                    onet_codes=(occ.code,), job_zone=occ.job_zone, skills=skills,
                    sources=(self.source,), origin="onet")
        doc = role.to_document(alias_keys)
        doc["related"] = [{"role": slugs[code], "tier": tier, "index": index}
                          for code, tier, index in occ.related]
        return doc

    def skill_documents(self) -> tuple[list[dict[str, Any]], list[UpdateOne]]:
        """New skills as documents to insert (with their flags); known ones as flag updates."""
        new_skills, skill_updates = [], []
        for slug in {**self.new_skills, **self.skill_hits}:
            hits = self.skill_hits.get(slug)
            flags = {} if hits is None else {"hot": hits[0], "in_demand": hits[1],
                                             "commodity": self.commodities.get(slug)}
            if slug in self.new_skills:
                new_skills.append({**self.new_skills[slug].to_document(), **flags})
            elif flags:
                skill_updates.append(UpdateOne({"slug": slug}, {"$set": flags}))
        return new_skills, skill_updates

    async def write_skills(self, new_skills: list[dict[str, Any]], updates: list[UpdateOne]) -> None:
        added = await insert_new(self.db[c.SKILLS], new_skills, "slug")
        updated = await _updated(self.db[c.SKILLS], updates)
        self.report.notes.append(f"  skills: {added} added, {updated} updated")

    async def write_roles(self) -> None:
        """Role documents are built in a thread, a chunk at a time, and each chunk is written while
        the next is built. Occupations the database held as roles get `$set`, the others are inserted."""
        slugs = await self.role_slugs()
        loop = asyncio.get_running_loop()
        chunks: asyncio.Queue[list[tuple[str, dict[str, Any]]] | None] = asyncio.Queue()

        def build() -> None:
            try:
                chunk: list[tuple[str, dict[str, Any]]] = []
                for code, occ in self.occupations.items():
                    chunk.append((code, self.role_document(occ, slugs)))
                    if len(chunk) == ROLE_CHUNK:
                        loop.call_soon_threadsafe(chunks.put_nowait, chunk)
                        chunk = []
                loop.call_soon_threadsafe(chunks.put_nowait, chunk)
            finally:
                loop.call_soon_threadsafe(chunks.put_nowait, None)

        builder = asyncio.ensure_future(asyncio.to_thread(build))
        added = updated = 0
        while (chunk := await chunks.get()) is not None:
            added += await insert_new(self.db[c.ROLES], [doc for code, doc in chunk if code not in self.known_codes],
                                      "slug")
            updated += await _updated(self.db[c.ROLES], [UpdateOne({"slug": doc["slug"]}, {"$set": doc})
                                                         for code, doc in chunk if code in self.known_codes])
        await builder  # its exception, if it raised one
        self.report.notes.append(f"  roles: {added} added, {updated} updated")
        self.report.touched_roles.update(slugs.values())
        enriched = await self.enrich_curated_roles(slugs)
        self.report.notes.append(f"  curated roles enriched: {enriched}")

    async def enrich_curated_roles(self, slugs: dict[str, str]) -> int:
        curated = {"origin": {"$ne": "onet"}, "onet_codes.0": {"$exists": True}}
        if await self.db[c.ROLES].find_one(curated, {"_id": 1}) is None:
            return 0  # nothing to enrich: the skills' flags need not be read
        flags = await skill_flags(self.db)
        operations = []
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


async def _updated(collection: AsyncCollection[dict[str, Any]], operations: list[UpdateOne]) -> int:
    if not operations:  # one call: the driver splits it into messages of the server's maximum size
        return 0
    return (await collection.bulk_write(operations, ordered=False)).modified_count


async def import_onet(resources: Resources, directory: Path) -> ImportReport:
    """Read, write, then queue a full recompute (every role's demand depends on the skills O*NET
    flags). Every file's header is checked before anything is written, so a directory that is not
    O*NET fails before it changes the database. The skills are written while the occupations'
    details are read (in a thread), and each chunk of roles while the next is built."""
    db = resources.db
    files = find_files(directory)
    await c.ensure_collections(db)
    started = datetime.now(UTC)
    job = OnetImport(db, files)
    job.report.notes.extend(files.notes())
    await job.load_existing_skills()
    try:
        job.check_headers()
        job.read_occupations()
        job.read_technology()
    except MissingColumns as exc:
        raise OnetDirectoryError(str(exc)) from exc
    source = files.source()
    await db[c.SOURCES].update_one({"slug": source.slug}, {"$set": {
        **source.to_document(), "retrieved": date.today().isoformat()}}, upsert=True)
    skills = asyncio.ensure_future(job.write_skills(*job.skill_documents()))
    try:
        await asyncio.to_thread(job.read_details)
    finally:
        await skills
    await job.write_roles()
    await db[c.IMPORT_RUNS].insert_one({**job.report.to_document(), "touched_roles": [],
                                        "file": str(directory.name), "started_at": started,
                                        "finished_at": datetime.now(UTC)})
    await jobs.announce_catalog_change(resources.redis)
    return job.report
