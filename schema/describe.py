"""Put the descriptions (`schema/docs.py` and each feature's `docs.py`, keyed by schema coordinate) on
the built schema: they are the schema's one home of descriptions, and the code carries none.

A coordinate is `Type`, `Type.field`, `Type.field(argument:)` or `Enum.VALUE`. An entry must name
something that exists and that nothing described already: `apply` raises otherwise, so a renamed
field cannot leave a stale description behind. A field an interface declares is described once,
on the interface, for every type that implements it."""

from __future__ import annotations

import re

from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType, GraphQLSchema

from schema import docs
from schema.catalog import docs as catalog_docs
from schema.decisions import docs as decisions_docs
from schema.official import docs as official_docs
from schema.salaries import docs as salaries_docs
from schema.summaries import docs as summaries_docs

COORDINATE = re.compile(r"(?P<type>\w+)(?:\.(?P<member>\w+)(?:\((?P<arg>\w+):\))?)?")


def all_descriptions() -> dict[str, str]:
    merged: dict[str, str] = {}
    for module in (docs, catalog_docs, salaries_docs, summaries_docs, official_docs, decisions_docs):
        for coordinate, text in module.DESCRIPTIONS.items():
            if coordinate in merged:
                raise ValueError(f"{coordinate} is described twice")
            merged[coordinate] = text
    return merged


def _element(schema: GraphQLSchema, coordinate: str) -> object:
    match = COORDINATE.fullmatch(coordinate)
    if match is None:
        raise ValueError(f"{coordinate!r} is not a schema coordinate")
    kind = schema.type_map.get(match["type"])
    if kind is None:
        raise ValueError(f"{coordinate}: no type {match['type']}")
    member, arg = match["member"], match["arg"]
    if member is None:
        return kind
    if isinstance(kind, GraphQLEnumType):
        if member not in kind.values or arg:
            raise ValueError(f"{coordinate}: no such enum value")
        return kind.values[member]
    if not isinstance(kind, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
        raise ValueError(f"{coordinate}: {match['type']} has no fields")
    field = kind.fields.get(member)
    if field is None:
        raise ValueError(f"{coordinate}: no field {member}")
    if arg is None:
        return field
    args = getattr(field, "args", {})
    if arg not in args:
        raise ValueError(f"{coordinate}: no argument {arg}")
    return args[arg]


def apply(schema: GraphQLSchema) -> None:
    for coordinate, text in all_descriptions().items():
        element = _element(schema, coordinate)
        if getattr(element, "description", None):
            raise ValueError(f"{coordinate} is already described")
        element.description = text  # type: ignore[attr-defined]
    for kind in schema.type_map.values():
        if isinstance(kind, GraphQLObjectType | GraphQLInterfaceType):
            for interface in kind.interfaces:
                for name, declared in interface.fields.items():
                    if not kind.fields[name].description:
                        kind.fields[name].description = declared.description
