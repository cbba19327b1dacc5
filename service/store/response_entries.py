"""Whole GraphQL answers kept in Redis, each under the versions of the summaries it was built from.

An entry's key is `careergraph:responses:{versions}:{request hash}`, where `{versions}` is

- for an answer about named roles (`salarySummaries(role: ...)`, `payComparison`, `officialWages`):
  each role's current salary-summary version, with `*` when the role has writes that version
  does not cover (the `stale` the answer reports). A recompute of one role moves only that role's
  part, so it leaves every other role's answers where they are. A role with no summary yet stands
  in as the latest version overall (`L{latest}`), which any flip moves;
- for any other answer (every role at once): the latest version overall, which every flip moves.

A role-scoped key whose parts are all exact determines its answer, so an entry found near the end
of its life is given a full lifetime again on that read (refreshed ahead of expiry, never
recomputed by the requests that find it gone); an every-role answer still expires after its TTL,
which bounds how long its rows' `stale` flags can lag a write.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis
from redis.commands.core import AsyncScript

from service.store.change_marks import INPUTS_CHANGED
from service.store.summary_cache import CURRENT, LATEST, salary_field

RESPONSES = "careergraph:responses:"
MAX_ROLES = 20  # an answer about more roles than this is keyed like an every-role answer
WATERMARK_DIGITS = 13  # a version starts with its watermark in ms (summary_cache.new_version)

READ_LUA = """
local latest = redis.call('GET', KEYS[1])
local ttl_ms, n = tonumber(ARGV[3]), tonumber(ARGV[4])
local version, exact = latest, false
if n > 0 then
  local parts = {}
  exact = true
  for i = 5, 4 + n do
    local v = redis.call('HGET', KEYS[2], ARGV[5 + n] .. ARGV[i])
    if v then
      local mark = redis.call('HGET', KEYS[3], ARGV[i])
      if mark and tonumber(mark) > tonumber(string.sub(v, 1, tonumber(ARGV[6 + n]))) then v = v .. '*' end
    elseif latest then
      v, exact = 'L' .. latest, false
    else
      return {false, false, 0}
    end
    parts[#parts + 1] = v
  end
  version = table.concat(parts, ',')
end
if not version then return {false, false, 0} end
local key = ARGV[1] .. version .. ':' .. ARGV[2]
local payload = redis.call('GET', key)
if payload and exact and redis.call('PTTL', key) < ttl_ms / 2 then redis.call('PEXPIRE', key, ttl_ms) end
return {version, payload, exact and 1 or 0}
"""
_READ_SCRIPT = AsyncScript(None, READ_LUA.encode())  # type: ignore[arg-type]
READ_KEYS = (LATEST, CURRENT, INPUTS_CHANGED)


@dataclass(frozen=True)
class Entry:
    versions: str | None  # None: nothing is published yet, so nothing may be cached
    payload: bytes | None
    exact: bool = False  # the versions are the named roles' own: the answer cannot go out of date


def _ttl_ms(ttl_s: float) -> int:
    return max(1, int(ttl_s * 1000))


async def read(redis: Redis, key: str, roles: Sequence[str] | None, ttl_s: float) -> Entry:
    """The versions the answer for `key` depends on (the roles', or the latest overall when
    `roles` is None) and the answer cached under them: one round trip."""
    return entry_of(await _READ_SCRIPT(keys=list(READ_KEYS), args=read_args(key, roles, ttl_s), client=redis))


def read_args(key: str, roles: Sequence[str] | None, ttl_s: float) -> list[str | int]:
    """READ_LUA's arguments (its keys are READ_KEYS)."""
    about = list(roles or ())
    return [RESPONSES, key, _ttl_ms(ttl_s), len(about), *about, salary_field(""), WATERMARK_DIGITS]


def entry_of(answer: list[Any]) -> Entry:
    versions, payload, exact = answer
    return Entry(versions.decode() if versions else None, payload or None, bool(exact))


async def store(redis: Redis, versions: str, key: str, payload: bytes, ttl_s: float) -> None:
    await redis.set(f"{RESPONSES}{versions}:{key}", payload, px=_ttl_ms(ttl_s))
