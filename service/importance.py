"""How much a role needs a skill: the one definition, and the order that follows from it."""

from __future__ import annotations

from enum import StrEnum


class Importance(StrEnum):
    """Most first: a CORE skill is one the role cannot do without."""

    CORE = "core"
    RECOMMENDED = "recommended"
    OPTIONAL = "optional"


#: 0 for the most important.
IMPORTANCE_RANK = {importance.value: rank for rank, importance in enumerate(Importance)}
#: The importances that count as "needing" a skill (demand, pay premium).
NEEDING = (Importance.CORE.value, Importance.RECOMMENDED.value)
