"""The examples of the README and the docs pages, as the examples test runs them (the convention is in
docs/contributing.md, "Examples in the docs"), and what makes an answer count as one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
#: docs/changelog.md only includes CHANGELOG.md, which holds no example.
NOT_PAGES = {"docs/changelog.md"}
RUN = ("graphql", "sh")
FENCE = re.compile(r"^(?P<indent>[ \t]*)```(?P<lang>[\w-]*)[^\n]*\n(?P<body>.*?)^(?P=indent)```[ \t]*$",
                   re.MULTILINE | re.DOTALL)
NOT_RUN = re.compile(r"\A\s*#\s*not run by tests:\s*(?P<reason>\S.*)$", re.MULTILINE)
#: A shell example that loads the repository's levels.fyi sample: its page runs after the pages that load nothing.
LOADS_SAMPLE = "tests/fixtures/levels_fyi_sample.csv"
WRITES = re.compile(r"submitSalary|import salaries|import summaries")
#: Where the examples say the API is; the test points these at its own.
DOCUMENTED_API = re.compile(r"(?:127\.0\.0\.1|localhost):8000\b")


@dataclass(frozen=True)
class Example:
    page: str  # relative to the repository's root
    line: int  # of the opening fence
    lang: str
    text: str
    not_run: str | None  # the reason the block gives, when it is marked

    @property
    def name(self) -> str:
        return f"{self.page}:{self.line}"

    @property
    def subscription(self) -> bool:
        code = "\n".join(line for line in self.text.splitlines() if not line.lstrip().startswith("#"))
        return code.lstrip().startswith("subscription")


def pages() -> list[Path]:
    found = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    return [p for p in found if str(p.relative_to(ROOT)) not in NOT_PAGES]


def examples_of(page: Path) -> list[Example]:
    text = page.read_text(encoding="utf-8")
    found = []
    for match in FENCE.finditer(text):
        indent = len(match.group("indent"))
        body = "\n".join(line[indent:] for line in match.group("body").splitlines())
        marked = NOT_RUN.match(body)
        found.append(Example(str(page.relative_to(ROOT)), text.count("\n", 0, match.start()) + 1,
                             match.group("lang"), body, marked.group("reason").strip() if marked else None))
    return found


def in_run_order() -> list[Example]:
    """Every example, page by page in document order: the README first (a fresh `make run`), then the pages
    that write nothing, then those that write, and last those that load the levels.fyi sample, so that an
    example never answers thanks to data that only a later page says to load."""
    def rank(page: Path, examples: list[Example]) -> tuple[int, str]:
        shell = "\n".join(e.text for e in examples if e.lang == "sh" and e.not_run is None)
        order = 0 if page.name == "README.md" and page.parent == ROOT else 3 if LOADS_SAMPLE in shell \
            else 2 if WRITES.search(shell) else 1
        return order, str(page)

    by_page = [(page, examples_of(page)) for page in pages()]
    return [e for page, found in sorted(by_page, key=lambda pair: rank(*pair)) for e in found]


def runnable() -> list[Example]:
    return [e for e in in_run_order() if e.lang in RUN and e.not_run is None]


def emptiness(data: Any) -> list[str]:
    """Why an answer's data counts as empty: a root field null or empty, or a list of objects right under a
    root field empty (a list of names, such as skillGap's `unknown`, may be empty)."""
    if not isinstance(data, dict) or not data:
        return ["no data"]
    found = []
    for root, value in data.items():
        if value in (None, [], {}):
            found.append(f"{root} is {value!r}")
        elif isinstance(value, dict):
            found += [f"{root}.{name} is []" for name, inner in value.items()
                      if inner == [] and _lists_objects(root, name)]
    return found


@cache
def _root_fields() -> dict[str, Any]:
    from schema.root import build_schema

    schema = build_schema()._schema
    return {name: field for kind in (schema.subscription_type, schema.mutation_type, schema.query_type)
            if kind is not None for name, field in kind.fields.items()}


def _lists_objects(root: str, name: str) -> bool:
    """Whether `name` under the root field `root` is a list of objects (an empty list cannot say, so the
    schema does); under an alias, which the answer cannot trace to its field, any list counts."""
    from graphql import GraphQLList, GraphQLObjectType, GraphQLUnionType, get_named_type, get_nullable_type

    field = _root_fields().get(root)
    inner = getattr(get_named_type(field.type), "fields", {}).get(name) if field is not None else None
    if inner is None:
        return True
    kind = get_nullable_type(inner.type)
    return isinstance(kind, GraphQLList) and isinstance(get_named_type(kind), GraphQLObjectType | GraphQLUnionType)


def unexplained_errors(output: str, example: Example) -> list[str]:
    """Error codes in a shell example's output that the example does not name (as its expected output)."""
    if '"errors"' not in output:
        return []
    return [code for code in re.findall(r'"code":\s*"([A-Z_]+)"', output) if code not in example.text]
