import pytest

from service.money import implausible_reason, is_currency
from service.places import Location, country_code, parse_location


@pytest.mark.parametrize(("text", "expected"), [
    ("Mountain View, CA", Location("Mountain View", "CA", "US")),
    ("Washington, DC", Location("Washington", "DC", "US")),
    ("Bangalore, KA, India", Location("Bangalore", "KA", "IN")),
    ("Seoul, KG, Korea, South", Location("Seoul", "KG", "KR")),
    ("Hong Kong, HK, Hong Kong (SAR)", Location("Hong Kong", "HK", "HK")),
    ("Moscow, MOW, Russia", Location("Moscow", "MOW", "RU")),
    ("Prague, PR, Czech Republic", Location("Prague", "PR", "CZ")),
    ("Berlin, Germany", Location("Berlin", None, "DE")),
])
def test_locations(text: str, expected: Location) -> None:
    assert parse_location(text) == expected


@pytest.mark.parametrize("text", ["", "Nowhere, XX, Atlantis", "Springfield, ZZ"])
def test_unknown_places(text: str) -> None:
    assert parse_location(text) is None


def test_country_codes() -> None:
    assert country_code("GB") == "GB" and country_code("United Kingdom") == "GB"
    assert country_code("Turkey") == "TR" and country_code("Narnia") is None


def test_currencies_and_plausibility() -> None:
    assert is_currency("USD") and is_currency("INR") and not is_currency("XYZ") and not is_currency("usd")
    assert implausible_reason(82_326, "USD") is None
    assert implausible_reason(7_770_000, "INR") is None  # the article's Java developer average
    assert "small" in (implausible_reason(100, "USD") or "")
    assert "large" in (implausible_reason(50_000_000, "USD") or "")
    assert "greater than 0" in (implausible_reason(-1, "EUR") or "")
