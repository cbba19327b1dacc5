"""Moving observations imported before careergraph kept whole records to today's identities.

Until this release an imported observation's identity hashed only the columns its format mapped,
so two people who differed only in another column (gender, education...) were stored once. To
move a database forward without losing anything, import the same file again with
`--migrate-identities`: each record's old identity (`legacy_key`) is looked up, and the first
record that has it takes the stored observation over under its new identity (keeping its
`created_at` and import batch); every other record is inserted as usual. Observations no record
claims are left as they are. Running it twice changes nothing more.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pymongo import DeleteOne, UpdateOne

from service.platform.resources import Resources
from service.salaries.model import SalaryObservation
from service.store import database as c
from service.summaries import rollups


def legacy_key(obs: SalaryObservation) -> str:
    """The identity the previous importer gave this record (mapped columns only)."""
    identity = [obs.source, obs.company or "", obs.raw_title, obs.tag or "", obs.amount, obs.currency,
                obs.country, obs.city, obs.region, obs.years_experience, obs.years_at_company,
                obs.base_amount, obs.year]
    return hashlib.sha256(json.dumps(identity).encode()).hexdigest()


async def migrate(resources: Resources, observations: list[SalaryObservation]) -> set[str]:
    """Re-key the stored observations these records had under their legacy identity; returns the
    new keys that took one over (those records need no insert)."""
    legacy = {legacy_key(o): o for o in reversed(observations)}  # the first record of a key wins
    found = resources.db[c.SALARY_OBSERVATIONS].find({"content_hash": {"$in": list(legacy)}},
                                                     {"content_hash": 1, "created_at": 1, "import_batch": 1,
                                                      "role": 1})
    stored = [doc async for doc in found]
    if not stored:
        return set()
    new_keys = [legacy[doc["content_hash"]].key for doc in stored]
    present = {d["content_hash"] async for d in resources.db[c.SALARY_OBSERVATIONS].find(
        {"content_hash": {"$in": new_keys}}, {"content_hash": 1})}
    operations: list[Any] = []
    taken = set()
    for doc in stored:
        obs = legacy[doc["content_hash"]]
        if obs.key in present:  # already stored under its new identity: the legacy copy is a double
            operations.append(DeleteOne({"_id": doc["_id"]}))
            continue
        fields = {**obs.to_document(), "created_at": doc["created_at"],
                  "import_batch": doc.get("import_batch")}
        operations.append(UpdateOne({"_id": doc["_id"]}, {"$set": fields}))
        taken.add(obs.key)
    if operations:
        await resources.db[c.SALARY_OBSERVATIONS].bulk_write(operations, ordered=False)
        # edits in place, which the roll-ups' counts cannot see: those roles are read whole next time
        touched = {doc.get("role") for doc in stored} | {legacy[doc["content_hash"]].role for doc in stored}
        await rollups.forget(resources.db, sorted(r for r in touched if r))
    return taken
