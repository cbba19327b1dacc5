"""`submitSalary`: one person's pay, validated, stored once per idempotency key, then announced.

A new submission is stored held back (`visibility.HOLD`): it joins the published figures only at a
release that can take it without giving it away (`service.summaries.release`). Its answer carries a
receipt, shown once, with which the submitter can read and withdraw it (`receipts`); a retry of the
same submission answers without one.

The observation's content hash is derived from the idempotency key, so the unique index on it
makes a retried submission a no-op, however often and however concurrently it is sent. The same
key with different figures is refused rather than silently ignored. A stored submission marks its
role's summaries stale and queues their recompute (`jobs.observations_written`): the use case
owns that effect, so no caller has to remember it. Concurrent submissions leave together
(`service.store.group_commit`): one `insert_many` and one change mark per batch, each caller still
answered for its own submission, after its batch is stored and announced.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from service import jobs
from service.errors import UserError
from service.platform.resources import Resources, Slot
from service.provenance import Source
from service.salaries import receipts
from service.salaries.model import SalaryObservation, problems
from service.salaries.visibility import NEW
from service.store import database as c
from service.store.group_commit import GroupCommit

SUBMISSIONS_SOURCE = Source(
    slug="careergraph-submissions", publisher="careergraph users",
    title="Salaries submitted through the careergraph API",
    note="Self-reported; each submission is stored once per client idempotency key",
)
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
#: The observation model's field names that a submission calls otherwise (`SalarySubmission`'s names).
INPUT_FIELDS = {"years_experience": "experience_years", "raw_title": "title"}
KNOWN_ROLE_S = 60.0
KNOWN_ROLES_MAX = 10_000


@dataclass(frozen=True)
class SalarySubmission:
    role: str
    amount: float
    currency: str
    country: str
    experience_years: float
    idempotency_key: str
    city: str | None = None
    company: str | None = None
    title: str | None = None
    base_amount: float | None = None
    year: int | None = None


@dataclass(frozen=True)
class SubmissionResult:
    observation: SalaryObservation | None
    created: bool
    errors: tuple[UserError, ...] = ()
    receipt: str | None = None  # only when `created`: the one time it is shown


def _fingerprint(sub: SalarySubmission) -> str:
    """A digest of every field (`vars` of the frozen dataclass: its fields, all plain values, the
    same mapping `dataclasses.asdict` gives without its deep copy)."""
    return hashlib.sha256(json.dumps(vars(sub), sort_keys=True).encode()).hexdigest()


def observation_of(sub: SalarySubmission, submitted_by: str | None) -> SalaryObservation:
    """The observation a submission stores. Its identity is the idempotency key, scoped to the
    key that sent it, so two callers who pick the same idempotency key are two observations."""
    scope = submitted_by or "anonymous"
    # surrogatepass: a key that is not Unicode text still hashes (and is then refused by `validate`)
    key = "submission:" + hashlib.sha256(f"{scope}\n{sub.idempotency_key}".encode(errors="surrogatepass")).hexdigest()
    return SalaryObservation(
        key=key, role=sub.role, amount=float(sub.amount), currency=sub.currency,
        country=sub.country.upper(), source=SUBMISSIONS_SOURCE.slug, raw_title=sub.title or "",
        years_experience=float(sub.experience_years), company=sub.company, city=sub.city,
        base_amount=sub.base_amount, year=sub.year or date.today().year, created_at=datetime.now(UTC),
        submitted_by=submitted_by, fingerprint=_fingerprint(sub), release_hold=NEW)


def validate(sub: SalarySubmission, submitted_by: str | None = None,
             obs: SalaryObservation | None = None) -> list[UserError]:
    """What is wrong with a submission (stored as `obs`, when already built), by input field name."""
    errors = []
    if not IDEMPOTENCY_KEY.match(sub.idempotency_key):
        errors.append(UserError("idempotency_key", "8-128 letters, digits or . _ : -", "BAD_USER_INPUT"))
    for problem in problems(obs or observation_of(sub, submitted_by)):
        field = INPUT_FIELDS.get(problem.field, problem.field)
        errors.append(UserError(field, problem.message, problem.code))
    return errors


class KnownRoles:
    """Role slugs found in one database's catalogue. Roles are never deleted through the API, so
    one that exists is remembered for `KNOWN_ROLE_S` (a stream of submissions costs no catalogue
    lookup each); unknown slugs are looked up every time and never kept."""

    def __init__(self, resources: Resources) -> None:
        self._roles = resources.db[c.ROLES]
        self._found: dict[str, float] = {}  # slug: when it was found

    async def exists(self, slug: str) -> bool:
        now = time.monotonic()
        seen = self._found.get(slug)
        if seen is not None and now - seen < KNOWN_ROLE_S:
            return True
        if await self._roles.count_documents({"slug": slug}, limit=1) == 0:
            return False
        if len(self._found) >= KNOWN_ROLES_MAX:
            self._found.clear()
        self._found[slug] = now
        return True

    async def aclose(self) -> None:
        """Nothing to finish: a memo."""


def _group_commit(resources: Resources) -> GroupCommit:
    """The group commit of these clients' submissions: concurrent submissions share a round trip
    to MongoDB and one change mark in Redis for the roles of the batch."""
    async def announce(documents: list[dict[str, Any]]) -> None:
        await jobs.observations_written(resources.redis, {doc["role"] for doc in documents})

    return GroupCommit(resources.db[c.SALARY_OBSERVATIONS], resources.settings.mongodb_timeout_s, after=announce)


WRITER = Slot("salaries.submissions.writer", _group_commit)
KNOWN_ROLES = Slot("salaries.submissions.known_roles", KnownRoles)


async def _store(resources: Resources, obs: SalaryObservation) -> SubmissionResult:
    """Store once (and queue the role's recompute, with the batch it leaves in); a stored
    idempotency key answers with what it stored, or a conflict when the figures differ."""
    receipt, receipt_hash = receipts.new_receipt()
    if await resources.attachment(WRITER).insert({**obs.to_document(), "receipt_sha256": receipt_hash}):
        return SubmissionResult(obs, True, receipt=receipt)
    existing = await resources.db[c.SALARY_OBSERVATIONS].find_one({"content_hash": obs.key})
    if existing is not None and existing.get("fingerprint") == obs.fingerprint:
        return SubmissionResult(SalaryObservation.from_document(existing), False)
    return SubmissionResult(None, False, (UserError(
        "idempotency_key", "this idempotency key was already used with different figures",
        "IDEMPOTENCY_CONFLICT"),))


async def submit_salary(resources: Resources, sub: SalarySubmission,
                        submitted_by: str | None) -> SubmissionResult:
    """Validate, store once, and queue the role's recompute when something new was stored."""
    obs = observation_of(sub, submitted_by)
    errors = validate(sub, submitted_by, obs)
    if not errors and not await resources.attachment(KNOWN_ROLES).exists(sub.role):
        errors.append(UserError("role", f"no role with slug {sub.role[:80]!r}", "NOT_FOUND"))
    if errors:
        return SubmissionResult(None, False, tuple(errors))
    return await _store(resources, obs)


async def ensure_submissions_source(resources: Resources) -> None:
    await resources.db[c.SOURCES].update_one({"slug": SUBMISSIONS_SOURCE.slug},
                                             {"$setOnInsert": SUBMISSIONS_SOURCE.to_document()}, upsert=True)
