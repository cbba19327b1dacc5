"""Countries (ISO 3166-1 alpha-2) and the location strings salary files use.

levels.fyi writes "City, ST" for the United States (ST a state code) and "City, Region, Country"
elsewhere; a few country names differ from ISO's ("Korea, South", "Hong Kong (SAR)").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pycountry

US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ "
    "NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR GU VI AS MP".split()
)

COUNTRY_ALIASES = {
    "korea, south": "KR", "south korea": "KR", "korea, north": "KP", "hong kong (sar)": "HK",
    "russia": "RU", "czech republic": "CZ", "turkey": "TR", "vietnam": "VN", "taiwan": "TW",
    "iran": "IR", "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ", "moldova": "MD",
    "uk": "GB", "usa": "US", "united states of america": "US", "macau (sar)": "MO",
    "burma": "MM", "ivory coast": "CI", "laos": "LA", "syria": "SY", "palestine": "PS",
}


@dataclass(frozen=True)
class Location:
    city: str | None
    region: str | None
    country: str  # ISO 3166-1 alpha-2


@lru_cache(maxsize=1024)
def country_code(name: str) -> str | None:
    """ISO alpha-2 for a country name or code, or None when unknown."""
    text = name.strip()
    if not text:
        return None
    alias = COUNTRY_ALIASES.get(text.lower())
    if alias:
        return alias
    if len(text) == 2 and text.isalpha():
        found = pycountry.countries.get(alpha_2=text.upper())
        if found is not None:
            return str(found.alpha_2)
    try:
        return str(pycountry.countries.lookup(text).alpha_2)
    except LookupError:
        return None


def parse_location(text: str) -> Location | None:
    """A levels.fyi location, or None when its country cannot be told."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts:
        return None
    if len(parts) >= 3 and parts[-1].lower() in ("south", "north"):
        parts = [*parts[:-2], f"{parts[-2]}, {parts[-1]}"]  # "Korea, South"
    if len(parts) == 2 and parts[1].upper() in US_STATES and len(parts[1]) == 2:
        return Location(city=parts[0], region=parts[1].upper(), country="US")
    country = country_code(parts[-1])
    if country is None:
        return None
    city = parts[0] if len(parts) >= 2 else None
    region = ", ".join(parts[1:-1]) or None
    return Location(city=city, region=region, country=country)
