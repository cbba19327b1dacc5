"""`python -m schema.http.server`: the API under uvicorn, with the front end's limits set.

`careergraph serve` runs this module (by name, never importing it), so the service layer stays
below the adapter. What the front end enforces, whatever the client does:

- request line and headers: `MAX_HEADER_BYTES` in all, else 431; complete within
  `CAREERGRAPH_READ_TIMEOUT` (10 s) of the connection or of the request's first byte, else 408
  and closed;
- request body: read within the same time again (`schema.http.guard`), else 408; 64 KiB, else 413;
- an idle keep-alive connection is closed after `KEEP_ALIVE_S`;
- connections and requests in flight: `CAREERGRAPH_MAX_CONNECTIONS` per process, 503 beyond,
  except for liveness and readiness (`/healthz`, `/readyz`): a full server still says it is alive
  and whether its stores answer, so that an orchestrator does not restart it for being busy;
- WebSockets: at most half of those connections, and a few per client address
  (`schema.http.sockets`); a message: 64 KiB (`schema.http.websocket`);
- forwarding headers (`X-Forwarded-For`, `-Proto`) are ignored unless
  `CAREERGRAPH_TRUSTED_PROXIES` names the proxies they may come from.
"""

from __future__ import annotations

import asyncio
import os
import sys

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.supervisors import Multiprocess

from schema.http.websocket import MAX_MESSAGE_BYTES
from service.platform.config import Settings

MAX_HEADER_BYTES = 16 * 1024
KEEP_ALIVE_S = 5
APP = "schema.asgi:create_app"
_REFUSALS = {431: b"431 Request Header Fields Too Large", 408: b"408 Request Timeout"}
PROBES = frozenset({b"/healthz", b"/readyz"})  # answered whatever the connection limit


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a bound on the size and the time of a request's head."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._head_bytes = 0
        self._refusal: int | None = None
        self._head_timer: asyncio.TimerHandle | None = None
        super().connection_made(transport)
        self._arm()

    def _arm(self) -> None:
        if self._head_timer is None:
            timeout = getattr(self.config, "read_timeout_s", 10.0)
            self._head_timer = self.loop.call_later(timeout, self._head_too_slow)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_too_slow(self) -> None:
        self._head_timer = None
        if not self.transport.is_closing():
            self._refuse(408)

    def _refuse(self, status: int) -> None:
        self._refusal = status
        line = _REFUSALS[status]
        head = (b"HTTP/1.1 " + line + b"\r\ncontent-type: text/plain; charset=utf-8\r\n"
                b"content-length: " + str(len(line)).encode() + b"\r\nconnection: close\r\n\r\n")
        self.transport.write(head + line)
        self.transport.close()

    def _count(self, size: int) -> None:
        self._head_bytes += size
        if self._head_bytes > MAX_HEADER_BYTES:
            raise ValueError("request head too large")  # stops the parser; see send_400_response

    def data_received(self, data: bytes) -> None:
        if self._refusal is None:
            super().data_received(data)

    def send_400_response(self, msg: str) -> None:
        if self._head_bytes > MAX_HEADER_BYTES:
            self._refuse(431)
        elif self._refusal is None:
            super().send_400_response(msg)

    def on_message_begin(self) -> None:
        self._head_bytes = 0
        self._arm()
        super().on_message_begin()

    def on_url(self, url: bytes) -> None:
        self._count(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count(len(name) + len(value) + 4)
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._disarm()
        if self.url.partition(b"?")[0] not in PROBES:
            super().on_headers_complete()
            return
        # uvicorn answers 503 here when its connection limit is reached; a probe is let through
        limit, self.limit_concurrency = self.limit_concurrency, None
        try:
            super().on_headers_complete()
        finally:
            self.limit_concurrency = limit

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)


class CareerGraphConfig(uvicorn.Config):
    """uvicorn's Config, carrying the read timeout to the protocol."""

    def __init__(self, *args: object, read_timeout_s: float = 10.0, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.read_timeout_s = read_timeout_s


def options(settings: Settings, workers: int = 1) -> dict[str, object]:
    """uvicorn's settings for careergraph (also used by tests to check them)."""
    trusted = list(settings.trusted_proxies)
    return dict(
        factory=True, host=settings.host, port=settings.port, log_level=settings.log_level,
        lifespan="on", server_header=False, access_log=False,  # the app logs each request itself
        timeout_graceful_shutdown=10, http=GuardedHttpToolsProtocol, ws="websockets-sansio",
        ws_max_size=MAX_MESSAGE_BYTES, ws_per_message_deflate=False, timeout_keep_alive=KEEP_ALIVE_S,
        limit_concurrency=settings.max_connections, h11_max_incomplete_event_size=MAX_HEADER_BYTES,
        proxy_headers=bool(trusted), forwarded_allow_ips=trusted or None, workers=workers,
    )


def main() -> int:
    settings = Settings.from_env(os.environ)
    config = CareerGraphConfig(APP, read_timeout_s=settings.read_timeout_s,
                               **options(settings, settings.web_concurrency or os.cpu_count() or 1))
    if config.workers > 1:  # as uvicorn.run does it, with our Config
        Multiprocess(config, sockets=[config.bind_socket()]).run()
    else:
        uvicorn.Server(config).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
