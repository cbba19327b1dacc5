"""Published figures: salary benchmarks from articles and outlooks from publishers.

Each type's `to_document` / `from_document` is the only place that knows its MongoDB field names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SalaryBenchmark:
    """A published figure: "the mean pay of role R in country C, band B, is X"."""

    key: str
    role: str
    statistic: str  # mean, median, minimum ("X or more"), range
    amount: float | None
    currency: str
    source: str
    country: str | None = None
    experience_band: str | None = None
    amount_max: float | None = None
    period: str = "year"
    scope: str = ""  # what the figure covers, in words ("experienced, at large companies")
    year: int | None = None

    def to_document(self) -> dict[str, Any]:
        return {
            "key": self.key, "role": self.role, "statistic": self.statistic,
            "amount": self.amount, "amount_max": self.amount_max, "currency": self.currency,
            "country": self.country, "experience_band": self.experience_band,
            "period": self.period, "scope": self.scope, "year": self.year, "source": self.source,
        }

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> SalaryBenchmark:
        return cls(
            key=doc["key"], role=doc["role"], statistic=doc["statistic"], amount=doc.get("amount"),
            currency=doc["currency"], source=doc["source"], country=doc.get("country"),
            experience_band=doc.get("experience_band"), amount_max=doc.get("amount_max"),
            period=doc.get("period", "year"), scope=doc.get("scope", ""), year=doc.get("year"),
        )


@dataclass(frozen=True)
class Outlook:
    """Growth outlook for a role or an occupation group over a period."""

    key: str
    subject: str  # a role slug
    subject_label: str  # what the publisher measured, e.g. "web developers"
    region: str
    source: str
    period: str | None = None
    growth_percent: float | None = None
    openings_per_year: int | None = None

    def to_document(self) -> dict[str, Any]:
        return {
            "key": self.key, "subject": self.subject, "subject_label": self.subject_label,
            "region": self.region, "period": self.period, "growth_percent": self.growth_percent,
            "openings_per_year": self.openings_per_year, "source": self.source,
        }

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> Outlook:
        return cls(
            key=doc["key"], subject=doc["subject"], subject_label=doc.get("subject_label", ""),
            region=doc["region"], source=doc["source"], period=doc.get("period"),
            growth_percent=doc.get("growth_percent"), openings_per_year=doc.get("openings_per_year"),
        )
