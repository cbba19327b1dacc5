"""Official wages from BLS's Occupational Employment and Wage Statistics (OEWS), as stored.

One document a cell: an area (national, a state, a metro area) x an industry x an occupation,
with the 17 figures BLS publishes for it and what BLS says about each: not released (`-`), or a
bound, never a number to average (footnote 5: the wage is at least $115.00 an hour or $239,200 a
year). Occupations are SOC codes ("15-1252"); careergraph roles reach them through their O*NET
codes (15-1252.00 is SOC 15-1252).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from service.errors import BadUserInput

#: BLS datatype code -> careergraph field name.
DATATYPES = {
    "01": "employment", "02": "employment_rse", "03": "hourly_mean", "04": "annual_mean", "05": "wage_rse",
    "06": "hourly_p10", "07": "hourly_p25", "08": "hourly_median", "09": "hourly_p75", "10": "hourly_p90",
    "11": "annual_p10", "12": "annual_p25", "13": "annual_median", "14": "annual_p75", "15": "annual_p90",
    "16": "jobs_per_1000", "17": "location_quotient",
}
FIGURES = tuple(DATATYPES.values())
AREA_TYPES = {"N": "NATIONAL", "S": "STATE", "M": "METRO"}
TOP_CODED = "5"  # footnote: the wage is at least this much
NOT_RELEASED = "8"
HOURLY_BOUND, ANNUAL_BOUND = 115.00, 239_200.0
NOTICE = ("BLS has not reviewed careergraph's figures: comparisons, conversions and other analyses "
          "derived from OEWS estimates are careergraph's, not the Bureau of Labor Statistics'.")
NATIONAL_AREA = "0000000"
ALL_INDUSTRIES = "000000"
#: USPS code -> FIPS code of the states, DC and the territories OEWS covers.
STATE_FIPS = dict(zip(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK "
    "OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI".split(),
    "01 02 04 05 06 08 09 10 11 12 13 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40 "
    "41 42 44 45 46 47 48 49 50 51 53 54 55 56 72 66 78".split(), strict=True))


def area_code(area: str) -> str:
    """"US" -> the nation; "TX" or "US-TX" -> the state's OEWS code; a 7-digit OEWS code as it is;
    BadUserInput otherwise."""
    text = area.strip().upper()
    if text in ("US", "USA", NATIONAL_AREA):
        return NATIONAL_AREA
    postal = text.removeprefix("US-")
    if postal in STATE_FIPS:
        return f"{STATE_FIPS[postal]}00000"
    if len(text) == 7 and text.isdigit():
        return text
    raise BadUserInput("an area is US, a state (TX or US-TX) or a 7-digit OEWS area code (see `areas`)",
                       field="area")


def soc_code(digits: str) -> str:
    """"151252" -> "15-1252"."""
    return f"{digits[:2]}-{digits[2:]}" if len(digits) == 6 and "-" not in digits else digits


def onet_to_soc(onet: str) -> str:
    """O*NET-SOC "15-1252.00" -> SOC "15-1252"."""
    return onet.split(".")[0]


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    type: str  # NATIONAL, STATE or METRO
    state: str | None  # the state's FIPS code ("48"), None for the nation

    def to_document(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "type": self.type, "state": self.state}

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> Area:
        return cls(code=doc["code"], name=doc["name"], type=doc["type"], state=doc.get("state"))


@dataclass(frozen=True)
class OfficialWage:
    """One OEWS cell."""

    area: str
    area_type: str
    industry: str
    occupation: str  # SOC, "15-1252"
    release: str  # "2025A01"
    values: dict[str, float | None] = field(default_factory=dict)
    at_least: dict[str, float] = field(default_factory=dict)  # field -> the bound it is at least
    not_released: tuple[str, ...] = ()
    footnotes: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.release}:{self.area}:{self.industry}:{self.occupation}"

    def to_document(self) -> dict[str, Any]:
        return {"_id": self.key, "area": self.area, "area_type": self.area_type, "industry": self.industry,
                "occupation": self.occupation, "release": self.release, **self.values,
                "at_least": self.at_least, "not_released": list(self.not_released),
                "footnotes": {k: list(v) for k, v in self.footnotes.items()}}

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> OfficialWage:
        return cls(area=doc["area"], area_type=doc["area_type"], industry=doc["industry"],
                   occupation=doc["occupation"], release=doc["release"],
                   values={name: doc.get(name) for name in FIGURES}, at_least=doc.get("at_least") or {},
                   not_released=tuple(doc.get("not_released") or ()),
                   footnotes={k: tuple(v) for k, v in (doc.get("footnotes") or {}).items()})


_UNRELEASED = frozenset({"", "-", "#", "*", "**"})
_BOUND = {name: HOURLY_BOUND if name.startswith("hourly") else ANNUAL_BOUND for name in FIGURES}


def _number(name: str, text: str) -> float:
    try:
        value = float(text.replace(",", "") if "," in text else text)
    except ValueError:
        raise ValueError(f"{name} is {text[:20]!r}, not a number") from None
    if not 0 <= value < math.inf:  # NaN fails too
        raise ValueError(f"{name} is {text[:20]!r}, not a figure BLS publishes")
    return value


def cell_from_texts(area: str, area_type: str, industry: str, occupation: str, release: str,
                    texts: dict[str, str], notes: dict[str, tuple[str, ...]]) -> OfficialWage:
    """A cell from BLS's texts per figure ("148100", "-") and footnote codes per figure."""
    values: dict[str, float | None] = {}
    at_least: dict[str, float] = {}
    withheld = []
    for name in FIGURES:
        text = texts.get(name) or ""
        if text[:1].isspace() or text[-1:].isspace():
            text = text.strip()
        if notes and TOP_CODED in notes.get(name, ()):
            values[name] = None
            at_least[name] = _BOUND[name]
        elif text in _UNRELEASED:
            values[name] = None
            withheld.append(name)
        else:
            values[name] = _number(name, text)
    return OfficialWage(area=area, area_type=AREA_TYPES.get(area_type, area_type), industry=industry,
                        occupation=soc_code(occupation), release=release, values=values, at_least=at_least,
                        not_released=tuple(withheld), footnotes={k: v for k, v in notes.items() if v})
