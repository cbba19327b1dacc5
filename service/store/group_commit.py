"""Group commit: inserts from concurrent requests gathered into one `insert_many` per round trip.

A document handed to `GroupCommit.insert` leaves at once when nothing is on its way to MongoDB;
while a batch is on its way, the documents that arrive wait for it and then leave together. A lone
write therefore waits for nobody (no timer), and under load each round trip carries what arrived
during the last one: what a write costs the API (driver and syscalls for the insert, and for the
`after` effect, such as marking the roles changed) is paid once per batch instead of once per
document, and batches grow exactly when the process is busiest.

Each caller learns its own document's fate: inserted (True), refused by a unique index (False),
or the error MongoDB gave for it (a validation failure, say) or for the whole batch (no primary,
a timeout), as the error a single insert would have raised (a `WriteError`, a `WriteConcernError`
when the majority did not acknowledge in time), so callers tell them apart as before. The batch is
unordered, so one refused document never holds back the others. One document can still fail the
whole `insert_many` before it is sent (one the driver cannot encode as BSON, such as a string
holding a lone surrogate): then each document of the batch is sent again on its own, so that only
that caller hears the error and the others are stored. A batch that failed for a reason that is
no document's (the connection, a timeout, the write concern) is not retried: every caller hears
it, as before. `after` runs once per batch with
the documents inserted, before any caller is answered, so an answered write has had its effect.
A caller that stops waiting (cancelled) does not stop its document: it leaves with its batch, as a
single insert already sent would have.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import pymongo
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import BulkWriteError, ConnectionFailure, PyMongoError, WriteConcernError, WriteError

from service.store.database import DUPLICATE_KEY

log = logging.getLogger("careergraph.group_commit")
MAX_BATCH = 1000  # documents in one insert_many; more wait for the next round trip

Document = dict[str, Any]
AfterBatch = Callable[[list[Document]], Awaitable[object]]


class GroupCommit:
    def __init__(self, collection: AsyncCollection[Document], timeout_s: float,
                 after: AfterBatch | None = None, max_batch: int = MAX_BATCH) -> None:
        self.collection, self.timeout_s, self.after, self.max_batch = collection, timeout_s, after, max_batch
        self._pending: list[tuple[Document, asyncio.Future[bool]]] = []
        self._sender: asyncio.Task[None] | None = None
        self.batches = 0  # round trips made (tests and metrics read them)
        self.retried_batches = 0  # batches that failed whole and were sent again document by document

    async def insert(self, document: Document) -> bool:
        """True once `document` is stored (and `after` has run for its batch); False when a
        unique index already holds it; raises what MongoDB said otherwise."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._pending.append((document, future))
        if self._sender is None or self._sender.done():
            # A fresh context: the sender outlives the request that started it, so it must not
            # inherit that request's deadline (`pymongo.timeout` is a context variable).
            self._sender = asyncio.get_running_loop().create_task(self._send(), context=contextvars.Context())
        return await asyncio.shield(future)

    async def aclose(self) -> None:
        """Wait until every document handed in has been sent (before the client closes)."""
        while self._sender is not None and not self._sender.done():
            await asyncio.wait({self._sender})

    async def _send(self) -> None:
        while self._pending:
            batch, self._pending = self._pending[:self.max_batch], self._pending[self.max_batch:]
            documents = [document for document, _ in batch]
            outcomes: list[bool | BaseException]
            try:
                with pymongo.timeout(self.timeout_s):
                    outcomes = await self._insert(documents)
            except Exception as exc:  # the whole batch failed: each caller hears it, or its own
                outcomes = [exc] * len(batch)
                if len(batch) > 1 and _may_be_one_documents(exc):
                    outcomes = await self._one_by_one(documents)
            self.batches += 1
            inserted = [doc for (doc, _), outcome in zip(batch, outcomes, strict=True) if outcome is True]
            if inserted and self.after is not None:
                try:
                    await self.after(inserted)
                except Exception:  # the documents are stored; what follows them must not undo that
                    log.exception("after a batch of %d inserted document(s)", len(inserted))
            for (_, future), outcome in zip(batch, outcomes, strict=True):
                if future.done():
                    continue
                if isinstance(outcome, BaseException):
                    future.set_exception(outcome)
                else:
                    future.set_result(outcome)

    async def _one_by_one(self, documents: list[Document]) -> list[bool | BaseException]:
        """Each document sent on its own (concurrently, within one fresh deadline), each with its
        own outcome: what a batch that one document failed becomes."""
        self.retried_batches += 1

        async def one(document: Document) -> bool | BaseException:
            try:
                return (await self._insert([document]))[0]
            except Exception as exc:
                return exc

        with pymongo.timeout(self.timeout_s):
            return list(await asyncio.gather(*(one(document) for document in documents)))

    async def _insert(self, documents: list[Document]) -> list[bool | BaseException]:
        try:
            await self.collection.insert_many(documents, ordered=False)
        except BulkWriteError as exc:
            concern = exc.details.get("writeConcernErrors") or []
            if concern:  # stored or not, nobody can tell: every caller hears it, as one insert would say it
                first = concern[0]
                raise WriteConcernError(first.get("errmsg", "write concern not satisfied"), first.get("code"),
                                        first) from exc
            outcomes: list[bool | BaseException] = [True] * len(documents)
            for error in exc.details.get("writeErrors", []):
                code = error.get("code")
                outcomes[error["index"]] = False if code == DUPLICATE_KEY else \
                    WriteError(error.get("errmsg", "write refused"), code, error)
            return outcomes
        return [True] * len(documents)


def _may_be_one_documents(error: BaseException) -> bool:
    """Whether a whole batch's failure may be one document's doing (an encoding error, a refusal
    of the server's), so that sending each on its own tells them apart; not when the cause is
    the connection, a timeout or the write concern, which every document would meet again."""
    if isinstance(error, ConnectionFailure | WriteConcernError):
        return False
    return not (isinstance(error, PyMongoError) and error.timeout)
