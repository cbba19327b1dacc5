"""Purchasing power across countries: amounts in international dollars, with the World Bank's PPP factors.

A PPP conversion factor (World Bank indicator PA.NUS.PPP, GDP; CC BY 4.0) is the number of units of
a country's currency (its local currency unit, LCU) that buy in that country what one U.S. dollar
buys in the United States, in a year. The rules, for an amount earned in country K in year Y:

    international dollars = amount in K's LCU / PPP_K(Y)
    in country T's purchasing power = international dollars x PPP_T(Y)

- An amount in another currency than K's LCU is first converted to it at the year's exchange rate
  (`service.official.fx`, the ECB's yearly means), and the answer says so.
- PPP_K(Y) is the factor of the year itself; a year without one uses the nearest year that has one
  (the later on a tie), said in `factor_year`; an unknown year uses the latest, as currency
  conversion does. A country without any factor, or whose currency careergraph does not know, is
  not converted: the reason says which (`NotConvertible`), and `convert_many` lists every country
  and year left out, never dropping one silently.
- The LCU is the currency the World Bank's series is in: the euro for the euro area (Croatia
  included), the CFA francs and East Caribbean dollar for their members, the U.S. dollar where it
  is the currency, otherwise the ISO 4217 currency whose code starts with the country's code.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pycountry
from pymongo.asynchronous.database import AsyncDatabase

from service.errors import BadUserInput
from service.money import is_currency
from service.official.fx import RateTable
from service.store import official_layout as o

INDICATOR = "PA.NUS.PPP"
SOURCE_SLUG = "world-bank-ppp"
RULE = ("international dollars = amount in the country's local currency / the World Bank's PPP conversion factor "
        "(PA.NUS.PPP, GDP, LCU per international $) of the year (the nearest year with one when it has none; the "
        "latest for an unknown year); another currency is converted to the local one first at the year's ECB rate")
_SHARED = {
    "EUR": "AT BE CY DE EE ES FI FR GR HR IE IT LT LU LV MT NL PT SI SK AD MC SM VA ME XK",
    "XOF": "BJ BF CI GW ML NE SN TG", "XAF": "CM CF TD CG GQ GA", "XCD": "AG DM GD KN LC VC",
    "USD": "US EC SV TL FM MH PW PR", "CHF": "CH LI", "AUD": "AU KI NR TV", "NZD": "NZ", "DKK": "DK GL FO",
    "ILS": "IL PS", "ANG": "CW SX",
}
LOCAL_CURRENCY = {country: currency for currency, members in _SHARED.items() for country in members.split()}


class NotConvertible(BadUserInput):
    """An amount the PPP factors cannot convert; the message says why."""


@lru_cache(maxsize=512)
def local_currency(country: str) -> str | None:
    """The currency a country's PPP factor is in (see the module's docstring), or None."""
    if country in LOCAL_CURRENCY:
        return LOCAL_CURRENCY[country]
    codes = [str(c.alpha_3) for c in pycountry.currencies if str(c.alpha_3).startswith(country)
             and is_currency(str(c.alpha_3))]
    return codes[0] if len(codes) == 1 else None


@dataclass(frozen=True)
class Factor:
    country: str
    year: int  # the year of the factor used
    value: float  # LCU per international dollar


@dataclass(frozen=True)
class PppAmount:
    """An amount in international dollars (or in a target country's currency at its purchasing
    power), and everything it was converted with."""

    amount: float
    unit: str  # "international $" or the target's currency
    nominal: float
    currency: str
    year: int | None
    country: str
    local_currency: str
    exchange_factor: float | None  # currency -> local currency at the year's rate, when they differ
    exchange_year: int | None
    factor: Factor
    target_factor: Factor | None = None
    source: str = SOURCE_SLUG
    rule: str = RULE


@dataclass
class PppBatch:
    """What `convert_many` converted and what it left out (by country and year, with the reason)."""

    converted: list[PppAmount | None] = field(default_factory=list)
    left_out: Counter[tuple[str, int | None, str]] = field(default_factory=Counter)
    substituted: Counter[tuple[str, int | None, int]] = field(default_factory=Counter)  # (country, year, used)


@dataclass
class PppTable:
    factors: dict[str, dict[int, float]] = field(default_factory=dict)  # country -> year -> factor

    def factor(self, country: str, year: int | None) -> Factor:
        years = self.factors.get(country)
        if not years:
            raise NotConvertible(f"the World Bank publishes no PPP conversion factor for {country} (or none is "
                                 "loaded: `careergraph import ppp FILE`)", field="country")
        chosen = max(years) if year is None else min(years, key=lambda y: (abs(y - year), -y))
        return Factor(country, chosen, years[chosen])

    def to_international(self, amount: float, currency: str, year: int | None, country: str,
                         rates: RateTable | None = None, target_country: str | None = None) -> PppAmount:
        """`amount` (in `currency`, earned in `country` in `year`) in international dollars, or in
        `target_country`'s currency at its purchasing power."""
        lcu = local_currency(country)
        if lcu is None:
            raise NotConvertible(f"careergraph does not know the currency of {country}'s PPP factor",
                                 field="country")
        exchange, exchange_year = None, None
        local = amount
        if currency != lcu:
            fx = rates.factor(currency, year, lcu) if rates is not None else None
            if fx is None:
                raise NotConvertible(f"no exchange rate from {currency} to {lcu}, {country}'s currency",
                                     field="currency")
            exchange, exchange_year, local = fx.value, fx.year, amount * fx.value
        factor = self.factor(country, year)
        international = local / factor.value
        if target_country is None:
            return PppAmount(international, "international $", amount, currency, year, country, lcu, exchange,
                             exchange_year, factor)
        target_currency = local_currency(target_country)
        if target_currency is None:
            raise NotConvertible(f"careergraph does not know the currency of {target_country}'s PPP factor",
                                 field="targetCountry")
        target = self.factor(target_country, year)
        return PppAmount(international * target.value, target_currency, amount, currency, year, country, lcu,
                         exchange, exchange_year, factor, target)

    def convert_many(self, items: list[tuple[float, str, int | None, str]], rates: RateTable | None = None,
                     target_country: str | None = None) -> PppBatch:
        """Each (amount, currency, year, country) converted, or None; every country and year left
        out is counted with its reason, and every year that used another year's factor."""
        batch = PppBatch()
        for amount, currency, year, country in items:
            try:
                done = self.to_international(amount, currency, year, country, rates, target_country)
            except NotConvertible as exc:
                batch.converted.append(None)
                batch.left_out[(country, year, exc.message)] += 1
                continue
            batch.converted.append(done)
            if done.factor.year != year:
                batch.substituted[(country, year, done.factor.year)] += 1
        return batch


async def load_ppp(db: AsyncDatabase[dict[str, Any]]) -> PppTable:
    table = PppTable()
    async for doc in db[o.PPP_FACTORS].find({}, {"country": 1, "year": 1, "factor": 1}):
        table.factors.setdefault(doc["country"], {})[int(doc["year"])] = float(doc["factor"])
    return table
