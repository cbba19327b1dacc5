"""Properties of row parsing: every row is accounted for, and only ValueError means "bad row"."""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import replace
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from service.bands import BAND_BOUNDS, ExperienceBand, experience_band
from service.ingest.report import ImportReport
from service.ingest.salaries import LEVELS_FYI, SalaryFormat, observation_from_row, parse_rows
from service.ingest.salary_rows import canonical, identity_key

HEADER = "company;title;totalyearlycompensation;location;yearsofexperience;yearsatcompany;tag;gender;Education"
printable = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"),
                    max_size=40)


@settings(max_examples=150, deadline=None)
@given(lines=st.lists(printable, max_size=20))
def test_every_line_is_imported_or_rejected(tmp_path_factory: object, lines: list[str]) -> None:
    path = Path(str(tmp_path_factory.mktemp("prop"))) / "f.csv"  # type: ignore[attr-defined]
    path.write_text(HEADER + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    report = ImportReport(kind="test")
    good = list(parse_rows(path, LEVELS_FYI, report))
    non_blank = [line for line in lines if line.encode().strip()]  # blank means ASCII whitespace only
    assert report.records_read == len(non_blank)
    assert len(good) + report.rejected_count == report.records_read


@settings(max_examples=200, deadline=None)
@given(amount=st.floats(min_value=1_000, max_value=5_000_000),
       years=st.floats(min_value=0, max_value=60),
       tag=st.sampled_from(["Full Stack", "API Development (Back-End)", "Security", ""]))
def test_valid_rows_keep_amount_and_band(amount: float, years: float, tag: str) -> None:
    row = {"company": "X", "title": "Software Engineer", "totalyearlycompensation": repr(amount),
           "location": "Austin, TX", "yearsofexperience": repr(years), "yearsatcompany": "1", "tag": tag}
    doc = observation_from_row(row, LEVELS_FYI).observation.to_document()
    assert math.isclose(doc["amount"], amount)
    assert doc["experience_band"] == experience_band(years).value
    assert doc["country"] == "US" and doc["currency"] == "USD"


@given(years=st.floats(min_value=0, max_value=60))
def test_bands_are_half_open_and_cover_everything(years: float) -> None:
    band = experience_band(years)
    matching = [b for b, low, high in BAND_BOUNDS if low <= years < high]
    assert matching == [band]


def test_band_boundaries() -> None:
    cases = {0: "entry", 0.99: "entry", 1: "early", 3: "early", 3.99: "early", 4: "mid", 6.5: "mid",
             7: "experienced", 9.99: "experienced", 10: "senior", 60: "senior"}
    for years, band in cases.items():
        assert experience_band(years) == ExperienceBand(band), years
    for bad in (-0.1, 60.1, math.nan):
        try:
            experience_band(bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad} should be refused")


def test_the_importer_checks_rows_as_submissions_are_checked() -> None:
    good = {"company": "X", "title": "Software Engineer", "totalyearlycompensation": "150000",
            "location": "Austin, TX", "yearsofexperience": "5", "yearsatcompany": "1", "tag": ""}
    assert observation_from_row(good, LEVELS_FYI).observation.amount == 150_000
    for field, value, why in (("yearsatcompany", "-2", "years at company"), ("company", "x" * 100_000, "over 120"),
                              ("yearsofexperience", "61", "years of experience")):
        try:
            observation_from_row({**good, field: value}, LEVELS_FYI)
        except ValueError as exc:
            assert why in str(exc), str(exc)
        else:
            raise AssertionError(f"{field}={value[:20]!r} should be refused")
    xxx = SalaryFormat(**{**vars(LEVELS_FYI), "defaults": {"currency": "XXX"}})
    try:
        observation_from_row(good, xxx)
    except ValueError as exc:
        assert "unknown currency 'XXX'" in str(exc)
    else:
        raise AssertionError("XXX is no currency anyone is paid in")


@settings(max_examples=200, deadline=None)
@given(row=st.dictionaries(printable, printable, max_size=8), occurrence=st.integers(1, 50),
       identity=st.sampled_from(["row", "occurrence"]))
def test_identity_keys_are_the_documented_hash_of_the_whole_record(
        row: dict[str, str], occurrence: int, identity: str) -> None:
    """Keys stored by earlier releases must come out the same, or a re-import would duplicate:
    the SHA-256 of the JSON list [source slug, sorted columns(, occurrence)]."""
    fmt = replace(LEVELS_FYI, identity=identity)
    material: list[object] = [fmt.source.slug, sorted(row.items())]
    if identity == "occurrence":
        material.append(occurrence)
    expected = hashlib.sha256(json.dumps(material, ensure_ascii=False).encode()).hexdigest()
    assert identity_key(row, fmt, occurrence) == expected
    assert identity_key(row, fmt, occurrence, canonical(row)) == expected
