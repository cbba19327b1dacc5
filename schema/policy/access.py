"""Who may run an operation at all: with `CAREERGRAPH_REQUIRE_API_KEY`, only callers with a valid
key (the front door asks before anything runs, on every transport). Each field then asks for the
role it needs (`Context.require`)."""

from __future__ import annotations

from service.access.api_keys import Principal
from service.platform.config import Settings


def require_key_where_needed(principal: Principal, settings: Settings) -> None:
    """Raises Unauthenticated when keys are required and the caller has none."""
    if settings.require_api_key:
        principal.require("reader")
