"""Reads of published figures, batched for the API's DataLoaders (one query per call)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from service.official.model import Outlook, SalaryBenchmark
from service.store import database as c

Db = AsyncDatabase[dict[str, Any]]


async def benchmarks_by_role(db: Db, roles: list[str]) -> list[list[SalaryBenchmark]]:
    grouped: dict[str, list[SalaryBenchmark]] = defaultdict(list)
    async for doc in db[c.SALARY_BENCHMARKS].find({"role": {"$in": roles}}).sort("key", 1):
        grouped[doc["role"]].append(SalaryBenchmark.from_document(doc))
    return [grouped.get(role, []) for role in roles]


async def outlooks_by_role(db: Db, roles: list[str]) -> list[list[Outlook]]:
    grouped: dict[str, list[Outlook]] = defaultdict(list)
    async for doc in db[c.OUTLOOKS].find({"subject": {"$in": roles}}).sort("key", 1):
        grouped[doc["subject"]].append(Outlook.from_document(doc))
    return [grouped.get(role, []) for role in roles]
