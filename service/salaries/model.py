"""A salary observation: one person's annual pay as one source reported it.

This is the one place that builds an observation document (`to_document`) and the one place that
checks an observation (`problems`): submissions, importers, the benchmark's generator and the
tests' factories all go through it, so a figure is checked the same way whichever way it came in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from typing import Any

from service.bands import MAX_YEARS, experience_band
from service.employment import EMPLOYMENT_TYPES
from service.errors import UserError
from service.money import implausible_reason, is_currency
from service.places import country_code
from service.provenance import PUBLIC_SOURCES
from service.text import NOT_UNICODE, holds_surrogates

MAX_TEXT = 120  # characters of a title, company, city, region, tag, level or company size
FIRST_YEAR = 1990
TEXT_FIELDS = ("raw_title", "tag", "company", "city", "region", "experience_level", "company_size")



@dataclass(frozen=True)
class SalaryObservation:
    """`key` is the observation's identity (its content hash): two documents with the same key are
    the same observation, stored once."""

    key: str
    role: str
    amount: float
    currency: str
    country: str | None
    source: str
    raw_title: str = ""
    experience_band: str | None = None
    years_experience: float | None = None
    years_at_company: float | None = None
    tag: str | None = None
    company: str | None = None
    city: str | None = None
    region: str | None = None
    base_amount: float | None = None
    year: int | None = None
    region_code: str | None = None  # ISO 3166-2
    experience_level: str | None = None  # the source's own level, e.g. "SE" or "Senior"
    employment_type: str | None = None  # one of EMPLOYMENT_TYPES; None: the source does not say
    company_size: str | None = None  # as the source says it, e.g. "M" or "100 to 499 employees"
    remote_ratio: int | None = None  # percent of the work done remotely, 0-100
    published_amount: float | None = None  # the source's own conversion of `amount` ...
    published_currency: str | None = None  # ... into this currency, kept beside the original
    row_id: str | None = None  # the source's own id of the record, where it has one
    metro_code: str | None = None  # the OEWS metro area its city is a principal city of (`official.metros`)
    created_at: datetime | None = None
    submitted_by: str | None = None  # the API key id of a submission
    fingerprint: str | None = None  # a submission's figures, to tell a retry from a conflict
    import_batch: str | None = None  # the import run that stored it
    release_hold: str | None = None  # a submitted row not yet in the published figures (`visibility.HOLD`)
    receipt_sha256: str | None = None  # the SHA-256 of a submission's receipt (`receipts`)

    def __post_init__(self) -> None:
        """Without a stated band, the band is the one of the stated years (when they are valid)."""
        years = self.years_experience
        if self.experience_band is None and years is not None and math.isfinite(years) \
                and 0 <= years <= MAX_YEARS:
            object.__setattr__(self, "experience_band", experience_band(years).value)

    def to_document(self) -> dict[str, Any]:
        doc = {
            "content_hash": self.key, "role": self.role, "raw_title": self.raw_title, "tag": self.tag,
            "company": self.company, "city": self.city, "region": self.region, "country": self.country,
            "currency": self.currency, "amount": float(self.amount),
            "base_amount": None if self.base_amount is None else float(self.base_amount),
            "years_experience": None if self.years_experience is None else float(self.years_experience),
            "years_at_company": None if self.years_at_company is None else float(self.years_at_company),
            "experience_band": self.experience_band, "year": self.year, "source": self.source,
            "created_at": self.created_at or datetime.now(UTC),
        }
        for name in ("submitted_by", "fingerprint", "import_batch", *OPTIONAL_FIELDS):
            value = getattr(self, name)
            if value is not None:
                doc[name] = value
        if self.source in PUBLIC_SOURCES:  # a row its source already publishes (docs/privacy.md)
            doc["public"] = True
        return doc

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> SalaryObservation:
        return cls(
            key=doc["content_hash"], role=doc["role"], raw_title=doc.get("raw_title") or "",
            amount=doc["amount"], currency=doc["currency"], country=doc.get("country"),
            experience_band=doc.get("experience_band"), years_experience=doc.get("years_experience"),
            years_at_company=doc.get("years_at_company"), source=doc["source"], tag=doc.get("tag"),
            company=doc.get("company"), city=doc.get("city"), region=doc.get("region"),
            base_amount=doc.get("base_amount"), year=doc.get("year"), created_at=doc.get("created_at"),
            submitted_by=doc.get("submitted_by"), fingerprint=doc.get("fingerprint"),
            import_batch=doc.get("import_batch"), **{name: doc.get(name) for name in OPTIONAL_FIELDS},
        )


#: Fields stored only when the source says them (the last two: when careergraph sets them).
OPTIONAL_FIELDS = ("region_code", "experience_level", "employment_type", "company_size", "remote_ratio",
                   "published_amount", "published_currency", "row_id", "metro_code", "release_hold", "receipt_sha256")


def _bad(field: str, message: str) -> UserError:
    return UserError(field, message, "BAD_USER_INPUT")


def _years_problem(field: str, years: float | None) -> UserError | None:
    if years is not None and not (math.isfinite(years) and 0 <= years <= MAX_YEARS):
        label = field.replace("_", " ").replace("years ", "years of ", 1) if field == "years_experience" \
            else field.replace("_", " ")
        return _bad(field, f"{label} must be 0-{MAX_YEARS:g}, got {years:g}")
    return None


def problems(obs: SalaryObservation, today: date | None = None) -> list[UserError]:
    """Everything wrong with `obs`, by field (the model's field names); empty when it is valid.
    Text that no store can hold (`holds_surrogates`) is all that is said of an observation that has
    some: the other checks would only quote it back."""
    unstorable = [f.name for f in fields(obs) if holds_surrogates(getattr(obs, f.name))]
    if unstorable:
        return [_bad(name, f"{name.replace('_', ' ')} {NOT_UNICODE}") for name in unstorable]
    found: list[UserError] = []
    if not is_currency(obs.currency):
        found.append(_bad("currency", f"unknown currency {obs.currency[:12]!r}: not an ISO 4217 code of "
                                      "money people are paid in"))
    else:
        reason = implausible_reason(obs.amount, obs.currency)
        if reason:
            found.append(_bad("amount", reason))
    if obs.country is not None and (len(obs.country) != 2 or country_code(obs.country) != obs.country):
        found.append(_bad("country", f"unknown country {obs.country[:12]!r}: not an ISO 3166-1 alpha-2 code"))
    for field, years in (("years_experience", obs.years_experience),
                         ("years_at_company", obs.years_at_company)):
        problem = _years_problem(field, years)
        if problem:
            found.append(problem)
    base = obs.base_amount
    if base is not None and not (math.isfinite(base) and 0 < base <= obs.amount):
        found.append(_bad("base_amount", "base pay must be positive and at most the total amount"))
    this_year = (today or date.today()).year
    if obs.year is not None and not FIRST_YEAR <= obs.year <= this_year:
        found.append(_bad("year", f"year must be between {FIRST_YEAR} and {this_year}"))
    found.extend(_detail_problems(obs))
    for field in TEXT_FIELDS:
        value = getattr(obs, field)
        if value is not None and len(value) > MAX_TEXT:
            found.append(_bad(field, f"{field.replace('_', ' ')} is over {MAX_TEXT} characters"))
    return found


def _detail_problems(obs: SalaryObservation) -> list[UserError]:
    found = []
    if obs.employment_type is not None and obs.employment_type not in EMPLOYMENT_TYPES:
        found.append(_bad("employment_type", f"employment type {obs.employment_type[:40]!r} is not one of "
                                             f"{', '.join(EMPLOYMENT_TYPES)}"))
    if obs.remote_ratio is not None and not 0 <= obs.remote_ratio <= 100:
        found.append(_bad("remote_ratio", f"remote ratio must be 0-100 percent, got {obs.remote_ratio}"))
    if obs.published_amount is not None:
        currency = obs.published_currency or ""
        reason = implausible_reason(obs.published_amount, currency) if is_currency(currency) else \
            f"unknown currency {currency[:12]!r} of the published amount"
        if reason:
            found.append(_bad("published_amount", f"published amount: {reason}"))
    if obs.row_id is not None and len(obs.row_id) > MAX_TEXT:
        found.append(_bad("row_id", f"row id is over {MAX_TEXT} characters"))
    return found
