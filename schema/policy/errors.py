"""Every error a client sees has `extensions.code`: GraphQL errors are shaped here once (requests
refused before GraphQL could read them get the same shape in `schema.http.respond`).

Expected failures keep their message; unexpected ones are replaced by "Unexpected error" with a
request id, and logged with their traceback.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from graphql import GraphQLError
from pymongo.errors import ExecutionTimeout, OperationFailure, PyMongoError, WTimeoutError
from redis.exceptions import RedisError

from service.errors import CareerGraphError
from service.platform import metrics
from service.platform.resources import ServiceUnavailable

#: MongoDB's "ran out of time" codes: MaxTimeMSExpired, ExceededTimeLimit.
TIME_LIMIT_CODES = frozenset({50, 262})
#: Codes of a replica set between primaries or shutting down (the driver retries these once).
TRANSIENT_CODES = frozenset({64, 91, 189, 10107, 11600, 11602, 13435, 13436})
log = logging.getLogger("careergraph.api")

LIMIT_MESSAGES = re.compile(r"exceeds maximum operation depth|aliases found|more than \d+ tokens", re.I)
SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")  # anywhere in a message, not only at its end
STORE_DOWN = "a backing store is not answering; try again shortly"


def _code_for_unlocated(error: GraphQLError) -> str:
    message = error.message
    if LIMIT_MESSAGES.search(message):
        return "QUERY_TOO_COMPLEX"
    if message.startswith("Syntax Error"):
        return "GRAPHQL_PARSE_FAILED"
    if message.startswith("Variable ") or "got invalid value" in message:
        return "BAD_USER_INPUT"
    return "GRAPHQL_VALIDATION_FAILED"


def shape_error(error: GraphQLError, request_id: str, production: bool) -> GraphQLError:
    """The error as a client sees it: with a code, and masked when it was not expected."""
    original = error.original_error
    extensions = dict(error.extensions or {})
    message = error.message
    if isinstance(original, CareerGraphError):
        extensions["code"] = original.code
        if original.field:
            extensions["field"] = original.field
        message = original.message
    elif isinstance(original, ExecutionTimeout | WTimeoutError) or (
            isinstance(original, OperationFailure) and original.code in TIME_LIMIT_CODES):
        # MongoDB stopped it at the request's deadline, or a write's majority acknowledgement did not come in
        # time (during an election): it may have been applied, so the client resends its idempotency key
        log.warning("MongoDB ran out of time in request %s: %s", request_id, type(original).__name__)
        extensions = {"code": "TIMEOUT"}
        message = "the operation ran out of time and was stopped (a write may have been applied: resend it " \
                  "with the same idempotency key)"
    elif isinstance(original, OperationFailure) and (
            original.code in TRANSIENT_CODES or original.has_error_label("RetryableWriteError")):
        log.warning("MongoDB was changing primaries during request %s: %s", request_id, original.code)
        extensions = {"code": "SERVICE_UNAVAILABLE"}
        message = STORE_DOWN
    elif isinstance(original, OperationFailure):  # a query MongoDB refused: our bug, not the client's
        log.error("MongoDB refused an operation in request %s", request_id, exc_info=original)
        extensions = {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}
        message = f"Unexpected error (request id {request_id})"
    elif isinstance(original, ServiceUnavailable | PyMongoError | RedisError | TimeoutError):
        log.warning("store unavailable during request %s: %s", request_id, type(original).__name__)
        extensions = {"code": "SERVICE_UNAVAILABLE"}
        message = STORE_DOWN
    elif isinstance(original, GraphQLError) or error.message.startswith("Variable '$"):
        extensions["code"] = "BAD_USER_INPUT"  # a variable that does not coerce to its type
    elif original is not None:
        log.error("unexpected error in request %s", request_id, exc_info=original)
        extensions = {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}
        message = f"Unexpected error (request id {request_id})"
    elif "code" not in extensions:
        extensions["code"] = _code_for_unlocated(error)
    if production:
        message = SUGGESTION.sub("", message)
    return GraphQLError(message, nodes=error.nodes, source=error.source, positions=error.positions,
                        path=error.path, extensions=extensions)


def shape_result(result: Any, request_id: str, production: bool) -> Any:
    """`result` with every error shaped, and counted by code for /metrics."""
    if result is not None and result.errors:
        result.errors = [shape_error(e, request_id, production) for e in result.errors]
        for error in result.errors:
            metrics.count_error((error.extensions or {}).get("code"))
    return result
