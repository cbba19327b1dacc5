"""Currencies (ISO 4217) and whether an annual amount is plausible pay.

Plausibility is a sanity bound, not a conversion: an annual amount must lie between 500 and
10,000,000 US dollars' worth, at rough mid-2024 rates for the currencies below. Currencies
without a rate here only need a positive amount under 10^13 units.
"""

from __future__ import annotations

import math
from functools import lru_cache

import pycountry

MIN_ANNUAL_USD = 500.0
MAX_ANNUAL_USD = 10_000_000.0

#: US dollars per unit, rounded; used only for the plausibility bound above.
APPROX_USD_PER_UNIT: dict[str, float] = {
    "USD": 1.0, "EUR": 1.08, "GBP": 1.27, "CHF": 1.13, "CAD": 0.74, "AUD": 0.66, "NZD": 0.6,
    "INR": 0.012, "JPY": 0.0067, "CNY": 0.14, "HKD": 0.128, "TWD": 0.031, "KRW": 0.00073,
    "SGD": 0.74, "SEK": 0.095, "NOK": 0.094, "DKK": 0.145, "PLN": 0.25, "CZK": 0.043,
    "HUF": 0.0027, "RON": 0.22, "BGN": 0.55, "UAH": 0.025, "RUB": 0.011, "TRY": 0.03,
    "ILS": 0.27, "AED": 0.27, "SAR": 0.27, "ZAR": 0.054, "BRL": 0.19, "MXN": 0.055,
    "ARS": 0.0011, "COP": 0.00025, "CLP": 0.0011, "PEN": 0.27, "IDR": 0.000063,
    "PHP": 0.018, "VND": 0.00004, "THB": 0.028, "MYR": 0.21, "NGN": 0.00075, "KES": 0.0077,
    "EGP": 0.021, "PKR": 0.0036, "BDT": 0.0085,
}


#: ISO 4217 codes that are not money anyone is paid in: precious metals, the SDR, bond-market
#: units, funds codes, the testing code XTS and "no currency" XXX.
NOT_PAY_CURRENCIES = frozenset(
    "XAU XAG XPD XPT XDR XBA XBB XBC XBD XSU XUA XTS XXX BOV CHE CHW CLF COU MXV USN UYI UYW".split())


@lru_cache(maxsize=512)
def is_currency(code: str) -> bool:
    """An ISO 4217 code that people are paid in."""
    return len(code) == 3 and code.isalpha() and code.isupper() and code not in NOT_PAY_CURRENCIES \
        and pycountry.currencies.get(alpha_3=code) is not None


def implausible_reason(amount: float, currency: str) -> str | None:
    """Why `amount` a year in `currency` is not plausible pay, or None when it is."""
    if not math.isfinite(amount):
        return "amount is not a finite number"
    if amount <= 0:
        return "amount must be greater than 0"
    rate = APPROX_USD_PER_UNIT.get(currency)
    if rate is None:
        return None if amount < 1e13 else f"amount {amount:,.0f} {currency} is absurdly large"
    usd = amount * rate
    if usd < MIN_ANNUAL_USD:
        return f"amount {amount:,.0f} {currency} a year is implausibly small"
    if usd > MAX_ANNUAL_USD:
        return f"amount {amount:,.0f} {currency} a year is implausibly large"
    return None
