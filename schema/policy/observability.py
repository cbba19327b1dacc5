"""The operation label each request is counted and logged under: the front door names it (the
operation's type and the root fields the schema has, so the labels stay bounded) and the request
guard reads it when the request ends."""

from __future__ import annotations

from typing import Any

OPERATION = "operation"  # the key in the ASGI scope's state that RequestGuard reads


def set_operation(scope: Any, label: str) -> None:
    scope.setdefault("state", {})[OPERATION] = label
