"""Group commit: concurrent inserts share round trips, and every caller still hears its own outcome."""

from __future__ import annotations

import asyncio
from typing import Any

import pymongo
from pymongo import WriteConcern, _csot
from pymongo.errors import PyMongoError, WriteConcernError, WriteError

from service.platform.resources import Resources, Slot, open_resources
from service.store import database as c
from service.store.group_commit import GroupCommit
from tests.factories.documents import observation


def documents(n: int, role: str = "backend-developer") -> list[dict[str, Any]]:
    return [observation(role, 50_000 + i).to_document() for i in range(n)]


async def stored_amounts(resources: Resources) -> list[float]:
    return sorted([doc["amount"] async for doc in resources.db[c.SALARY_OBSERVATIONS].find({}, {"amount": 1})])


async def test_concurrent_inserts_share_round_trips_and_all_are_stored(resources: Resources) -> None:
    await c.ensure_collections(resources.db)
    batches: list[list[float]] = []

    async def after(inserted: list[dict[str, Any]]) -> None:
        batches.append([doc["amount"] for doc in inserted])

    writer = GroupCommit(resources.db[c.SALARY_OBSERVATIONS], 10, after=after)
    sent = documents(60)
    assert await asyncio.gather(*(writer.insert(doc) for doc in sent)) == [True] * 60
    assert await stored_amounts(resources) == sorted(doc["amount"] for doc in sent)
    # the first leaves alone; the rest, handed in while it was on its way, leave together
    assert writer.batches == len(batches) <= 3
    assert sorted(a for batch in batches for a in batch) == sorted(doc["amount"] for doc in sent)


async def test_each_caller_hears_its_own_outcome(resources: Resources) -> None:
    await c.ensure_collections(resources.db)
    inserted: list[dict[str, Any]] = []

    async def after(batch: list[dict[str, Any]]) -> None:
        inserted.extend(batch)

    writer = GroupCommit(resources.db[c.SALARY_OBSERVATIONS], 10, after=after)
    first, second, already, broken = documents(4)
    assert await writer.insert(already)
    already = {k: v for k, v in already.items() if k != "_id"}  # the same observation, sent again
    broken.pop("currency")  # the collection's validator refuses it
    outcomes = await asyncio.gather(*(writer.insert(doc) for doc in (first, already, broken, second)),
                                    return_exceptions=True)
    assert outcomes[0] is True and outcomes[3] is True
    assert outcomes[1] is False  # its identity key is stored already
    assert isinstance(outcomes[2], WriteError) and outcomes[2].code == 121  # DocumentValidationFailure
    assert await stored_amounts(resources) == sorted(d["amount"] for d in (first, second, already))
    # `after` heard of what was inserted, and only that
    assert sorted(d["amount"] for d in inserted) == sorted(d["amount"] for d in (first, second, already))


async def test_a_batch_that_fails_whole_fails_every_caller_and_stores_nothing(resources: Resources) -> None:
    await c.ensure_collections(resources.db)
    calls: list[int] = []

    async def after(batch: list[dict[str, Any]]) -> None:
        calls.append(len(batch))

    writer = GroupCommit(resources.db[c.SALARY_OBSERVATIONS], 0.000_001, after=after)  # out of time at once
    outcomes = await asyncio.gather(*(writer.insert(doc) for doc in documents(5)), return_exceptions=True)
    assert all(isinstance(o, PyMongoError) for o in outcomes), outcomes
    assert await stored_amounts(resources) == [] and calls == []
    assert writer.retried_batches == 0  # out of time is no document's fault: not sent again one by one


async def test_a_document_that_fails_the_whole_batch_fails_only_its_caller(resources: Resources) -> None:
    await c.ensure_collections(resources.db)
    announced: list[float] = []

    async def after(batch: list[dict[str, Any]]) -> None:
        announced.extend(doc["amount"] for doc in batch)

    writer = GroupCommit(resources.db[c.SALARY_OBSERVATIONS], 10, after=after)
    good, unsendable, already, refused, *others = documents(8)
    assert await writer.insert(already)
    already = {k: v for k, v in already.items() if k != "_id"}
    unsendable["company"] = "\ud800"  # valid JSON, not UTF-8: the driver cannot encode the batch
    refused.pop("currency")
    sent = [good, unsendable, already, refused, *others]
    outcomes = await asyncio.gather(*(writer.insert(doc) for doc in sent), return_exceptions=True)
    assert isinstance(outcomes[1], UnicodeEncodeError)
    assert outcomes[2] is False  # stored already, as before
    assert isinstance(outcomes[3], WriteError) and outcomes[3].code == 121
    assert outcomes[0] is True and outcomes[4:] == [True] * len(others)
    stored = sorted(d["amount"] for d in (good, already, *others))
    assert await stored_amounts(resources) == stored
    assert sorted(announced) == stored  # `after` heard of each document stored, the retried ones too
    assert writer.batches == 2 and writer.retried_batches == 1  # they left together, failed, and were sent again


async def test_answers_come_after_the_batch_is_announced(resources: Resources) -> None:
    await c.ensure_collections(resources.db)
    announced: set[float] = set()

    async def after(batch: list[dict[str, Any]]) -> None:
        await asyncio.sleep(0.01)
        announced.update(doc["amount"] for doc in batch)

    writer = GroupCommit(resources.db[c.SALARY_OBSERVATIONS], 10, after=after)

    async def submit(doc: dict[str, Any]) -> bool:
        assert await writer.insert(doc)
        return doc["amount"] in announced

    assert all(await asyncio.gather(*(submit(doc) for doc in documents(20))))


async def test_the_sender_keeps_its_own_deadline_not_the_first_callers(resources: Resources) -> None:
    await c.ensure_collections(resources.db)
    seen: list[float | None] = []

    async def after(_: list[dict[str, Any]]) -> None:
        seen.append(_csot.remaining())

    writer = GroupCommit(resources.db[c.SALARY_OBSERVATIONS], 30, after=after)
    with pymongo.timeout(0.5):  # the request that happens to start the sender has little time left
        assert await writer.insert(documents(1)[0])
    # the sender's context has no deadline of the caller's (its insert runs under its own 30 s)
    assert seen == [None]


async def test_closing_the_resources_sends_what_was_handed_in(settings: Any) -> None:
    async with open_resources(settings) as opened:
        await c.ensure_collections(opened.db)
        writer = opened.attachment(Slot("test", lambda r: GroupCommit(r.db[c.SALARY_OBSERVATIONS], 10)))
        pending = [asyncio.ensure_future(writer.insert(doc)) for doc in documents(30)]
        await asyncio.sleep(0)  # handed in; the resources close before anyone awaits them
    assert all(task.done() and task.result() is True for task in pending)
    async with open_resources(settings) as reopened:
        assert await reopened.db[c.SALARY_OBSERVATIONS].count_documents({}) == 30


async def test_an_unacknowledged_batch_is_reported_as_one_insert_would_report_it(resources: Resources) -> None:
    await c.ensure_collections(resources.db)
    # more members than the replica set has: MongoDB stores the documents, then says the write
    # concern cannot be met (as it says when the majority does not answer in time during an election)
    impossible = resources.db[c.SALARY_OBSERVATIONS].with_options(write_concern=WriteConcern(w=5))
    writer = GroupCommit(impossible, 10)
    outcomes = await asyncio.gather(*(writer.insert(doc) for doc in documents(3)), return_exceptions=True)
    assert all(type(o) is WriteConcernError for o in outcomes), outcomes  # not a BulkWriteError
    assert {o.code for o in outcomes if isinstance(o, WriteConcernError)} == {100}  # UnsatisfiableWriteConcern
