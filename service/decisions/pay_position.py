"""Where an amount of pay stands among a role's published crowd figures and its official ones.

The amount is first normalised: converted to U.S. dollars at its year's rate (the ECB's yearly
means, `official.fx`, the rule the summaries use), then, with `adjust="REAL"`, put in constant
dollars of the CPI's latest full year (`official.prices`; the OEWS May 2025 figures are 2025
dollars). It is then placed among:

- the role's published crowd group for the place and band (`decisions.crowd`: percentiles p10,
  p25, p50, p75, p90 of the group's people, normalised to USD; a withheld group gives its count
  and no position);
- the OEWS annual percentiles of the role's main occupation there (all experience levels: OEWS has
  no bands; a percentile BLS gives only as a bound places nothing above it).

A position is `at` the percentiles equal to the amount, else between the highest percentile below
it (`above`) and the lowest above it (`below`): "between p50 and p75 of 1,974 people".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from service.bands import ExperienceBand
from service.decisions.crowd import CrowdGroup, crowd_group
from service.decisions.official import OfficialPay, official_pay
from service.decisions.places import Place
from service.errors import BadUserInput, NotFound
from service.money import implausible_reason, is_currency
from service.official import fx
from service.official.prices import RealAmount, price_index
from service.platform.resources import Resources
from service.salaries.model import FIRST_YEAR
from service.store import database as c
from service.store import official_layout as o

ADJUSTMENTS = ("REAL",)


@dataclass(frozen=True)
class Position:
    at: tuple[str, ...]  # percentiles equal to the amount
    above: str | None  # the highest percentile below the amount
    below: str | None  # the lowest percentile above it
    words: str


def position(value: float, percentiles: tuple[tuple[str, float], ...]) -> Position | None:
    """`value` among (label, figure) pairs in ascending order; None without figures."""
    if not percentiles:
        return None
    at = tuple(label for label, figure in percentiles if math.isclose(figure, value, rel_tol=1e-12, abs_tol=1e-6))
    lower = [label for label, figure in percentiles if figure < value and label not in at]
    upper = [label for label, figure in percentiles if figure > value and label not in at]
    above, below = (lower[-1] if lower else None), (upper[0] if upper else None)
    if at:
        words = f"at {' = '.join(at)}"
    elif above and below:
        words = f"between {above} and {below}"
    else:
        words = f"above {above}" if above else f"below {below}"
    return Position(at, above, below, words)


@dataclass(frozen=True)
class Normalised:
    amount: float
    currency: str
    year: int
    usd: float
    exchange_factor: float
    exchange_year: int  # the year whose rates converted it
    rate_source: str
    real: RealAmount | None
    compared: float  # what was placed: `usd`, or the real amount


@dataclass(frozen=True)
class PayPosition:
    role: str
    place: Place
    band: str | None
    normalised: Normalised
    crowd: CrowdGroup | None
    crowd_position: Position | None
    official: OfficialPay | None
    official_position: Position | None
    above_official_median: bool | None  # None: at it, or no median
    words: str


def _checked(amount: float, currency: str, band: str | None, adjust: str | None, year: int) -> str:
    code = currency.strip().upper()
    if not is_currency(code):
        raise BadUserInput(f"unknown currency {currency[:12]!r}: an ISO 4217 code", field="currency")
    reason = implausible_reason(amount, code)
    if reason:
        raise BadUserInput(reason, field="amount")
    if band is not None and band not in {b.value for b in ExperienceBand}:
        raise BadUserInput(f"unknown experience band {band[:20]!r}", field="experienceBand")
    if adjust == "PPP":
        raise BadUserInput("adjust: PPP does not apply here: the figures an amount is placed among are U.S. pay in "
                           "U.S. dollars (use REAL for prices; purchasing power is salarySummaries(adjust: PPP))",
                           field="adjust")
    if adjust is not None and adjust not in ADJUSTMENTS:
        raise BadUserInput(f"adjust is one of {', '.join(ADJUSTMENTS)}", field="adjust")
    if not FIRST_YEAR <= year <= date.today().year:
        raise BadUserInput(f"year must be between {FIRST_YEAR} and this year", field="year")
    return code


async def pay_position(resources: Resources, role: str, amount: float, currency: str, area: str = "US",
                       band: str | None = None, adjust: str | None = None, year: int | None = None) -> PayPosition:
    """Where `amount` (a year's pay in `currency`, of `year`, this year when None) stands for
    `role` at `area`, in experience band `band`, optionally adjusted for prices."""
    year = date.today().year if year is None else year
    code = _checked(amount, currency, band, adjust, year)
    place = Place.of(area)
    db = resources.db
    doc = await db[c.ROLES].find_one({"slug": role}, {"slug": 1, "onet_codes": 1})
    if doc is None:
        raise NotFound(f"no role with slug {role!r}", field="role")
    rates = await fx.load_rates(db)
    factor = rates.factor(code, year, "USD")
    if factor is None:
        raise BadUserInput(rates.reason(code), field="currency")
    usd = amount * factor.value
    real = None
    if adjust == "REAL":
        metro = await db[o.AREAS].find_one({"code": place.area}) if place.kind == "METRO" else None
        try:
            index = await price_index()
        except LookupError as exc:
            raise BadUserInput(str(exc), field="adjust") from None
        real = index.adjust(usd, "USD", year, metro_name=metro["name"] if metro else None)
    normalised = Normalised(amount, code, year, usd, factor.value, factor.year, rates.source_for({code}), real,
                            real.amount if real else usd)
    crowd = await crowd_group(resources, role, place, band)
    official = (await official_pay(db, {role: tuple(doc.get("onet_codes") or ())}, place))[role]
    value = normalised.compared
    crowd_position = position(value, crowd.percentiles) if crowd else None
    official_position = position(value, official.percentiles) if official else None
    median = official.median if official else None
    above = None if not median or math.isclose(value, median) else value > median
    parts = []
    if crowd_position and crowd:
        parts.append(f"{crowd_position.words} of {crowd.count:,} people")
    elif crowd and crowd.withheld:
        parts.append(f"the crowd group of {crowd.count:,} is withheld")
    if median:
        parts.append("at the OEWS median" if above is None else
                     f"{'above' if above else 'below'} the OEWS median")
    return PayPosition(role, place, band, normalised, crowd, crowd_position, official, official_position, above,
                       "; ".join(parts) or "no published figure to compare with")
