"""Published summary rows in real dollars (`REAL`) or international dollars (`PPP`), where one factor
adjusts every amount of the row, so that scaling its published figures is exact.

A figure of a group (mean, percentiles, minimum, maximum, standard deviation) times a positive
constant is the figure of the group's amounts times that constant. So:

- **REAL** (constant U.S. dollars of the CPI-U's latest full year, `official.prices`) applies to
  rows of one known year in U.S. dollars: `level: YEAR` and `COUNTRY_YEAR`, normalised to USD or
  native USD rows. Factor: CPI(base year) / CPI(the row's year), national series.
- **PPP** (international dollars, `official.ppp`) applies to rows of one country and one known year:
  `level: COUNTRY_YEAR`, in any currency. Factor: the year's exchange rate from the row's currency to
  the country's, divided by the World Bank's PPP conversion factor (the nearest year's, stated).

A row of an unknown year, or of a country or year with no factor, keeps its count and says why it is
not adjusted; its figures are not shown, since nominal figures under an adjusted heading would be
misread. Rows that pool several years (CELL, COUNTRY, BAND, ROLE, REGION) are not adjusted at all:
their percentiles would need each amount adjusted before they are taken, in the recompute, where
the disclosure step would have to see the adjusted rows beside the nominal ones (two weightings of
the same years' sums can be solved for a withheld year). Asking for them is a BadUserInput that says so.

The adjustment is made from published figures and public indexes only, so it reveals nothing the
summaries do not.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from service.errors import BadUserInput
from service.official import fx
from service.official.ppp import SOURCE_SLUG as PPP_SOURCE
from service.official.ppp import NotConvertible, PppTable, load_ppp
from service.official.prices import SOURCE as CPI_SOURCE
from service.official.prices import NotAdjustable, PriceIndex, price_index
from service.platform.resources import Resources
from service.summaries.model import RowAdjustment, SalaryScope, SalarySummary

ADJUSTMENTS = ("REAL", "PPP")
LEVELS = {"REAL": ("YEAR", "COUNTRY_YEAR"), "PPP": ("COUNTRY_YEAR",)}
SCALED = ("mean", "min", "max", "p10", "p25", "median", "p75", "p90", "stddev")
POOLED_YEARS = ("rows that pool several years would need each amount adjusted before the percentiles are taken, "
                "which the summaries do not do")


def check(scope: SalaryScope) -> None:
    """BadUserInput unless `scope.adjust` can be applied exactly to the rows the scope reads."""
    kind = scope.adjust
    if kind is None:
        return
    if kind not in ADJUSTMENTS:
        raise BadUserInput(f"adjust is one of {', '.join(ADJUSTMENTS)}", field="adjust")
    if any(level not in LEVELS[kind] for level in scope.levels):
        raise BadUserInput(f"adjust: {kind} applies to rows of one {'country and ' if kind == 'PPP' else ''}year: "
                           f"ask level: {' or '.join(LEVELS[kind])}; {POOLED_YEARS}", field="adjust")
    if kind == "REAL" and "USD" not in (scope.normalize_to, scope.currency):
        raise BadUserInput("adjust: REAL adjusts U.S. dollars for U.S. prices: ask normalizeTo: \"USD\" (or the "
                           "native rows of currency: \"USD\")", field="adjust")


def _withheld_figures(row: SalarySummary, adjustment: RowAdjustment) -> SalarySummary:
    figures: dict[str, Any] = dict.fromkeys(SCALED)
    return replace(row, adjustment=adjustment, **figures)


def _scaled(row: SalarySummary, adjustment: RowAdjustment) -> SalarySummary:
    factor = adjustment.factor or 0.0
    figures: dict[str, Any] = {name: None if getattr(row, name) is None else getattr(row, name) * factor
                               for name in SCALED}
    return replace(row, adjustment=adjustment, **figures)


def _real(row: SalarySummary, index: PriceIndex) -> SalarySummary:
    base = index.latest_full_year
    if row.year is None:
        return _withheld_figures(row, RowAdjustment("REAL", False, "the year is unknown, so its prices are too",
                                                    unit=f"USD of {base}", base_year=base, source=CPI_SOURCE.slug))
    try:
        real = index.adjust(1.0, "USD", row.year)
    except NotAdjustable as exc:
        return _withheld_figures(row, RowAdjustment("REAL", False, exc.message, unit=f"USD of {base}",
                                                    base_year=base, source=CPI_SOURCE.slug))
    return _scaled(row, RowAdjustment(
        "REAL", True, factor=real.amount, unit=f"USD of {real.base_year}", base_year=real.base_year,
        series=real.series, series_title=real.series_title, index_year=real.index_year, index_base=real.index_base,
        months_year=real.months_year, months_base=real.months_base, rule=real.rule, source=CPI_SOURCE.slug))


def _ppp(row: SalarySummary, table: PppTable, rates: fx.RateTable) -> SalarySummary:
    unit = "international $"
    if row.year is None or row.country is None:
        why = "the year is unknown" if row.year is None else "the country is unknown"
        return _withheld_figures(row, RowAdjustment("PPP", False, why, unit=unit, source=PPP_SOURCE))
    try:
        done = table.to_international(1.0, row.currency or "", row.year, row.country, rates)
    except NotConvertible as exc:
        return _withheld_figures(row, RowAdjustment("PPP", False, exc.message, unit=unit, country=row.country,
                                                    source=PPP_SOURCE))
    return _scaled(row, RowAdjustment(
        "PPP", True, factor=done.amount, unit=unit, country=done.country, local_currency=done.local_currency,
        ppp_factor=done.factor.value, ppp_year=done.factor.year, exchange_factor=done.exchange_factor,
        exchange_year=done.exchange_year, rule=done.rule, source=PPP_SOURCE))


async def adjust(resources: Resources, kind: str, rows: list[SalarySummary]) -> list[SalarySummary]:
    """`rows` (of the levels `check` allows) with their figures adjusted, each saying how."""
    if kind == "REAL":
        try:
            index = await price_index()
        except LookupError as exc:
            raise BadUserInput(str(exc), field="adjust") from None
        return [_real(row, index) for row in rows]
    table, rates = await load_ppp(resources.db), await fx.load_rates(resources.db)
    return [_ppp(row, table, rates) for row in rows]
