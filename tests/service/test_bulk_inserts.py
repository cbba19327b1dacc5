"""Inserting what an importer believes new: a document another writer stored meanwhile is upserted."""

from __future__ import annotations

import pytest
from pymongo.errors import BulkWriteError

from service.catalog.model import Skill
from service.platform.resources import Resources
from service.store import database as c
from service.store.bulk import insert_new


async def test_documents_stored_meanwhile_are_upserted_and_the_rest_inserted(resources: Resources) -> None:
    await c.ensure_collections(resources.db)
    skills = resources.db[c.SKILLS]
    mine = [Skill(f"s{n}", f"Skill {n}", "tool", origin="onet").to_document() for n in range(6)]
    # another writer got there first with two of them, with other figures
    await skills.insert_many([{**mine[1], "hot": True, "name": "theirs"}, {**mine[4], "name": "theirs"}])
    for doc in mine:
        doc.pop("_id", None)
    assert await insert_new(skills, mine, "slug") == 4  # four inserted, two were there
    stored = {doc["slug"]: doc async for doc in skills.find({}, {"_id": 0})}
    assert sorted(stored) == [f"s{n}" for n in range(6)]
    assert stored["s1"]["name"] == "Skill 1" and stored["s1"]["hot"] is False  # the upsert's outcome
    assert await skills.count_documents({}) == 6


async def test_other_refusals_are_raised(resources: Resources) -> None:
    await c.ensure_collections(resources.db)
    broken = Skill("ok-slug", "Name", "tool").to_document()
    broken["category"] = "not-a-category"  # the validator refuses it
    with pytest.raises(BulkWriteError):
        await insert_new(resources.db[c.SKILLS], [broken], "slug")
