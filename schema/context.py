"""The typed per-request context handed to every resolver."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from strawberry.types import Info as StrawberryInfo

from schema.loaders import Loaders, create_loaders
from service.access.api_keys import Principal, authenticate
from service.platform.config import Settings
from service.platform.resources import Resources
from service.summaries.notices import NoticeHub


@dataclass
class Context:
    request: Any
    response: Any
    resources: Resources
    request_id: str = ""
    notices: NoticeHub | None = None
    connection_params: dict[str, Any] | None = None  # graphql-transport-ws connection_init payload
    cursor_secret: bytes = field(default=b"", repr=False)
    loaders: Loaders = field(init=False)
    _principal: Principal | None = field(default=None, init=False)
    _checked_at: float = field(default=0.0, init=False)

    def __post_init__(self) -> None:
        self.loaders = create_loaders(self.resources)

    @property
    def settings(self) -> Settings:
        return self.resources.settings

    @property
    def is_websocket(self) -> bool:
        return self.request is not None and self.request.scope.get("type") == "websocket"

    async def principal(self, refresh: bool = False) -> Principal:
        """Who is calling; raises Unauthenticated for a bad key (anonymous without one).

        An HTTP request is authenticated once. A WebSocket's context lives as long as the socket,
        so its key is checked again once `ws_key_recheck_s` has passed (a revoked key stops
        working on an open socket within that time)."""
        stale = self.is_websocket and time.monotonic() - self._checked_at >= self.settings.ws_key_recheck_s
        if self._principal is None or refresh or stale:
            self._principal = None
            header = self.request.headers.get("authorization") if self.request is not None else None
            if not header and isinstance(self.connection_params, dict):
                params = self.connection_params
                value = params.get("authorization") or params.get("Authorization")
                header = value if isinstance(value, str) else None
            self._principal = await authenticate(self.resources.db, header)
            self._checked_at = time.monotonic()
        return self._principal

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
