"""arq tasks: each unpacks the context and calls one service function."""

from __future__ import annotations

from typing import Any

from service import heartbeats


async def record_heartbeat(ctx: dict[str, Any], note: str) -> str:
    await heartbeats.record_heartbeat(ctx["resources"], note)
    return note
