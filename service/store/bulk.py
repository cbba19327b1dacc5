"""Bulk writes of documents an importer believes new.

An upsert costs MongoDB a lookup and an update plan per document, a plain insert a fraction of
that; an importer that knows which of its documents the database did not hold when it began can
insert those. Another writer may store one of them meanwhile: the unique index refuses the insert,
and that document is written as the upsert it stands for (its fields `$set` on the document with
the same key), so the outcome is the upsert's whatever the timing.
"""

from __future__ import annotations

from typing import Any

from pymongo import UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import BulkWriteError

from service.store.database import DUPLICATE_KEY


async def insert_new(collection: AsyncCollection[dict[str, Any]], documents: list[dict[str, Any]],
                     key: str) -> int:
    """Insert `documents` (unordered, one call that the driver splits into messages); those whose
    `key` another writer stored first are upserted instead. Returns how many were added."""
    if not documents:
        return 0
    try:
        await collection.insert_many(documents, ordered=False)
        return len(documents)
    except BulkWriteError as exc:
        errors = exc.details.get("writeErrors", [])
        if exc.details.get("writeConcernErrors") or any(e.get("code") != DUPLICATE_KEY for e in errors):
            raise
        taken = [e["index"] for e in errors]
    refused = [{k: v for k, v in documents[i].items() if k != "_id"} for i in taken]  # not the _id it was given
    written = await collection.bulk_write(
        [UpdateOne({key: doc[key]}, {"$set": doc}, upsert=True) for doc in refused], ordered=False)
    return len(documents) - len(taken) + written.upserted_count
