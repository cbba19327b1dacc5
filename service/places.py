"""Countries (ISO 3166-1 alpha-2), their regions (ISO 3166-2) and the place names salary files use.

One resolver for names, codes and the variants public surveys write ("Republic of Korea",
"Iran, Islamic Republic of...", "Hong Kong (S.A.R.)", "Swaziland"): an exact pycountry lookup
(never a fuzzy one, which reads "Republic of Korea" as North Korea), after a small alias table for
what pycountry lacks, and with the survey's trailing "..." removed. Kosovo is `XK`, the code the
EU, the IMF and most data sets use in place of an ISO one.

levels.fyi writes "City, ST" for the United States (ST a state code) and "City, Region, Country"
elsewhere, its regions as short codes that are often the ISO 3166-2 ones ("Bangalore, KA, India").

U.S. metropolitan areas are titled by their principal cities and states, as OMB names them and
OEWS and the CPI use them: "Austin-Round Rock-San Marcos, TX" (cities joined by "-", or by "--"
when a city's own name has a hyphen: "Scranton--Wilkes-Barre, PA"); `metro_title` reads one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pycountry

US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ "
    "NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR GU VI AS MP".split()
)
#: Codes careergraph accepts that ISO 3166-1 has not assigned.
EXTRA_COUNTRY_CODES = {"XK": "Kosovo"}

COUNTRY_ALIASES = {
    "korea, south": "KR", "south korea": "KR", "republic of korea": "KR", "korea": "KR",
    "korea, north": "KP", "north korea": "KP", "democratic people's republic of korea": "KP",
    "hong kong (sar)": "HK", "hong kong (s.a.r.)": "HK", "hong kong s.a.r.": "HK", "macau (sar)": "MO",
    "russia": "RU", "czech republic": "CZ", "turkey": "TR", "vietnam": "VN", "taiwan": "TW",
    "iran": "IR", "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ", "moldova": "MD", "syria": "SY",
    "uk": "GB", "united kingdom": "GB", "great britain": "GB", "england": "GB", "scotland": "GB",
    "wales": "GB", "northern ireland": "GB", "usa": "US", "united states of america": "US", "us": "US",
    "burma": "MM", "ivory coast": "CI", "laos": "LA", "palestine": "PS", "kosovo": "XK",
    "cape verde": "CV", "swaziland": "SZ", "macedonia": "MK",
    "the former yugoslav republic of macedonia": "MK",
    "libyan arab jamahiriya": "LY", "democratic republic of the congo": "CD", "dr congo": "CD",
    "congo, republic of the": "CG", "republic of the congo": "CG", "micronesia": "FM",
    "micronesia, federated states of": "FM", "vatican": "VA", "holy see": "VA", "brunei": "BN",
}
#: Region codes salary files use where ISO 3166-2 has others, by country.
REGION_ALIASES = {"GB": {"EN": "GB-ENG", "SC": "GB-SCT", "WA": "GB-WLS", "NI": "GB-NIR"}}


@dataclass(frozen=True)
class MetroTitle:
    cities: tuple[str, ...]  # the principal cities, as the title names them
    states: tuple[str, ...]  # USPS codes, the first being the one most of the area lies in
    whole: str  # the cities' part of the title, for a single city whose name has a hyphen ("Winston-Salem")


def metro_title(title: str) -> MetroTitle | None:
    """The principal cities and states a metropolitan area's title names; None for a title that
    names none ("West Texas nonmetropolitan area", "Urban Alaska")."""
    text = title.strip()
    names, comma, states = text.rpartition(",")
    if not comma:  # the CPI writes "Seattle-Tacoma-Bellevue WA"
        names, _, states = text.rpartition(" ")
    codes = tuple(code.strip().upper() for code in states.split("-"))
    if not names.strip() or not codes or not all(len(code) == 2 and code in US_STATES for code in codes):
        return None
    parts = names.split("--") if "--" in names else names.split("-")
    return MetroTitle(tuple(p.strip() for p in parts if p.strip()), codes, names.strip())


def place_key(name: str) -> str:
    """A city's name folded for matching: case, accents, punctuation, "Saint"/"St." and "Fort"/"Ft."."""
    words = re.sub(r"[^a-z0-9]+", " ", _fold(name)).split()
    return " ".join({"saint": "st", "ft": "fort"}.get(word, word) for word in words)


@dataclass(frozen=True)
class Location:
    city: str | None
    region: str | None  # as the source wrote it
    country: str  # ISO 3166-1 alpha-2 (or XK)
    region_code: str | None = None  # ISO 3166-2, where it can be told


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


@lru_cache(maxsize=4096)
def country_code(name: str) -> str | None:
    """ISO alpha-2 for a country name or code, or None when unknown (never a guess)."""
    text = re.sub(r"\s*\.{3}$|\s*…$", "", name.strip())
    if not text:
        return None
    alias = COUNTRY_ALIASES.get(text.lower())
    if alias:
        return alias
    if len(text) == 2 and text.isalpha():
        code = text.upper()
        known = pycountry.countries.get(alpha_2=code) is not None or code in EXTRA_COUNTRY_CODES
        return code if known else None
    try:
        return str(pycountry.countries.lookup(text).alpha_2)
    except LookupError:
        return None


@lru_cache(maxsize=4096)
def region_code(country: str, region: str) -> str | None:
    """ISO 3166-2 for a region of `country` written as its code ("KA", "IN-KA") or its name."""
    text = region.strip()
    if not text or not country:
        return None
    if country == "US":
        return f"US-{text.upper()}" if text.upper() in US_STATES else None
    alias = REGION_ALIASES.get(country, {}).get(text.upper())
    if alias:
        return alias
    subdivisions = pycountry.subdivisions.get(country_code=country) or []
    code = text.upper() if text.upper().startswith(f"{country}-") else f"{country}-{text.upper()}"
    folded = _fold(text)
    for subdivision in subdivisions:
        if subdivision.code == code or _fold(subdivision.name) == folded:
            return str(subdivision.code)
    return None


def parse_location(text: str) -> Location | None:
    """A levels.fyi location, or None when its country cannot be told."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts:
        return None
    if len(parts) >= 3 and parts[-1].lower() in ("south", "north"):
        parts = [*parts[:-2], f"{parts[-2]}, {parts[-1]}"]  # "Korea, South"
    if len(parts) == 2 and parts[1].upper() in US_STATES and len(parts[1]) == 2:
        state = parts[1].upper()
        return Location(city=parts[0], region=state, country="US", region_code=f"US-{state}")
    country = country_code(parts[-1])
    if country is None:
        return None
    city = parts[0] if len(parts) >= 2 else None
    region = ", ".join(parts[1:-1]) or None
    return Location(city=city, region=region, country=country,
                    region_code=region_code(country, region) if region else None)
