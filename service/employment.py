"""Employment types: summaries count full-time pay; the rest is kept and can be filtered."""

from __future__ import annotations

FULL_TIME = "full-time"
EMPLOYMENT_TYPES = (FULL_TIME, "part-time", "contract", "freelance", "internship")
#: What summaries count: full-time pay, and pay whose source does not say (levels.fyi's export is
#: of full-time employees' total compensation).
SUMMARISED = (FULL_TIME, None)
