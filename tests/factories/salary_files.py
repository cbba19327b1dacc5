"""Salary files in the public formats, written by the tests: good records drawn from a seeded
random generator, and every kind of bad record real exports have. Each writer returns the file
and what a correct import must find in it, computed from what was written (never from what an
importer stored)."""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

AI_JOBS_HEADER = ["work_year", "experience_level", "employment_type", "job_title", "salary", "salary_currency",
                  "salary_in_usd", "employee_residence", "remote_ratio", "company_location", "company_size"]
SO_HEADER = ["ResponseId", "MainBranch", "Employment", "RemoteWork", "EdLevel", "YearsCodePro", "DevType",
             "OrgSize", "Country", "Currency", "CompTotal", "ConvertedCompYearly"]
AI_BANDS = {"EN": "entry", "MI": "mid", "SE": "senior", "EX": "senior"}
AI_TYPES = {"FT": "full-time", "PT": "part-time", "CT": "contract", "FL": "freelance"}
AI_TITLES = {"Back End Developer": "backend-developer", "Machine Learning Engineer": "machine-learning-engineer",
             "Data Scientist": "data-scientist"}
PLACES = [("US", "USD", 1.0), ("GB", "GBP", 1.27), ("DE", "EUR", 1.08), ("IN", "INR", 0.012)]


@dataclass
class Expected:
    """What the file holds: its good records as observations would be, and its bad records' lines."""

    records: int = 0
    good: list[dict[str, Any]] = field(default_factory=list)
    bad_lines: dict[int, str] = field(default_factory=dict)  # line -> what is wrong


def _write(path: Path, header: list[str], rows: list[list[str] | str]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            if isinstance(row, str):
                handle.write(row + "\n")
            else:
                writer.writerow(row)


def ai_jobs_file(path: Path, good: int = 120, seed: int = 3) -> Expected:
    rnd = random.Random(seed)
    expected, rows = Expected(), []
    line = 1
    for i in range(good):
        country, currency, usd = rnd.choice(PLACES)
        title = rnd.choice(list(AI_TITLES))
        level = rnd.choice(list(AI_BANDS))
        kind = rnd.choices(list(AI_TYPES), [8, 1, 1, 1])[0]
        amount = float(round(rnd.lognormvariate(11.3, 0.35) / usd, -2))
        row = [str(rnd.choice([2022, 2023, 2024])), level, kind, title, f"{amount:.0f}", currency,
               f"{amount * usd:.0f}", country, rnd.choice(["0", "50", "100"]), country, rnd.choice("SML")]
        rows.append(row)
        line += 1
        expected.good.append({"line": line, "role": AI_TITLES[title], "country": country, "currency": currency,
                              "amount": amount, "band": AI_BANDS[level], "employment_type": AI_TYPES[kind],
                              "published": round(amount * usd), "level": level})
        if i % 40 == 0:  # the same person in every mapped column, another in company_location: two people
            twin = [*row[:9], "CA", row[10]]
            rows.append(twin)
            line += 1
            expected.good.append({**expected.good[-1], "line": line})
        if i % 50 == 0:  # a record repeated line for line: two lines, two people
            rows.append(list(row))
            line += 1
            expected.good.append({**expected.good[-1], "line": line})
    bad = [
        (["2024", "SE", "FT", "Data Scientist", "90000", "ZZZ", "90000", "US", "0", "US", "M"], "unknown currency"),
        (["2024", "SE", "FT", "Data Scientist", "", "USD", "", "US", "0", "US", "M"], "no pay"),
        (["2024", "SE", "FT", "Data Scientist", "90000", "USD", "90000", "Atlantis", "0", "US", "M"], "country"),
        (["2024", "ZZ", "FT", "Data Scientist", "90000", "USD", "90000", "US", "0", "US", "M"], "experience level"),
        (["2024", "SE", "FT", "Data Scientist", "90000", "USD", "90000", "US", "150", "US", "M"], "remote ratio"),
        (["2024", "SE", "XX", "Data Scientist", "90000", "USD", "90000", "US", "0", "US", "M"], "employment type"),
        (["2024", "SE", "FT", "Data Scientist", "90000", "USD"], "columns"),
        ('2024,SE,FT,"Data Scientist,90000,USD,90000,US,0,US,M', "broken quoting"),
        (["2024", "SE", "FT", "Data Scientist", "-5", "USD", "-5", "US", "0", "US", "M"], "amount"),
    ]
    for row, why in bad:
        rows.append(row)
        line += 1
        expected.bad_lines[line] = why
    expected.records = len(rows)
    _write(path, AI_JOBS_HEADER, rows)
    return expected


SO_TYPES = {"Employed, full-time": "full-time", "Independent contractor, freelancer, or self-employed": "freelance"}
SO_COUNTRIES = {"United States of America": ("US", "USD United States dollar"),
                "Republic of Korea": ("KR", "KRW\tSouth Korean won"),
                "Germany": ("DE", "EUR European Euro"), "Hong Kong (S.A.R.)": ("HK", "HKD\tHong Kong dollar"),
                "Iran, Islamic Republic of...": ("IR", "IRR\tIranian rial")}
SO_YEARS = {"Less than 1 year": ("0.5", "entry"), "More than 50 years": ("51", "senior"), "2": ("2", "early"),
            "5": ("5", "mid"), "8": ("8", "experienced"), "12": ("12", "senior")}
DEV_TYPES = {"Developer, back-end": "backend-developer", "Developer, front-end": "frontend-developer",
             "Data scientist or machine learning specialist": "data-scientist"}


def so_survey_file(path: Path, good: int = 90, seed: int = 5) -> Expected:
    rnd = random.Random(seed)
    expected, rows = Expected(), []
    line = 1
    scale = {"USD": 1.0, "KRW": 1300.0, "EUR": 0.92, "HKD": 7.8, "IRR": 42000.0}
    for i in range(good):
        country = rnd.choice(list(SO_COUNTRIES))
        code, currency_cell = SO_COUNTRIES[country]
        currency = currency_cell[:3]
        years_text = rnd.choice(list(SO_YEARS))
        dev = rnd.choice(list(DEV_TYPES))
        other = "Developer, QA or test"
        devtypes = f"{dev};{other}" if i % 3 else f"{other};{dev}"  # the first that fits is used
        usd = float(round(rnd.lognormvariate(11.2, 0.4), -2))
        amount = float(round(usd * scale[currency]))
        employment = rnd.choices(list(SO_TYPES), [9, 1])[0]
        rows.append([str(1000 + i), "I am a developer by profession", employment, "Remote", "Bachelor's degree",
                     years_text, devtypes, "20 to 99 employees", country, currency_cell, f"{amount:.0f}",
                     f"{usd:.0f}"])
        line += 1
        expected.good.append({"line": line, "role": DEV_TYPES[dev], "country": code, "currency": currency,
                              "amount": amount, "band": SO_YEARS[years_text][1],
                              "employment_type": SO_TYPES[employment], "published": usd})
        if i % 30 == 0:  # a second respondent who answered exactly the same: another ResponseId
            twin = list(rows[-1])
            twin[0] = str(5000 + i)
            rows.append(twin)
            line += 1
            expected.good.append({**expected.good[-1], "line": line})
    bad = [
        (["9001", "x", "Employed, full-time", "Remote", "x", "5", "Developer, back-end", "x", "Germany",
          "EUR European Euro", "NA", "NA"], "no pay"),
        (["9002", "x", "Employed, full-time", "Remote", "x", "5", "Developer, back-end", "x", "Nomadic",
          "EUR European Euro", "90000", "98000"], "country"),
        (["9003", "x", "Employed, full-time", "Remote", "x", "soon", "Developer, back-end", "x", "Germany",
          "EUR European Euro", "90000", "98000"], "years"),
        (["9004", "x", "Student, full-time", "Remote", "x", "5", "Developer, back-end", "x", "Germany",
          "EUR European Euro", "90000", "98000"], "employment type"),
    ]
    for row, why in bad:
        rows.append(row)
        line += 1
        expected.bad_lines[line] = why
    expected.records = len(rows)
    _write(path, SO_HEADER, rows)
    return expected


#: The survey's layout before 2022: no Employment or RemoteWork column, and pay given per CompFreq.
SO_OLD_HEADER = ["ResponseId", "MainBranch", "EdLevel", "YearsCodePro", "DevType", "OrgSize", "Country", "Currency",
                 "CompTotal", "CompFreq", "ConvertedCompYearly"]
SO_PERIODS = {"Yearly": 1, "Monthly": 12, "Weekly": 50}


def so_survey_old_file(path: Path, good: int = 60, seed: int = 7) -> Expected:
    """A survey file in the older layout: each record's pay per its CompFreq, and the annual amount
    a correct import must store (x 12 a month, x 50 a week, the survey's own rule)."""
    rnd = random.Random(seed)
    expected, rows = Expected(), []
    line = 1
    for i in range(good):
        country = rnd.choice(["United States of America", "Germany"])
        code, currency_cell = SO_COUNTRIES[country]
        years_text = rnd.choice(list(SO_YEARS))
        dev = rnd.choice(list(DEV_TYPES))
        period = rnd.choice(list(SO_PERIODS))
        annual = float(round(rnd.lognormvariate(11.2, 0.4), -2))
        given = round(annual / SO_PERIODS[period])
        rows.append([str(2000 + i), "I am a developer by profession", "Master's degree", years_text, dev,
                     "20 to 99 employees", country, currency_cell, str(given), period, f"{annual:.0f}"])
        line += 1
        expected.good.append({"line": line, "role": DEV_TYPES[dev], "country": code, "currency": currency_cell[:3],
                              "amount": float(given * SO_PERIODS[period]), "band": SO_YEARS[years_text][1],
                              "employment_type": None, "published": annual})
    rows.append(["9100", "x", "x", "5", "Developer, back-end", "x", "Germany", "EUR European Euro", "4000",
                 "Fortnightly", "98000"])
    line += 1
    expected.bad_lines[line] = "pay period"
    expected.records = len(rows)
    _write(path, SO_OLD_HEADER, rows)
    return expected
