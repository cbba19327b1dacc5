import pytest

from service.money import implausible_reason, is_currency
from service.places import Location, country_code, parse_location, region_code


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
    found = parse_location(text)
    assert found is not None and (found.city, found.region, found.country) == (
        expected.city, expected.region, expected.country)


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


@pytest.mark.parametrize(("name", "code"), [
    ("United States of America", "US"), ("Republic of Korea", "KR"), ("Iran, Islamic Republic of...", "IR"),
    ("Hong Kong (S.A.R.)", "HK"), ("Venezuela, Bolivarian Republic of...", "VE"),
    ("Democratic Republic of the Congo", "CD"), ("Kosovo", "XK"), ("Cape Verde", "CV"), ("Swaziland", "SZ"),
    ("United Kingdom of Great Britain and Northern Ireland", "GB"), ("Viet Nam", "VN"), ("Türkiye", "TR"),
    ("Turkey", "TR"), ("de", "DE"), ("XK", "XK"), ("Nomadic", None), ("Atlantis", None), ("", None),
])
def test_country_names_from_public_surveys(name: str, code: str | None) -> None:
    assert country_code(name) == code


def test_regions_are_told_as_iso_3166_2_where_they_can_be() -> None:
    assert parse_location("Bangalore, KA, India").region_code == "IN-KA"  # type: ignore[union-attr]
    assert parse_location("Seattle, WA").region_code == "US-WA"  # type: ignore[union-attr]
    assert parse_location("London, EN, United Kingdom").region_code == "GB-ENG"  # type: ignore[union-attr]
    assert parse_location("Berlin, BE, Germany").region_code == "DE-BE"  # type: ignore[union-attr]
    unknown = parse_location("Somewhere, QQ, Germany")
    assert unknown is not None and unknown.region == "QQ" and unknown.region_code is None
    assert region_code("DE", "Bayern") == "DE-BY"
