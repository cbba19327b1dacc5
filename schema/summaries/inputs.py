"""Payloads of the summaries' mutations."""

from __future__ import annotations

import strawberry

from schema.user_errors import UserError


@strawberry.type
class RecomputePayload:
    queued: list[str]
    user_errors: list[UserError]
