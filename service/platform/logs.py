"""Logging shared by the API and the worker: one JSON object per line, with the request id.

- `request_id` is a context variable the API sets for each request (and the worker for each
  job), so every line logged while handling it carries the id the client saw in `X-Request-ID`.
- Secrets never reach a log line: API keys (`cg_<id>_<secret>` keeps only its id) and the
  credentials in URLs (`scheme://user:password@host`) are masked in messages and tracebacks.
- `CAREERGRAPH_LOG_FORMAT=text` gives the classic one-line text format for a terminal.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
from datetime import UTC, datetime
from typing import Any

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

_API_KEY = re.compile(r"\b(cg_[0-9a-f]+)_[A-Za-z0-9_-]+")
_URL_CREDENTIALS = re.compile(r"\b([a-z][a-z0-9+.-]*://)[^/@\s]+@", re.I)
_STANDARD = frozenset(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime"}
HANDLER_NAME = "careergraph"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def redact(text: str) -> str:
    """`text` with API key secrets and URL credentials masked."""
    return _URL_CREDENTIALS.sub(r"\1[redacted]@", _API_KEY.sub(r"\1_[redacted]", text))


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        rid = request_id.get()
        if rid:
            entry["request_id"] = rid
        for name, value in vars(record).items():  # fields passed with `extra=`
            if name not in _STANDARD and not name.startswith("_"):
                entry[name] = value if isinstance(value, int | float | bool | None) else redact(str(value))
        if record.exc_info:
            entry["error"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, default=str)


class RedactingTextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        rid = request_id.get()
        return redact(f"{line} [request {rid}]" if rid else line)


def configure_logging(level: str, fmt: str = "json") -> None:
    """Route every logger (ours, uvicorn's, arq's) through one handler on the root logger."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if fmt == "json" else RedactingTextFormatter(TEXT_FORMAT))
    handler.set_name(HANDLER_NAME)
    root = logging.getLogger()
    # Replace only our own handler (configuring twice must not log twice); keep any a host
    # process installed, such as pytest's capture.
    root.handlers[:] = [h for h in root.handlers if h.get_name() != HANDLER_NAME] + [handler]
    root.setLevel(level.upper())
    # uvicorn.access is left as uvicorn set it: `careergraph serve` turns it off (the app logs each
    # request itself), and uvicorn decides whether to log by whether that logger has handlers.
    for name in ("uvicorn", "uvicorn.error", "arq", "arq.worker"):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True
    logging.getLogger("pymongo").setLevel(logging.WARNING)


class ThrottledWarning:
    """A warning logged at most once per `every_s`: while a store is down, every request would
    otherwise log the same line."""

    def __init__(self, logger: logging.Logger, every_s: float = 10.0) -> None:
        self.logger, self.every_s, self.last = logger, every_s, float("-inf")

    def __call__(self, message: str, *args: Any) -> None:
        now = time.monotonic()
        if now - self.last >= self.every_s:
            self.last = now
            self.logger.warning(message, *args)
