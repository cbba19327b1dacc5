"""Media types, decided exactly (GraphQL over HTTP): a request body must be `application/json`
(UTF-8), and an answer is `application/graphql-response+json` when the client accepts it at least
as well as `application/json`, else `application/json` (what clients written before the
specification expect). Types are compared whole, after parsing the header, never by substring:
`x-application/json` and `text/x-application/json` are not JSON."""

from __future__ import annotations

from functools import lru_cache

JSON = "application/json"
GRAPHQL_RESPONSE = "application/graphql-response+json"


def parse_media_type(value: str) -> tuple[str, dict[str, str]]:
    """`type/subtype` in lower case and the parameters of one media type (RFC 9110, section 8.3.1)."""
    kind, *params = value.split(";")
    found = {}
    for param in params:
        name, _, arg = param.partition("=")
        found[name.strip().lower()] = arg.strip().strip('"')
    return kind.strip().lower(), found


def is_json_body(content_type: str | None) -> bool:
    """A request body in `application/json`, UTF-8 if a charset is named."""
    if not content_type:
        return False
    kind, params = parse_media_type(content_type)
    return kind == JSON and params.get("charset", "utf-8").lower() == "utf-8"


@lru_cache(maxsize=256)
def answer_media(accept: str | None) -> str:
    """The media type of the answer for this Accept header: GraphQL's own when it is named with a
    quality at least that of `application/json`; JSON otherwise (wildcards and no header included)."""
    quality: dict[str, float] = {}
    for item in (accept or "").split(","):
        kind, params = parse_media_type(item)
        try:
            q = float(params.get("q", "1"))
        except ValueError:
            q = 0.0
        quality[kind] = max(quality.get(kind, 0.0), q)
    graphql = quality.get(GRAPHQL_RESPONSE, 0.0)
    return GRAPHQL_RESPONSE if graphql > 0 and graphql >= quality.get(JSON, 0.0) else JSON
