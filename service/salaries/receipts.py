"""A submitter's receipt: the one way to read and withdraw one's own submission.

`submitSalary` answers a new submission with a receipt, `cgr_` and 43 characters of a random
256-bit secret, shown once: the store keeps only its SHA-256 (`receipt_sha256` on the row, under a
unique index). Whoever holds the receipt can read that row (every field, and where it stands with
the releases) and withdraw it; nobody else's receipt, and no API key, does either. A lookup costs
the same one indexed read whether the receipt is right, wrong or malformed (a malformed one is hashed
and looked up all the same), its hash is compared in constant time, and the GraphQL operations that
take a receipt are charged against the caller's rate limit like any other.

Withdrawing marks the row (`visibility.HOLD`) rather than deleting it: a row already in the
published figures leaves them at a later release, together with at least
`CAREERGRAPH_RELEASE_CHANGES` other changes of every group it is in, so the figures before and after
never give its amount away; the release then deletes it from the store. A row not yet released is
deleted by the next release without touching any figure.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from pymongo import ReturnDocument

from service import jobs
from service.platform.resources import Resources
from service.salaries.model import SalaryObservation
from service.salaries.visibility import HOLD, NEW, NEW_WITHDRAWN, WITHDRAWN
from service.store import database as c

PREFIX = "cgr_"
#: Where a submission stands: waiting for a release, in the published figures, or withdrawn
#: (leaving the figures, and then the store, at the next release that can take it).
STATUSES = ("PENDING", "RELEASED", "WITHDRAWN")


def new_receipt() -> tuple[str, str]:
    """A fresh receipt and the hash the store keeps."""
    token = PREFIX + secrets.token_urlsafe(32)
    return token, digest(token)


def digest(receipt: str) -> str:
    return hashlib.sha256(receipt.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class OwnSubmission:
    observation: SalaryObservation
    status: str  # one of STATUSES


async def _released(resources: Resources, doc: dict[str, Any]) -> bool:
    """A row marked new may be in the latest release already (it is settled by the next run)."""
    summary = await resources.db[c.SALARY_SUMMARIES].find_one(
        {"role": doc["role"], "release.admitted": doc["_id"]}, {"_id": 1})
    return summary is not None


async def _status(resources: Resources, doc: dict[str, Any]) -> str:
    hold = doc.get(HOLD)
    if hold in (WITHDRAWN, NEW_WITHDRAWN):
        return "WITHDRAWN"
    if hold == NEW and not await _released(resources, doc):
        return "PENDING"
    return "RELEASED"


async def _find(resources: Resources, receipt: str) -> dict[str, Any] | None:
    wanted = digest(receipt[:200])
    doc = await resources.db[c.SALARY_OBSERVATIONS].find_one({"receipt_sha256": wanted})
    if doc is None or not hmac.compare_digest(doc.get("receipt_sha256", ""), wanted):
        return None
    return doc


async def read_own(resources: Resources, receipt: str) -> OwnSubmission | None:
    """The submission a receipt was given for, None when there is none (a wrong receipt, or a
    withdrawn submission a release has deleted)."""
    doc = await _find(resources, receipt)
    if doc is None:
        return None
    return OwnSubmission(SalaryObservation.from_document(doc), await _status(resources, doc))


async def withdraw(resources: Resources, receipt: str) -> OwnSubmission | None:
    """Withdraw the receipt's submission (idempotent); None when the receipt names none. The role's
    recompute is queued: its next release takes the row out when the release rule allows."""
    doc = await _find(resources, receipt)
    if doc is None:
        return None
    observations = resources.db[c.SALARY_OBSERVATIONS]
    # one conditional update per state: a release settling the row at the same moment cannot interleave
    changed = await observations.find_one_and_update(
        {"_id": doc["_id"], HOLD: NEW}, {"$set": {HOLD: NEW_WITHDRAWN}}, return_document=ReturnDocument.AFTER)
    if changed is None:
        changed = await observations.find_one_and_update(
            {"_id": doc["_id"], HOLD: {"$exists": False}}, {"$set": {HOLD: WITHDRAWN}},
            return_document=ReturnDocument.AFTER)
    current = changed or await observations.find_one({"_id": doc["_id"]})
    if current is None:  # deleted meanwhile by the release that took it out
        return None
    if changed is not None:
        await jobs.observations_written(resources.redis, [doc["role"]])
    return OwnSubmission(SalaryObservation.from_document(current), "WITHDRAWN")
