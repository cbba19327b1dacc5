"""Salary file formats: which column holds which field, and how a cell's text becomes a value.

A format is named (`levels-fyi`, `ai-jobs`, `so-survey`, `csv`) and may be adjusted, or for `csv`
defined, by a JSON map file (`--map FILE`). The map file's keys (all optional but `columns` for
`csv`; docs/data/importing.md documents each with examples):

| key | what it holds |
| --- | --- |
| `columns` | `{field: column}`: where each field is (`FIELDS` lists the fields) |
| `defaults` | `{field: text}`: the value when the column is absent or the cell empty |
| `values` | `{field: {cell text: value}}`: cell texts replaced before parsing ("Less than 1 year": "0.5") |
| `bands` | `{level: band}`: experience level codes to bands, for files without years ("SE": "senior") |
| `multi` | `{field: separator}`: fields holding several values (the first one that fits is used) |
| `missing` | cell texts that mean "not given" (e.g. `["NA"]`) |
| `identity` | `row` (a repeated record is one observation), `occurrence` (each is one), or `row_id` |
| `delimiter` | one character; `,` for `csv`, `;` for levels.fyi |
| `source` | `{slug, publisher, title, url, licence, note}`: where the figures come from |
| `roles` | `[{role, title, tag}]`: regular expressions tried before the built-in routing |

A named format's `optional` fields are those it only enriches with: a release of the file that
lacks their columns (the Stack Overflow survey before 2022 has no `RemoteWork`) is imported
without them, and the report says which columns it did without (`SalaryFormat.fitted`).
`pay_period` turns pay given per month or week into annual pay (x 12, x 50: the survey's own
rule for its annual conversion); without it, pay is annual.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from service.bands import ExperienceBand
from service.ingest.role_mapping import RoleRule, rules_from_map
from service.provenance import Source

FIELDS = ("title", "role", "amount", "currency", "published_amount", "published_currency", "location",
          "country", "city", "region", "company", "tag", "years_experience", "years_at_company",
          "experience_level", "base_amount", "year", "employment_type", "company_size", "remote_ratio",
          "row_id", "pay_period")
MAP_KEYS = ("columns", "defaults", "values", "bands", "multi", "missing", "identity", "delimiter", "source",
            "roles")
IDENTITIES = ("row", "occurrence")
#: What pay given per period is multiplied by to be annual (the `pay_period` field's values).
PAY_PERIODS = {"yearly": 1, "monthly": 12, "weekly": 50}


class MapFileError(ValueError):
    """The --map file (or the file's header) is unusable; the message says why."""


@dataclass(frozen=True)
class CellReader:
    """How a format reads one careergraph field from a record: its column, how a cell holding
    several values splits, what the file's values stand for, and the value when there is none."""

    column: str | None
    separator: str | None = None
    mapping: dict[str, str] | None = None
    default: tuple[str, ...] = ()

    def read(self, row: dict[str, str], missing: frozenset[str]) -> list[str]:
        text = (row.get(self.column) or "") if self.column else ""
        stripped = text.strip()
        if not stripped or stripped in missing:
            return list(self.default)
        values = [v for v in (v.strip() for v in text.split(self.separator)) if v] if self.separator else [stripped]
        if self.mapping:
            values = [self.mapping.get(v, v) for v in values]
        return values or list(self.default)


@dataclass(frozen=True)
class SalaryFormat:
    name: str
    delimiter: str
    columns: dict[str, str]  # careergraph field -> the file's column name
    source: Source
    defaults: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    bands: dict[str, str] = field(default_factory=dict)
    multi: dict[str, str] = field(default_factory=dict)
    missing: frozenset[str] = frozenset()
    identity: str = "occurrence"
    rules: tuple[RoleRule, ...] = ()  # the map file's, tried before the built-in routing
    optional: frozenset[str] = frozenset()  # fields whose column a release of the file may lack

    def fitted(self, header: list[str]) -> tuple[SalaryFormat, list[tuple[str, str]]]:
        """This format for a file with `header`: without the optional fields whose column it lacks,
        and those (field, column) pairs."""
        names = set(header)
        lacking = [(name, column) for name, column in self.columns.items()
                   if name in self.optional and column not in names]
        if not lacking:
            return self, []
        dropped = {name for name, _ in lacking}
        return replace(self, columns={k: v for k, v in self.columns.items() if k not in dropped}), lacking

    def readers(self) -> dict[str, CellReader]:
        """A reader per field the format says anything of (made once per file: it has many records)."""
        names = {*self.columns, *self.defaults, *self.values, *self.multi}
        return {name: CellReader(self.columns.get(name), self.multi.get(name), self.values.get(name) or None,
                                 (self.defaults[name],) if self.defaults.get(name) else ())
                for name in names}


LEVELS_FYI = SalaryFormat(
    name="levels-fyi", delimiter=";",
    columns={"company": "company", "title": "title", "amount": "totalyearlycompensation",
             "location": "location", "years_experience": "yearsofexperience",
             "years_at_company": "yearsatcompany", "tag": "tag"},
    defaults={"currency": "USD"},
    identity="row",  # the export repeats some submissions line for line: a repeat is not a second person
    source=Source(slug="levels-fyi-export", publisher="levels.fyi",
                  title="levels.fyi tech salary export (self-reported total yearly compensation)",
                  licence="public export circulated as a Kaggle data set; "
                          "terms of the original publisher apply",
                  note="Rows without education were dropped by whoever published the export"),
)

AI_JOBS = SalaryFormat(
    name="ai-jobs", delimiter=",",
    columns={"year": "work_year", "experience_level": "experience_level",
             "employment_type": "employment_type", "title": "job_title", "amount": "salary",
             "currency": "salary_currency",
             "published_amount": "salary_in_usd", "country": "employee_residence",
             "remote_ratio": "remote_ratio", "company_size": "company_size"},
    defaults={"published_currency": "USD"},
    values={"employment_type": {"FT": "full-time", "PT": "part-time", "CT": "contract", "FL": "freelance"}},
    bands={"EN": ExperienceBand.ENTRY.value, "MI": ExperienceBand.MID.value,
           "SE": ExperienceBand.SENIOR.value, "EX": ExperienceBand.SENIOR.value},
    source=Source(slug="ai-jobs-salaries", publisher="ai-jobs.net",
                  title="ai-jobs.net salaries (data science and AI jobs, self-reported)",
                  url="https://ai-jobs.net/salaries/download/", licence="CC0 1.0 (as published)",
                  note="salary_in_usd is the publisher's own conversion, kept beside the original"),
)

SO_SURVEY = SalaryFormat(
    name="so-survey", delimiter=",",
    columns={"row_id": "ResponseId", "country": "Country", "years_experience": "YearsCodePro",
             "title": "DevType", "currency": "Currency", "amount": "CompTotal",
             "published_amount": "ConvertedCompYearly", "company_size": "OrgSize",
             "employment_type": "Employment", "remote_ratio": "RemoteWork", "pay_period": "CompFreq"},
    defaults={"published_currency": "USD"},
    values={"years_experience": {"Less than 1 year": "0.5", "More than 50 years": "51"},
            "employment_type": {"Employed, full-time": "full-time", "Employed, part-time": "part-time",
                                "Independent contractor, freelancer, or self-employed": "freelance",
                                "Employed": "full-time"},
            "remote_ratio": {"Remote": "100", "Hybrid (some remote, some in-person)": "50",
                             "In-person": "0"},
            "pay_period": {"Yearly": "yearly", "Monthly": "monthly", "Weekly": "weekly"}},
    multi={"title": ";", "employment_type": ";"},
    missing=frozenset({"NA"}),
    identity="row_id",
    # releases differ: older ones lack RemoteWork and give pay per CompFreq (later ones: annual)
    optional=frozenset({"employment_type", "remote_ratio", "company_size", "published_amount", "years_experience",
                        "pay_period"}),
    source=Source(slug="so-developer-survey", publisher="Stack Overflow",
                  title="Stack Overflow Developer Survey results (self-reported)",
                  url="https://survey.stackoverflow.co/", licence="ODbL 1.0 (as published)",
                  note="ConvertedCompYearly is the publisher's own conversion to USD, kept beside CompTotal"),
)

CSV = SalaryFormat(name="csv", delimiter=",", columns={},
                   source=Source(slug="csv-import", publisher="unknown", title="CSV salary import"))
NAMED = {f.name: f for f in (LEVELS_FYI, AI_JOBS, SO_SURVEY, CSV)}


def _checked(spec: dict[str, Any], base: SalaryFormat) -> dict[str, Any]:
    unknown = sorted(set(spec) - set(MAP_KEYS))
    if unknown:
        raise MapFileError(f"unknown key(s) in the map file: {', '.join(unknown)}; "
                           f"valid: {', '.join(MAP_KEYS)}")
    for key in ("columns", "defaults", "values", "multi"):
        named = spec.get(key, {})
        if not isinstance(named, dict):
            raise MapFileError(f"`{key}` must be an object of field names")
        bad = sorted(set(named) - set(FIELDS))
        if bad:
            raise MapFileError(f"unknown field(s) in {key}: {', '.join(bad)}; "
                               f"valid fields: {', '.join(FIELDS)}")
    bands = spec.get("bands", {})
    wrong = sorted(v for v in bands.values() if v not in {b.value for b in ExperienceBand})
    if wrong:
        raise MapFileError(f"unknown band(s) {', '.join(map(str, wrong))}; bands are "
                           f"{', '.join(b.value for b in ExperienceBand)}")
    identity = spec.get("identity", base.identity)
    if identity not in (*IDENTITIES, "row_id"):
        raise MapFileError(f"identity must be one of {', '.join(IDENTITIES)} or row_id")
    delimiter = spec.get("delimiter", base.delimiter)
    if not isinstance(delimiter, str) or len(delimiter) != 1:
        raise MapFileError("the delimiter must be one character")
    return spec


def load_format(kind: str, map_file: Path | None) -> SalaryFormat:
    """The format for `--format kind`, adjusted by a JSON `--map` file."""
    if kind not in NAMED:
        raise MapFileError(f"unknown format {kind!r}; formats: {', '.join(NAMED)}")
    base = NAMED[kind]
    if map_file is None:
        if kind == "csv":
            raise MapFileError("--format csv needs --map FILE naming the columns")
        return base
    try:
        spec = json.loads(map_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise MapFileError(f"cannot read map file {map_file}: {exc}") from exc
    if not isinstance(spec, dict):
        raise MapFileError("the map file must hold a JSON object")
    spec = _checked(spec, base)
    columns = {**base.columns, **spec.get("columns", {})}
    if not ({"title", "role"} & set(columns)) or "amount" not in columns:
        raise MapFileError("columns must name 'amount' and 'title' (or 'role')")
    try:
        rules = rules_from_map(spec.get("roles", []))
        source = Source(**spec["source"]) if isinstance(spec.get("source"), dict) else base.source
    except (ValueError, TypeError) as exc:
        raise MapFileError(str(exc)) from exc
    identity = spec.get("identity", base.identity)
    if identity == "row_id" and "row_id" not in columns:
        raise MapFileError("identity row_id needs a `row_id` column")
    return replace(base, columns=columns, defaults={**base.defaults, **spec.get("defaults", {})},
                   values={**base.values, **spec.get("values", {})},
                   bands={**base.bands, **spec.get("bands", {})},
                   multi={**base.multi, **spec.get("multi", {})},
                   missing=base.missing | frozenset(spec.get("missing", [])), identity=identity,
                   delimiter=spec.get("delimiter", base.delimiter), source=source, rules=rules)
