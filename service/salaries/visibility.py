"""Who may see which salary observations, field by field: one policy for GraphQL, the HTTP export and
the CLI export (docs/privacy.md explains it).

Two kinds of rows:
- **Public**: imported from a file whose source already publishes it row by row (the levels.fyi
  export, ai-jobs.net's salaries, Stack Overflow's survey results: `PUBLIC_SOURCES`). Anyone can
  download those rows from their publisher, so careergraph shows them as the source does, and
  treats them as known to every attacker when it decides what summaries may show.
- **Submitted**: sent through `submitSalary`, or imported from any other file (a CSV of unknown
  origin is not assumed public). People's own pay: no reader sees these rows; the service's
  summaries hide each one among at least `CAREERGRAPH_MIN_CELL_SIZE` others
  (`service.summaries.disclosure`, `release`).

Kinds of callers: `reader` and `editor` keys see public rows only, every field their source
publishes; `admin` keys (and the operator's CLI, when asked) see every row and every field. A
submitter sees their own row through its receipt (`service.salaries.receipts`).
"""

from __future__ import annotations

from typing import Any

from service.provenance import PUBLIC_SOURCES

VIEWS = ("reader", "admin")
#: Where a submitted row stands with the releases of summaries (`service.summaries.release`): absent
#: once its release has let it into the published figures.
HOLD = "release_hold"
NEW, WITHDRAWN, NEW_WITHDRAWN = "new", "withdrawn", "new-withdrawn"
#: What the store keeps for the service's own use, never shown (the receipt's hash, the hold, the class).
INTERNAL_FIELDS = ("receipt_sha256", HOLD, "search_keys", "content_hash", "fingerprint", "public")


def is_public(source: str | None) -> bool:
    return source in PUBLIC_SOURCES


def view_for(role: str | None) -> str:
    """The view a caller of `role` (an API key's role; None: anonymous) gets."""
    return "admin" if role == "admin" else "reader"


def visible_query(view: str) -> dict[str, Any]:
    """The MongoDB condition a view adds to any read of observations."""
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}")
    return {} if view == "admin" else {"source": {"$in": sorted(PUBLIC_SOURCES)}}


def can_see(view: str, doc: dict[str, Any]) -> bool:
    return view == "admin" or is_public(doc.get("source"))


def shown_document(view: str, doc: dict[str, Any]) -> dict[str, Any] | None:
    """The fields of an observation document the view shows (None: the row is not shown at all)."""
    if not can_see(view, doc):
        return None
    return {k: v for k, v in doc.items() if k not in INTERNAL_FIELDS and k != "_id"}
