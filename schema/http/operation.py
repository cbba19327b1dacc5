"""Each request read once into the operation it asks for: over HTTP from a POST's JSON body or a
GET's query string, over a WebSocket from a `subscribe` message. Everything after (the persisted
query policy, the price, the response cache, conditional GET, the execution, the answer) reads
this object; nothing reads the body or the parameters again. A malformed request is refused here
with the reason (`Refusal`), before anything runs; so is text that no store could hold (a lone
surrogate, which JSON's `\\ud800` escapes can carry), as BAD_USER_INPUT naming the variable."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qsl

import orjson
from graphql import DocumentNode, OperationDefinitionNode
from strawberry.http import GraphQLRequestData

from schema.http.media import JSON, is_json_body
from schema.http.respond import Refusal
from schema.policy.cost import chosen_operation
from schema.policy.documents import try_parse
from service.text import NOT_UNICODE, holds_surrogates

GET, POST, WEBSOCKET = "GET", "POST", "WS"


@dataclass
class Operation(GraphQLRequestData):
    """Strawberry's request data (the text, variables, operation name and extensions it executes)
    with what the front door decides from: `query` is None when only a persisted query's hash was sent."""

    transport: str = POST  # GET, POST or WS
    persisted: Any = None  # extensions.persistedQuery as sent (checked by `schema.http.persisted`), or None
    media: str = JSON  # the answer's media type

    def with_text(self, query: str) -> Operation:
        return replace(self, query=query)

    def document(self) -> DocumentNode | None:
        """The parsed document (from the parse cache), or None when it does not parse."""
        return try_parse(self.query) if self.query is not None else None

    def definition(self) -> OperationDefinitionNode | None:
        """The operation the document's text and the operation name choose."""
        document = self.document()
        return chosen_operation(document, self.operation_name) if document is not None else None


def from_http(method: str, content_type: str | None, query_string: bytes, body: bytes, media: str) -> Operation:
    """The operation a GET or POST to /graphql asks for."""
    if method == GET:
        params: dict[str, Any] = dict(parse_qsl(query_string.decode("latin-1"), keep_blank_values=True))
        for name in ("variables", "extensions"):
            if params.get(name):
                params[name] = _json(params[name].encode())
        return _operation(GET, params, media)
    if not is_json_body(content_type):
        raise Refusal("UNSUPPORTED_MEDIA_TYPE", "send application/json (or a GET with query parameters)",
                      status=415)
    request = _json(body)
    if isinstance(request, list):
        raise Refusal("BATCHING_NOT_SUPPORTED", "Batching is not enabled", status=400)
    return _operation(POST, request, media)


def from_subscribe(payload: dict[str, Any]) -> Operation:
    """The operation of a graphql-transport-ws `subscribe` message (its frame already checked)."""
    return _operation(WEBSOCKET, payload, JSON)


def _json(data: bytes) -> Any:
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:  # what orjson refuses and json may take (NaN, huge integers)
        try:
            return json.loads(data)
        except (ValueError, RecursionError):
            raise Refusal("BAD_REQUEST", "Unable to parse request body as JSON", status=400) from None


def _operation(transport: str, request: Any, media: str) -> Operation:
    if not isinstance(request, dict):
        raise Refusal("BAD_REQUEST", "the request must be a JSON object", status=400)
    query, variables = request.get("query"), request.get("variables")
    name, extensions = request.get("operationName"), request.get("extensions")
    if transport == GET and name == "":
        name = None  # a form's empty field
    for value, kind, what in ((query, str, "query"), (variables, dict, "variables"), (name, str, "operationName"),
                              (extensions, dict, "extensions")):
        if not isinstance(value, kind | None):
            article = "an object" if kind is dict else "a string"
            raise Refusal("BAD_REQUEST", f"`{what}` must be {article} or null, if provided", status=400)
    _check_unicode(query, variables, name, extensions)
    persisted = extensions.get("persistedQuery") if extensions else None
    if query is None and persisted is None:
        raise Refusal("BAD_REQUEST", "No GraphQL query found in the request", status=400)
    return Operation(query=query, variables=variables, operation_name=name, extensions=extensions,
                     transport=transport, persisted=persisted, media=media)


def _check_unicode(query: str | None, variables: dict[str, Any] | None, name: str | None,
                   extensions: dict[str, Any] | None) -> None:
    """Refuse text that is not Unicode before it reaches a resolver, a store or a log line."""
    for variable, value in (variables or {}).items():
        if holds_surrogates(value) or holds_surrogates(variable):
            label = "a variable's name" if holds_surrogates(variable) else f"variable ${variable}"
            raise Refusal("BAD_USER_INPUT", f"{label} {NOT_UNICODE}")
    for value, what in ((query, "the query"), (name, "operationName"), (extensions, "extensions")):
        if holds_surrogates(value):
            raise Refusal("BAD_USER_INPUT", f"{what} {NOT_UNICODE}")
