"""`Adjustment` in GraphQL: what an amount is adjusted for beyond its currency (prices, purchasing
power), shared by the summaries and the decisions (`service.summaries.adjustments` applies it)."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum
class Adjustment(Enum):
    REAL = "REAL"
    PPP = "PPP"
