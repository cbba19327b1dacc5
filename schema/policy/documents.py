"""Parsing and validation, each cached, both bounded in bytes, neither unbounded in work.

- Parsing stops at `MAX_TOKENS` tokens (graphql-core's lexer counts them as it goes), so a huge
  document costs the parser no more than a document of the limit.
- Parsed documents and validation results are cached by query text in LRU caches bounded by the
  total length of the texts they hold (`CACHE_BYTES` each), and a text longer than
  `MAX_CACHED_QUERY_BYTES` is never kept: a flood of distinct large queries cannot grow memory.
- In production validation hides graphql-core's "Did you mean ...?" suggestions at the source.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

from graphql import DocumentNode, GraphQLError, parse, validate
from strawberry.extensions import SchemaExtension
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

MAX_TOKENS = 2000
CACHE_BYTES = 2 * 1024 * 1024
MAX_CACHED_QUERY_BYTES = 16 * 1024
V = TypeVar("V")


class ByteBoundedCache(Generic[V]):
    """An LRU cache keyed by text whose budget is the total length of its keys."""

    def __init__(self, budget_bytes: int = CACHE_BYTES, max_key_bytes: int = MAX_CACHED_QUERY_BYTES) -> None:
        self.budget, self.max_key = budget_bytes, max_key_bytes
        self.entries: OrderedDict[str, V] = OrderedDict()
        self.size = 0

    def get_or_make(self, key: str, make: Callable[[], V]) -> V:
        if key in self.entries:
            self.entries.move_to_end(key)
            return self.entries[key]
        value = make()
        if len(key) <= self.max_key:
            self.entries[key] = value
            self.size += len(key)
            while self.size > self.budget:
                old, _ = self.entries.popitem(last=False)
                self.size -= len(old)
        return value


_documents: ByteBoundedCache[DocumentNode | GraphQLError] = ByteBoundedCache()
_validations: ByteBoundedCache[list[GraphQLError]] = ByteBoundedCache()


def parse_query(query: str) -> DocumentNode:
    """The parsed document (cached); raises the GraphQLError of a syntax error or of too many tokens."""
    def make() -> DocumentNode | GraphQLError:
        try:
            return parse(query, max_tokens=MAX_TOKENS)
        except GraphQLError as error:
            return error

    found = _documents.get_or_make(query, make)
    if isinstance(found, GraphQLError):
        raise found
    return found


def known(query: str) -> bool:
    """The text was parsed (and validated) before and is still cached: repeating it is cheap."""
    return query in _documents.entries


def try_parse(query: str) -> DocumentNode | None:
    try:
        return parse_query(query)
    except GraphQLError:
        return None


class CachedParse(SchemaExtension):
    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.query is not None:
            context.graphql_document = parse_query(context.query)
        yield


class CachedValidation(SchemaExtension):
    """Validation with Strawberry's own extra rules, cached per query text and rule set."""

    def __init__(self, hide_suggestions: bool = False) -> None:
        super().__init__()
        self.hide_suggestions = hide_suggestions

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        rules: tuple[Any, ...] = (*context.validation_rules, MaybeNullValidationRule,
                                  OneOfInputValidationRule)
        document = context.graphql_document
        assert document is not None and context.query is not None
        key = f"{id(context.schema)}:{self.hide_suggestions}:{len(rules)}\n{context.query}"
        context.pre_execution_errors = _validations.get_or_make(key, lambda: validate(
            context.schema._schema, document, rules, hide_suggestions=self.hide_suggestions))
        yield
