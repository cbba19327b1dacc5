"""The typed per-request context handed to every resolver."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from strawberry.types import Info as StrawberryInfo

from service.config import Settings
from service.resources import Resources


@dataclass
class Context:
    request: Any
    response: Any
    resources: Resources

    @property
    def settings(self) -> Settings:
        return self.resources.settings


Info = StrawberryInfo[Context, None]
