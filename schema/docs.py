"""Descriptions of the shared types (the root types' own fields, bands, pages, user errors, sources,
service info), by schema coordinate (`Type`, `Type.field`, `Type.field(argument:)`, `Enum.VALUE`).

Every description in the schema lives in a `docs.py` like this one (the code carries none):
`schema.describe` puts them on the built schema and refuses an entry that names nothing or
that the code already describes, and `tests/schema/test_schema_changes.py` fails when a type,
field, argument or enum value has no description."""

PAGE = "at most 100; give `first` (forward) or `last` (backward), not both"


def page_arguments(field: str, item: str) -> dict[str, str]:
    """The descriptions of a connection field's `first`, `after`, `last` and `before`."""
    return {f"{field}(first:)": f"Page size from the start, {PAGE}.",
            f"{field}(after:)": f"Cursor of the last {item} already seen (opaque, tamper-evident).",
            f"{field}(last:)": f"Page size from the end, {PAGE}.",
            f"{field}(before:)": f"Cursor of the first {item} already seen."}


DESCRIPTIONS: dict[str, str] = {
    # ExperienceBand
    "ExperienceBand": "Years of experience: ENTRY <1, EARLY 1-3, MID 4-6, EXPERIENCED 7-9, SENIOR 10+.",
    "ExperienceBand.ENTRY": "Less than 1 year of professional experience.",
    "ExperienceBand.EARLY": "1 to less than 4 years.",
    "ExperienceBand.MID": "4 to less than 7 years.",
    "ExperienceBand.EXPERIENCED": "7 to less than 10 years.",
    "ExperienceBand.SENIOR": "10 years or more.",
    # Node
    "Node": "An object with a globally unique, opaque ID.",
    "Node.id": "Opaque global ID; pass it to `node(id:)`.",
    # PageInfo
    "PageInfo": "Where a page sits in its connection.",
    "PageInfo.hasNextPage": "More items follow the last one of this page.",
    "PageInfo.hasPreviousPage": "More items precede the first one of this page.",
    "PageInfo.startCursor": "Cursor of the first item; null on an empty page.",
    "PageInfo.endCursor": "Cursor of the last item; null on an empty page.",
    # ServiceInfo
    "ServiceInfo": "What is running: careergraph's version and its stores'.",
    "ServiceInfo.version": "careergraph's version.",
    "ServiceInfo.mongodbVersion": "The MongoDB server's version (admin keys only; null otherwise).",
    "ServiceInfo.redisVersion": "The Redis server's version (admin keys only; null otherwise).",
    # Source
    "Source": "Where a figure comes from.",
    "Source.slug": "Stable identifier of the source.",
    "Source.publisher": "Who published it, e.g. \"U.S. Bureau of Labor Statistics\".",
    "Source.title": "Title of the publication, dataset or file.",
    "Source.url": "Where it can be read; null for files without an address.",
    "Source.published": "Publication (or release) date; null when unknown.",
    "Source.retrieved": "When careergraph's copy was retrieved or imported.",
    "Source.licence": "Licence or terms of reuse, e.g. \"CC BY 4.0\".",
    "Source.note": "Anything a reader should know about using the figures (the publisher's own notices).",
    # UserError
    "UserError": "What was wrong with an input field.",
    "UserError.field": "The input field at fault, e.g. `currency`.",
    "UserError.message": "What is wrong, in words a person can act on.",
    "UserError.code": "A stable code for programs, e.g. `BAD_USER_INPUT` or `NOT_FOUND`.",
    # Query
    "Query": ("Everything careergraph answers: roles, skills, learning paths, salaries, summaries, demand "
              "and official wages."),
    "Query.node": "Any object by its global ID.",
    "Query.node(id:)": "A global ID as returned in any `id` field.",
    "Query.nodes": "Objects by global ID, in order (at most 100).",
    "Query.nodes(ids:)": "Up to 100 global IDs; the answer keeps their order, null for unknown ones.",
    "Query.serviceInfo": "Versions of careergraph and its stores.",
    # Mutation
    "Mutation": ("Writes: salary submissions (reader keys), the curated catalogue (editor keys) and "
                 "recomputes (admin keys). Each returns `userErrors` for bad input."),
    # Subscription
    "Subscription": "Notices over graphql-transport-ws.",
}
