"""The typed per-request context handed to every resolver."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from strawberry.types import Info as StrawberryInfo

from schema.loaders import Loaders, create_loaders
from service.access.api_keys import ANONYMOUS, Principal, authenticate
from service.platform.config import Settings
from service.platform.resources import Resources
from service.summaries.notices import NoticeHub


@dataclass
class Context:
    request: Any  # the Starlette Request, or the WebSocket for every operation on a socket
    resources: Resources
    request_id: str = ""
    notices: NoticeHub | None = None
    credentials: str | None = None  # a socket's Authorization (the handshake's, or connection_init's)
    cursor_secret: bytes = field(default=b"", repr=False)
    caller: Principal = ANONYMOUS  # who is calling, as the front door authenticated them
    connection_params: dict[str, Any] | None = None  # graphql-transport-ws connection_init payload
    loaders: Loaders = field(init=False)
    _checked_at: float = field(default=0.0, init=False)

    def __post_init__(self) -> None:
        self.loaders = create_loaders(self.resources)
        self._checked_at = time.monotonic()

    @property
    def settings(self) -> Settings:
        return self.resources.settings

    @property
    def is_websocket(self) -> bool:
        return self.request is not None and self.request.scope.get("type") == "websocket"

    async def principal(self, refresh: bool = False) -> Principal:
        """Who is calling; Unauthenticated once a socket's key was revoked.

        An HTTP request's caller is the front door's, decided once. A socket's context lives as long
        as the socket, so its key is checked again once `ws_key_recheck_s` has passed (a revoked
        key stops working on an open socket within that time)."""
        stale = self.is_websocket and time.monotonic() - self._checked_at >= self.settings.ws_key_recheck_s
        if self.credentials and (refresh or stale):
            self._checked_at = 0.0  # refused until a check succeeds: never served as anonymous
            self.caller = await authenticate(self.resources, self.credentials)
            self._checked_at = time.monotonic()
        return self.caller

    async def require_reader(self) -> Principal:
        """What every read needs: a valid key when keys are required, else anyone."""
        principal = await self.principal()
        if self.settings.require_api_key:
            principal.require("reader")
        return principal

    async def require(self, role: str) -> Principal:
        principal = await self.principal()
        principal.require(role)
        return principal


Info = StrawberryInfo[Context, None]
