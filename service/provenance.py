"""Where a figure comes from: the `Source` every observation, benchmark and outlook names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

#: Sources whose files publish every row they hold (the named salary formats of
#: `service.ingest.salary_formats`): their rows are public, anyone can read them at the source.
#: An observation of one is stored with `public: true` (docs/privacy.md).
PUBLIC_SOURCES = frozenset({"levels-fyi-export", "ai-jobs-salaries", "so-developer-survey"})


@dataclass(frozen=True)
class Source:
    """A publisher's data set or article, with its licence and the date careergraph read it."""

    slug: str
    publisher: str
    title: str
    url: str | None = None
    published: date | None = None
    retrieved: date | None = None
    licence: str | None = None
    note: str | None = None

    def to_document(self) -> dict[str, Any]:
        return {
            "slug": self.slug, "publisher": self.publisher, "title": self.title, "url": self.url,
            "published": self.published.isoformat() if self.published else None,
            "retrieved": self.retrieved.isoformat() if self.retrieved else None,
            "licence": self.licence, "note": self.note,
        }

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> Source:
        return cls(
            slug=doc["slug"], publisher=doc["publisher"], title=doc["title"], url=doc.get("url"),
            published=date.fromisoformat(doc["published"]) if doc.get("published") else None,
            retrieved=date.fromisoformat(doc["retrieved"]) if doc.get("retrieved") else None,
            licence=doc.get("licence"), note=doc.get("note"),
        )
