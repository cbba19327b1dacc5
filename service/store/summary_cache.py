"""The Redis side of summaries: immutable versions, an atomic pointer flip, and change markers.

Layout (every key under `careergraph:`):

- `summaries:{field}@{version}`: one summary document as JSON, never changed once written. A
  field is `salary:{role}`, `demand:role:{role}` or `demand:skill:{skill}`.
- `summaries:current`: a hash from field to the version readers should use. A recompute writes
  all its documents first (with a TTL, so a run killed midway leaves only keys that expire), then
  one Lua script (`flip`) points every field it covers at the new version, gives the previous versions
  a grace period to expire (a reader that already holds the old pointer still finds its data),
  and publishes a notice on `summaries:updates`. Readers therefore see the old version whole or
  the new one whole, never a mix within a field, and a full recompute flips all fields at once.
- `summaries:salary-roles`: the set of roles that have a salary summary (kept by `flip`), so the
  every-role read is one round trip.
- `summaries:latest`: the newest version any flip published; whole GraphQL answers are cached
  under it and under the roles' versions (`response_entries`).
- `careergraph:inputs-changed` (`change_marks`): roles with writes no published summary covers,
  read in the same round trip as a summary to answer `stale`.

Versions are `{watermark ms}-{random}`: the watermark is the Redis time before the run read its
inputs, so versions order runs by what they saw, and `flip` lets the newest win.
"""

from __future__ import annotations

import inspect
import json
import secrets
from collections.abc import Awaitable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

import orjson
from redis.asyncio import Redis
from redis.commands.core import AsyncScript

from service.store.change_marks import INPUTS_CHANGED

PREFIX = "careergraph:summaries"
CURRENT = f"{PREFIX}:current"
LATEST = f"{PREFIX}:latest"
CHANNEL = f"{PREFIX}:updates"
BENCH_FLOOR = "careergraph:bench:floor"  # the benchmark's bare endpoint serves these bytes
SALARY_ROLES = f"{PREFIX}:salary-roles"
WRITE_CHUNK = 500
T = TypeVar("T")

_READ = """
local version = redis.call('HGET', KEYS[1], ARGV[1])
local changed = false
if ARGV[3] ~= '' then changed = redis.call('HGET', KEYS[2], ARGV[3]) end
if not version then return {false, false, changed} end
return {version, redis.call('GET', ARGV[2] .. ARGV[1] .. '@' .. version), changed}
"""

_READ_SALARY_ROLES = """
local out = {}
for _, role in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  local field = 'salary:' .. role
  local version = redis.call('HGET', KEYS[1], field)
  local payload = false
  if version then payload = redis.call('GET', ARGV[1] .. field .. '@' .. version) end
  table.insert(out, {role, payload, redis.call('HGET', KEYS[2], role)})
end
return out
"""

_REFILL = """
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current and current >= ARGV[2] and redis.call('EXISTS', ARGV[3] .. ARGV[1] .. '@' .. current) == 1 then
  return 0
end
redis.call('SET', ARGV[3] .. ARGV[1] .. '@' .. ARGV[2], ARGV[4], 'EX', tonumber(ARGV[5]))
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
"""

_FLIP = """
local version, grace, prefix = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local count, gone = tonumber(ARGV[4]), tonumber(ARGV[5])
local won = {}
for i = 6, 5 + count + gone do
  local field = ARGV[i]
  local current = redis.call('HGET', KEYS[1], field)
  local removing = i > 5 + count
  if (not current and not removing) or (current and current < version) then
    if removing then redis.call('HDEL', KEYS[1], field) else redis.call('HSET', KEYS[1], field, version) end
    if current then redis.call('EXPIRE', prefix .. field .. '@' .. current, grace) end
    if string.sub(field, 1, 7) == 'salary:' then
      if removing then redis.call('SREM', KEYS[2], string.sub(field, 8))
      else redis.call('SADD', KEYS[2], string.sub(field, 8)) end
    end
    table.insert(won, field)
  end
end
if #won > 0 then
  local latest = redis.call('GET', KEYS[3])
  if not latest or latest < version then redis.call('SET', KEYS[3], version) end
end
return won
"""


async def _awaited(value: Awaitable[T] | T) -> T:
    """redis-py types its commands as sync-or-async; on the asyncio client they are awaitable."""
    return await value if inspect.isawaitable(value) else value


# Built once (hashing the source) and run on whichever client is passed: EVALSHA, loading the
# script only when the server does not have it yet.
_READ_SCRIPT = AsyncScript(None, _READ.encode())  # type: ignore[arg-type]
_READ_SALARY_ROLES_SCRIPT = AsyncScript(None, _READ_SALARY_ROLES.encode())  # type: ignore[arg-type]
_REFILL_SCRIPT = AsyncScript(None, _REFILL.encode())  # type: ignore[arg-type]
_FLIP_SCRIPT = AsyncScript(None, _FLIP.encode())  # type: ignore[arg-type]


def new_version(watermark_ms: int) -> str:
    """`{watermark ms}-{random}`: unique without coordination, and ordered by the inputs it covers."""
    return f"{watermark_ms:013d}-{secrets.token_hex(3)}"


def version_watermark_ms(version: str) -> int:
    return int(version.split("-", 1)[0])


def data_key(field: str, version: str) -> str:
    return f"{PREFIX}:{field}@{version}"


def salary_field(role: str) -> str:
    return f"salary:{role}"


def demand_field(subject: str) -> str:
    return f"demand:{subject}"


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot encode {type(value).__name__}")


def encode(document: Mapping[str, Any]) -> bytes:
    """Compact JSON (orjson: the same text as the standard library's for these documents, in an
    eighth of the time)."""
    return orjson.dumps({k: v for k, v in document.items() if k != "_id"}, default=_default)


@dataclass(frozen=True)
class CachedRead:
    version: str | None
    payload: bytes | None
    inputs_changed_ms: int | None


async def read(redis: Redis, field: str, changed_role: str | None = None) -> CachedRead:
    """The current version of `field` and, for a role, when its inputs last changed: one round trip."""
    version, payload, changed = await _READ_SCRIPT(
        keys=[CURRENT, INPUTS_CHANGED], args=[field, f"{PREFIX}:", changed_role or ""], client=redis)
    return CachedRead(version.decode() if version else None, payload,
                      int(changed) if changed else None)


async def read_salary_roles(redis: Redis) -> dict[str, CachedRead]:
    """Every role's current salary document and change mark, in one round trip."""
    rows = await _READ_SALARY_ROLES_SCRIPT(keys=[CURRENT, INPUTS_CHANGED, SALARY_ROLES],
                                           args=[f"{PREFIX}:"], client=redis)
    return {role.decode(): CachedRead(None, payload or None, int(changed) if changed else None)
            for role, payload, changed in rows}


async def refill(redis: Redis, field: str, version: str, payload: bytes, ttl_s: int) -> bool:
    """Put a document read from MongoDB back in the cache, unless a newer version is already there."""
    done = await _REFILL_SCRIPT(keys=[CURRENT], args=[field, version, f"{PREFIX}:", payload, ttl_s],
                                client=redis)
    return bool(done)


async def write_version(redis: Redis, version: str, documents: Mapping[str, bytes], ttl_s: int) -> None:
    """Write a version's documents. Nothing reads them until `flip`; until then they only expire."""
    items = list(documents.items())
    for start in range(0, len(items), WRITE_CHUNK):
        async with redis.pipeline(transaction=False) as pipe:
            for field, payload in items[start:start + WRITE_CHUNK]:
                pipe.set(data_key(field, version), payload, ex=ttl_s)
            await pipe.execute()


async def flip(redis: Redis, version: str, fields: Iterable[str], removed: Iterable[str],
               grace_s: int) -> list[str]:
    """Point `fields` at `version` and drop `removed`, in one script, latest wins: a field whose
    current version is as new or newer is left alone (a run that stalled before its flip cannot
    overwrite a newer run's). Previous versions get `grace_s` to expire. Returns the fields won."""
    fields, removed = list(fields), list(removed)
    if not fields and not removed:
        return []
    args: list[str | int] = [version, grace_s, f"{PREFIX}:", len(fields), len(removed), *fields, *removed]
    won = await _FLIP_SCRIPT(keys=[CURRENT, SALARY_ROLES, LATEST], args=args, client=redis)
    return [field.decode() for field in won]


async def announce(redis: Redis, notice: Mapping[str, Any]) -> None:
    """Tell every API process (and through them, subscribers) that versions went live."""
    await redis.publish(CHANNEL, json.dumps(notice, default=_default))
