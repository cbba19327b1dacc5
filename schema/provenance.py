"""The `Source` type: where a figure comes from. Every feature's figures point at one."""

from __future__ import annotations

from datetime import date

import strawberry

from schema.context import Info
from schema.relay import Node, model_field
from service import provenance


@strawberry.type
class Source(Node):
    model: strawberry.Private[provenance.Source]

    def node_key(self) -> str:
        return self.model.slug

    slug: str = model_field("slug")
    publisher: str = model_field("publisher")
    title: str = model_field("title")
    url: str | None = model_field("url")
    published: date | None = model_field("published")
    retrieved: date | None = model_field("retrieved")
    licence: str | None = model_field("licence")
    note: str | None = model_field("note")


async def load_source(info: Info, slug: str) -> Source | None:
    found = await info.context.loaders.source.load(slug)
    return Source(model=found) if found else None


async def load_sources(info: Info, slugs: list[str]) -> list[Source]:
    found = await info.context.loaders.source.load_many(slugs)
    return [Source(model=s) for s in found if s is not None]
