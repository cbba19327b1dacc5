"""Official figures for decisions: the OEWS cell of a role's main occupation at a place.

A role reaches OEWS through its O*NET codes (SOC). When it has several occupations, the one with
the most employment at the place speaks for it (`occupation` says which), all industries, the
newest release. A figure BLS gives only as a bound (footnote 5) is no number: it is in `at_least`.
"""

from __future__ import annotations

from dataclasses import dataclass

from service.decisions.places import Place
from service.official.oews_model import OfficialWage
from service.official.oews_reads import Db, WageQuery, wages_for

ANNUAL_PERCENTILES = (("p10", "annual_p10"), ("p25", "annual_p25"), ("p50", "annual_median"), ("p75", "annual_p75"),
                      ("p90", "annual_p90"))


@dataclass(frozen=True)
class OfficialPay:
    occupation: str  # SOC
    area: str
    release: str
    employment: float | None
    location_quotient: float | None
    median: float | None
    percentiles: tuple[tuple[str, float], ...]  # released annual percentiles, in order
    at_least: tuple[tuple[str, float], ...]  # percentiles BLS gives only as a lower bound
    source: str | None

    @classmethod
    def of(cls, wage: OfficialWage, source: str | None) -> OfficialPay:
        values = wage.values
        return cls(occupation=wage.occupation, area=wage.area, release=wage.release,
                   employment=values.get("employment"), location_quotient=values.get("location_quotient"),
                   median=values.get("annual_median"),
                   percentiles=tuple((label, float(v)) for label, name in ANNUAL_PERCENTILES
                                     if (v := values.get(name)) is not None),
                   at_least=tuple((label, wage.at_least[name]) for label, name in ANNUAL_PERCENTILES
                                  if name in wage.at_least), source=source)


def main_occupation(wages: list[OfficialWage]) -> OfficialWage | None:
    return max(wages, key=lambda w: (w.values.get("employment") or 0, w.occupation), default=None)


async def official_pay(db: Db, onet_codes: dict[str, tuple[str, ...]], place: Place) -> dict[str, OfficialPay | None]:
    """Each role's (slug -> its O*NET codes) main occupation's cell at the place, in one query."""
    roles = [role for role, codes in onet_codes.items() if codes]
    queries = [WageQuery.for_role(onet_codes[role], place.area, None, None, 100) for role in roles]
    found = await wages_for(db, queries) if queries else []
    sources = {}
    if found:
        release = next((w.release for wages in found for w in wages), None)
        sources = {release: f"bls-oews-{release.lower()}"} if release else {}
    out: dict[str, OfficialPay | None] = dict.fromkeys(onet_codes)
    for role, wages in zip(roles, found, strict=True):
        main = main_occupation(wages)
        out[role] = OfficialPay.of(main, sources.get(main.release)) if main is not None else None
    return out
