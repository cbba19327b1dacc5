"""Terminal output through rich: progress bars on stderr (only on a terminal), tables on stdout, and
JSON for scripts. rich handles widths, colour, `NO_COLOR` and output that is not a terminal (no
colour, no cursor movement, tables at a readable width)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TextIO

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

PLAIN_WIDTH = 160  # tables written to a file or a pipe are not squeezed to 80 columns


def console(stream: TextIO | None = None) -> Console:
    stream = stream or sys.stdout
    terminal = stream.isatty()
    return Console(file=stream, width=None if terminal else PLAIN_WIDTH, highlight=False,
                   no_color="NO_COLOR" in os.environ or None, soft_wrap=not terminal)


def table(title: str | None, columns: Sequence[str], rows: Sequence[Sequence[Any]],
          stream: TextIO | None = None, right: Sequence[str] = (), colours: Mapping[str, str] | None = None) -> None:
    """Print a table; `right` names the columns to right-align (numbers); a cell whose text is a key of
    `colours` is shown in that colour (not under NO_COLOR, nor in a pipe)."""
    shown = Table(title=title, title_justify="left", show_edge=False, header_style="bold")
    for name in columns:
        shown.add_column(name, justify="right" if name in right else "left", overflow="fold")
    for row in rows:
        texts = ["" if value is None else f"{value:,}" if isinstance(value, int) and not isinstance(value, bool)
                 else str(value) for value in row]
        shown.add_row(*(Text(t, style=(colours or {}).get(t, "")) for t in texts))
    console(stream).print(shown)


def emit_json(value: Any, stream: TextIO | None = None) -> None:
    (stream or sys.stdout).write(json.dumps(value, indent=2, default=str, sort_keys=True) + "\n")


class Bar:
    """One task of a progress display; `advance` and `update` are no-ops when nothing is shown."""

    def __init__(self, progress: Progress | None, total: float | None, label: str) -> None:
        self.progress = progress
        self.task = progress.add_task(label, total=total, note="") if progress is not None else None

    def update(self, completed: float, **fields: Any) -> None:
        if self.progress is not None and self.task is not None:
            self.progress.update(self.task, completed=completed, **fields)

    def advance(self, by: float = 1) -> None:
        if self.progress is not None and self.task is not None:
            self.progress.advance(self.task, by)


@contextmanager
def progress(label: str, total: float | None = None, stream: TextIO | None = None) -> Iterator[Bar]:
    """A progress bar on stderr (a spinner when `total` is unknown), removed when done; nothing at
    all when stderr is not a terminal, so logs and pipes stay clean."""
    stream = stream or sys.stderr
    if not stream.isatty():
        yield Bar(None, total, label)
        return
    amount = TextColumn("{task.completed:,.0f}") if total is None else TextColumn("{task.percentage:>5.1f}%")
    columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), amount,
               TextColumn("{task.fields[note]}"), TimeElapsedColumn()]
    with Progress(*columns, console=Console(file=stream), transient=True) as shown:
        yield Bar(shown, total, label)
