"""Converting pay between currencies, at the rate of the year it was observed.

Rates are the European Central Bank's euro foreign exchange reference rates (units of a currency
per euro, one a working day since 1999). The rule, for an amount in currency C observed in year Y,
into currency T:

    amount x mean_T(Y) / mean_C(Y)

where mean_X(Y) is the mean of the ECB's daily rates of X in Y (EUR is 1). A year the ECB has no
rates for (a year not over yet has those of its days so far) uses the nearest year that has both
(the year is then said in `years`), and an observation without a year uses the latest year with
rates. A currency the ECB does not publish (or no longer publishes) is unconvertible, with its
reason, unless an operator supplied its rates in the same format. Original amounts never change:
conversion happens only in the summaries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from service.store import official_layout as o

ECB_SOURCE = "ecb-eurofxref"
RATE_BASIS = ("mean of the ECB's daily euro reference rates in the year observed (cross rates through EUR); "
              "the nearest year with rates when that year has none; the latest year for an unknown year")
TARGETS = ("USD", "EUR")  # normalised summaries the worker precomputes


@dataclass(frozen=True)
class Factor:
    value: float
    year: int  # the year whose rates were used


@dataclass
class RateTable:
    """Yearly mean rates per euro: {year: {currency: units per EUR}}."""

    years: dict[int, dict[str, float]] = field(default_factory=dict)
    source: str = ECB_SOURCE
    sources: dict[str, str] = field(default_factory=dict)  # currency -> its rates' source, when not the ECB
    _factors: dict[tuple[str, int | None, str], Factor | None] = field(default_factory=dict, repr=False)

    def source_for(self, currencies: set[str]) -> str:
        """The sources of the rates of `currencies`: the ECB's, and any operator's they used."""
        extra = sorted({self.sources[c] for c in currencies if c in self.sources})
        return "; ".join([self.source, *extra])

    def per_eur(self, year: int, currency: str) -> float | None:
        return 1.0 if currency == "EUR" else self.years.get(year, {}).get(currency)

    def currencies(self) -> set[str]:
        return {"EUR"} | {c for rates in self.years.values() for c in rates}

    def factor(self, currency: str, year: int | None, target: str) -> Factor | None:
        """What an amount in `currency` of `year` is multiplied by to be in `target`; None when
        the ECB gives no year with both. (Remembered: a table is loaded once per recompute.)"""
        key = (currency, year, target)
        if key not in self._factors:
            self._factors[key] = self._factor(currency, year, target)
        return self._factors[key]

    def _factor(self, currency: str, year: int | None, target: str) -> Factor | None:
        if currency == target:
            return Factor(1.0, year if year is not None else max(self.years, default=0))
        usable = sorted(y for y in self.years if self.per_eur(y, currency) and self.per_eur(y, target))
        if not usable:
            return None
        chosen = usable[-1] if year is None else min(usable, key=lambda y: (abs(y - year), -y))
        source, goal = self.per_eur(chosen, currency), self.per_eur(chosen, target)
        assert source and goal
        return Factor(goal / source, chosen)

    def reason(self, currency: str) -> str:
        return (f"the ECB publishes no reference rate for {currency}" if currency not in self.currencies()
                else f"the ECB's {currency} rates do not overlap the target's")


async def load_rates(db: AsyncDatabase[dict[str, Any]]) -> RateTable:
    table = RateTable()
    async for doc in db[o.FX_YEARS].find({}, {"year": 1, "currency": 1, "per_eur": 1, "source": 1}):
        table.years.setdefault(int(doc["year"]), {})[doc["currency"]] = float(doc["per_eur"])
        if doc.get("source") not in (None, ECB_SOURCE):
            table.sources[doc["currency"]] = doc["source"]
    return table
