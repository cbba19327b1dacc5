"""Generators of official-data files in their publishers' own formats, for the importers' tests:
BLS OEWS flat files (`oe.*`, tab separated) and ECB reference-rate CSVs.

Each generator returns what it wrote, so tests compare what was stored with the file, never with
what the importer produced.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from service.official.oews_model import DATATYPES

AREAS = [("00", "0000000", "N", "U.S."), ("48", "4800000", "S", "Texas"), ("06", "0600000", "S", "California"),
         ("48", "0012420", "M", "Austin-Round Rock-San Marcos, TX")]
OCCUPATIONS = [("000000", "All Occupations", 0), ("150000", "Computer and Mathematical Occupations", 0),
               ("151200", "Computer Occupations", 1), ("151250", "Software and Web Developers, Programmers, and "
                                                               "Testers", 2),
               ("151252", "Software Developers", 3), ("151253", "Software Quality Assurance Analysts and Testers", 3)]
INDUSTRIES = [("000000", "Cross-industry, Private, Federal, State, and Local Government", 0),
              ("541500", "Computer Systems Design and Related Services", 4)]
FOOTNOTES = [("5", "This wage is equal to or greater than $115.00 per hour or $239,200 per year."),
             ("8", "Estimate not released.")]


@dataclass
class FlatCell:
    """One cell: its figures as BLS writes them (datatype code -> text) and footnotes per figure."""

    area: str
    area_type: str
    industry: str
    occupation: str  # six digits, "151252"
    texts: dict[str, str]
    footnotes: dict[str, str] = field(default_factory=dict)

    def series(self, datatype: str) -> str:
        return f"OEU{self.area_type}{self.area}{self.industry}{self.occupation}{datatype}"


def full_texts(employment: int, annual_median: int) -> dict[str, str]:
    """All 17 figures of a cell, plausible and distinct, built around two of them."""
    hourly = annual_median / 2080
    return {"01": f"{employment:,}", "02": "0.6", "03": f"{hourly * 1.05:.2f}", "04": f"{annual_median * 1.05:.0f}",
            "05": "0.4", "06": f"{hourly * 0.6:.2f}", "07": f"{hourly * 0.78:.2f}", "08": f"{hourly:.2f}",
            "09": f"{hourly * 1.25:.2f}", "10": f"{hourly * 1.5:.2f}", "11": f"{annual_median * 0.6:.0f}",
            "12": f"{annual_median * 0.78:.0f}", "13": f"{annual_median}", "14": f"{annual_median * 1.25:.0f}",
            "15": f"{annual_median * 1.5:.0f}", "16": "11.2", "17": "1.05"}


def write_flat_files(directory: Path, cells: list[FlatCell], bad_lines: tuple[str, ...] = (),
                     areas: list[tuple[str, str, str, str]] | None = None) -> Path:
    """BLS's six files for `cells` (plus `bad_lines` appended to the data file, as they are), with
    `areas` (state code, area code, type, name) in `oe.area` (default `AREAS`)."""
    directory.mkdir(parents=True, exist_ok=True)

    def write(name: str, header: list[str], rows: list[tuple[object, ...]]) -> None:
        lines = ["\t".join(header)] + ["\t".join(str(v) for v in row) for row in rows]
        (directory / name).write_text("\n".join(lines) + "\n", encoding="utf-8")

    write("oe.area", ["state_code", "area_code", "areatype_code", "area_name"], AREAS if areas is None else areas)
    write("oe.occupation", ["occupation_code", "occupation_name", "display_level"], OCCUPATIONS)
    write("oe.industry", ["industry_code", "industry_name", "display_level"], INDUSTRIES)
    write("oe.datatype", ["datatype_code", "datatype_name"], [(code, name) for code, name in DATATYPES.items()])
    write("oe.footnote", ["footnote_code", "footnote_text"], FOOTNOTES)
    rows = [(cell.series(code), "2025", "A01", text, cell.footnotes.get(code, ""))
            for cell in cells for code, text in sorted(cell.texts.items())]
    write("oe.data.0.Current", ["series_id", "year", "period", "value", "footnote_codes"], rows)
    if bad_lines:
        with open(directory / "oe.data.0.Current", "a", encoding="utf-8") as handle:
            handle.write("\n".join(bad_lines) + "\n")
    return directory


def write_ecb_csv(path: Path, rates: dict[str, dict[int, list[float]]], start: date = date(2022, 1, 3)) -> Path:
    """An ECB-format file: for each year, one working day per rate given, `N/A` where a currency
    has fewer days that year. `rates` is {currency: {year: [daily units per euro]}}."""
    currencies = sorted(rates)
    years = sorted({year for by_year in rates.values() for year in by_year})
    lines = ["Date," + ",".join(currencies) + ","]
    for year in years:
        days = max(len(rates[c].get(year, [])) for c in currencies)
        day = date(year, start.month, start.day)
        for index in range(days):
            values = [rates[c].get(year, [])[index] if index < len(rates[c].get(year, [])) else None
                      for c in currencies]
            lines.append(day.isoformat() + "," + ",".join("N/A" if v is None else repr(v) for v in values) + ",")
            day += timedelta(days=1)
    lines.reverse()  # the ECB's file is newest first
    lines.insert(0, lines.pop())
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


WORLD_BANK_HEADER_YEARS = range(2015, 2025)


def write_world_bank_csv(path: Path, rows: list[tuple[str, str, dict[int, str]]], bad_lines: tuple[str, ...] = (),
                         indicator: str = "PA.NUS.PPP") -> Path:
    """A World Bank indicator file as data.worldbank.org gives it (API_..._DS2_en_csv_v2): four
    preamble lines, the header, a row per (name, code, {year: value text}), every line ending with
    a comma; `bad_lines` are written after the rows as they are."""
    def quoted(cells: list[str]) -> str:
        return ",".join(f'"{cell}"' for cell in cells) + ","

    lines = ['"Data Source","World Development Indicators",', "", '"Last Updated Date","2025-07-01",', "",
             quoted(["Country Name", "Country Code", "Indicator Name", "Indicator Code",
                     *map(str, WORLD_BANK_HEADER_YEARS)])]
    for name, code, values in rows:
        lines.append(quoted([name, code, "PPP conversion factor, GDP (LCU per international $)", indicator,
                             *(values.get(year, "") for year in WORLD_BANK_HEADER_YEARS)]))
    lines.extend(bad_lines)
    path.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    return path
