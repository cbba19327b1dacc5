"""The CLI's terminal output: tables readable in a pipe, JSON for scripts, progress only on a terminal."""

from __future__ import annotations

import io
import json

import pytest

from service.ingest.report import ImportReport, Progress
from service.platform import terminal


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_table_in_a_pipe_has_every_value_and_no_escape_codes() -> None:
    out = io.StringIO()
    terminal.table("rows by role", ["role", "rows"], [["backend-developer", 12345], ["a" * 90, 7]], out,
                   right=["rows"])
    text = out.getvalue()
    assert "rows by role" in text and "backend-developer" in text and "12,345" in text and "a" * 90 in text
    assert "\x1b[" not in text


def test_no_color_is_honoured_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "xterm-256color")
    coloured = FakeTerminal()
    terminal.table("t", ["status"], [["PASS"], ["MISS"]], coloured, colours={"PASS": "green", "MISS": "red"})
    assert "\x1b[32mPASS" in coloured.getvalue() and "\x1b[31mMISS" in coloured.getvalue()
    monkeypatch.setenv("NO_COLOR", "1")
    plain = FakeTerminal()
    terminal.table("t", ["status"], [["PASS"], ["MISS"]], plain, colours={"PASS": "green", "MISS": "red"})
    assert "PASS" in plain.getvalue() and "\x1b[32m" not in plain.getvalue() and "\x1b[31m" not in plain.getvalue()


def test_json_is_plain_and_sorted() -> None:
    out = io.StringIO()
    terminal.emit_json({"b": 1, "a": [1, 2]}, out)
    assert json.loads(out.getvalue()) == {"a": [1, 2], "b": 1} and out.getvalue().index('"a"') < out.getvalue().index('"b"')


def test_progress_draws_only_on_a_terminal() -> None:
    piped = io.StringIO()
    bar = Progress("importing x.csv", 1000, piped)
    bar.update(500, 20)
    bar.finish()
    assert piped.getvalue() == ""
    shown = FakeTerminal()
    bar = Progress("importing x.csv", 1000, shown)
    bar.update(500, 20)
    bar.finish()
    assert "importing x.csv" in shown.getvalue()


def test_the_import_breakdown_leaves_the_words_for_the_tables() -> None:
    report = ImportReport(kind="salaries x.csv", records_read=3, imported=3)
    report.by_role.update({"backend-developer": 2, "other-roles": 1})
    report.unmatched.update({"Wizard": 1})
    assert not any("by role" in line for line in report.lines(breakdown=False))
    assert any("by role" in line for line in report.lines())
    titles = [title for title, _, _ in report.breakdown_tables()]
    assert titles == ["rows by role", "titles no role claimed (kept under other-roles)"]
    assert report.breakdown_tables()[0][2] == [["backend-developer", 2], ["other-roles", 1]]
