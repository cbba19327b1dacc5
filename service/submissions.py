"""`submitSalary`: one person's pay, validated, stored once per idempotency key.

The observation's content hash is derived from the idempotency key, so the unique index on it
makes a retried submission a no-op, however often and however concurrently it is sent. The same
key with different figures is refused rather than silently ignored.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from service import collections as c
from service.bands import experience_band
from service.domain import Source
from service.money import implausible_reason, is_currency
from service.places import country_code

SUBMISSIONS_SOURCE = Source(
    slug="careergraph-submissions", publisher="careergraph users",
    title="Salaries submitted through the careergraph API",
    note="Self-reported; each submission is stored once per client idempotency key",
)
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")


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
class UserError:
    field: str
    message: str
    code: str


@dataclass(frozen=True)
class SubmissionResult:
    observation: dict[str, Any] | None
    created: bool
    errors: tuple[UserError, ...] = ()


def validate(sub: SalarySubmission) -> list[UserError]:
    errors = []
    if not IDEMPOTENCY_KEY.match(sub.idempotency_key):
        errors.append(UserError("idempotencyKey", "8-128 letters, digits or . _ : -", "BAD_USER_INPUT"))
    if not is_currency(sub.currency):
        errors.append(UserError("currency", f"{sub.currency!r} is not an ISO 4217 currency code",
                                "BAD_USER_INPUT"))
    else:
        reason = implausible_reason(sub.amount, sub.currency)
        if reason:
            errors.append(UserError("amount", reason, "BAD_USER_INPUT"))
    if len(sub.country) != 2 or country_code(sub.country) != sub.country.upper():
        errors.append(UserError("country", f"{sub.country!r} is not an ISO 3166-1 alpha-2 country code",
                                "BAD_USER_INPUT"))
    if not 0 <= sub.experience_years <= 60:
        errors.append(UserError("experienceYears", "must be between 0 and 60", "BAD_USER_INPUT"))
    if sub.base_amount is not None and not 0 < sub.base_amount <= sub.amount:
        errors.append(UserError("baseAmount", "must be positive and at most the total amount",
                                "BAD_USER_INPUT"))
    if sub.year is not None and not 1990 <= sub.year <= date.today().year:
        errors.append(UserError("year", f"must be between 1990 and {date.today().year}", "BAD_USER_INPUT"))
    for name, value in (("city", sub.city), ("company", sub.company), ("title", sub.title)):
        if value is not None and len(value) > 120:
            errors.append(UserError(name, "at most 120 characters", "BAD_USER_INPUT"))
    return errors


def _fingerprint(sub: SalarySubmission) -> str:
    return hashlib.sha256(json.dumps(asdict(sub), sort_keys=True).encode()).hexdigest()


async def submit_salary(db: AsyncDatabase[dict[str, Any]], sub: SalarySubmission,
                        submitted_by: str | None) -> SubmissionResult:
    errors = validate(sub)
    if not errors and await db[c.ROLES].count_documents({"slug": sub.role}, limit=1) == 0:
        errors.append(UserError("role", f"no role with slug {sub.role!r}", "NOT_FOUND"))
    if errors:
        return SubmissionResult(None, False, tuple(errors))
    content_hash = "submission:" + hashlib.sha256(sub.idempotency_key.encode()).hexdigest()
    doc = {
        "content_hash": content_hash, "fingerprint": _fingerprint(sub), "role": sub.role,
        "raw_title": sub.title or "", "tag": None, "company": sub.company, "city": sub.city,
        "region": None, "country": sub.country.upper(), "currency": sub.currency,
        "amount": float(sub.amount), "base_amount": sub.base_amount,
        "years_experience": float(sub.experience_years),
        "years_at_company": None, "experience_band": experience_band(sub.experience_years).value,
        "year": sub.year or date.today().year, "source": SUBMISSIONS_SOURCE.slug,
        "submitted_by": submitted_by, "created_at": datetime.now(UTC),
    }
    try:
        await db[c.SALARY_OBSERVATIONS].insert_one(doc)
        return SubmissionResult(doc, True)
    except DuplicateKeyError:
        existing = await db[c.SALARY_OBSERVATIONS].find_one({"content_hash": content_hash})
        if existing is not None and existing.get("fingerprint") == doc["fingerprint"]:
            return SubmissionResult(existing, False)
        return SubmissionResult(None, False, (UserError(
            "idempotencyKey", "this idempotency key was already used with different figures",
            "IDEMPOTENCY_CONFLICT"),))


async def ensure_submissions_source(db: AsyncDatabase[dict[str, Any]]) -> None:
    await db[c.SOURCES].update_one({"slug": SUBMISSIONS_SOURCE.slug},
                                   {"$setOnInsert": SUBMISSIONS_SOURCE.to_document()}, upsert=True)
