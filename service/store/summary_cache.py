"""The Redis side of summaries: immutable versions, an atomic pointer flip, and change markers.

Layout (every key under `careergraph:`):

- `summaries:{field}@{version}`: one summary document as JSON, never changed once written. A
  field is `salary:{role}`, `demand:role:{role}` or `demand:skill:{skill}`.
- `summaries:current`: a hash from field to the version readers should use. A recompute writes
  all its documents first (with a TTL, so a run killed midway leaves only keys that expire), then
  in one MULTI/EXEC points every field it covers at the new version, gives the previous versions
  a grace period to expire (a reader that already holds the old pointer still finds its data),
  and publishes a notice on `summaries:updates`. Readers therefore see the old version whole or
  the new one whole, never a mix within a field, and a full recompute flips all fields at once.
- `summaries:salary-roles`: the set of roles that have a salary summary (kept by `flip`), so the
  every-role read is one round trip.
- `inputs-changed`: a hash from role to the time (ms) of its last observation write, which makes
  `stale` cheap to answer; `dirty`: the set of roles written since their last recompute started.

Versions are `{epoch ms}-{random}`: unique without coordination, and ordered by time.
"""

from __future__ import annotations

import inspect
import json
import secrets
import time
from collections.abc import Awaitable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from redis.asyncio import Redis
from redis.commands.core import AsyncScript

PREFIX = "careergraph:summaries"
CURRENT = f"{PREFIX}:current"
LATEST = f"{PREFIX}:latest"
CHANNEL = f"{PREFIX}:updates"
RESPONSES = "careergraph:responses:"
BENCH_FLOOR = "careergraph:bench:floor"  # the benchmark's bare endpoint serves these bytes
SALARY_ROLES = f"{PREFIX}:salary-roles"
INPUTS_CHANGED = "careergraph:inputs-changed"
DIRTY = "careergraph:dirty"
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

_READ_RESPONSE = """
local version = redis.call('GET', KEYS[1])
if not version then return {false, false} end
return {version, redis.call('GET', ARGV[1] .. version .. ':' .. ARGV[2])}
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


async def _awaited(value: Awaitable[T] | T) -> T:
    """redis-py types its commands as sync-or-async; on the asyncio client they are awaitable."""
    return await value if inspect.isawaitable(value) else value


# Built once (hashing the source) and run on whichever client is passed: EVALSHA, loading the
# script only when the server does not have it yet.
_READ_SCRIPT = AsyncScript(None, _READ.encode())  # type: ignore[arg-type]
_READ_SALARY_ROLES_SCRIPT = AsyncScript(None, _READ_SALARY_ROLES.encode())  # type: ignore[arg-type]
_READ_RESPONSE_SCRIPT = AsyncScript(None, _READ_RESPONSE.encode())  # type: ignore[arg-type]
_REFILL_SCRIPT = AsyncScript(None, _REFILL.encode())  # type: ignore[arg-type]


def new_version() -> str:
    return f"{time.time_ns() // 1_000_000:013d}-{secrets.token_hex(3)}"


def now_ms() -> int:
    return time.time_ns() // 1_000_000


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
    return json.dumps({k: v for k, v in document.items() if k != "_id"}, default=_default,
                      separators=(",", ":")).encode()


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


async def read_response(redis: Redis, key: str) -> tuple[str | None, bytes | None]:
    """The latest summary version and the response cached for `key` under it: one round trip."""
    version, payload = await _READ_RESPONSE_SCRIPT(keys=[LATEST], args=[RESPONSES, key], client=redis)
    return (version.decode() if version else None), (payload or None)


async def store_response(redis: Redis, version: str, key: str, payload: bytes, ttl_s: float) -> None:
    await redis.set(f"{RESPONSES}{version}:{key}", payload, px=max(1, int(ttl_s * 1000)))


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
               grace_s: int, notice: Mapping[str, Any] | None) -> None:
    """Point `fields` at `version` and drop `removed`, atomically, then announce it."""
    fields, removed = list(fields), list(removed)
    previous = await _awaited(redis.hmget(CURRENT, [*fields, *removed])) if fields or removed else []
    async with redis.pipeline(transaction=True) as pipe:
        if fields:
            pipe.hset(CURRENT, mapping=dict.fromkeys(fields, version))
        if removed:
            pipe.hdel(CURRENT, *removed)
        for field, old in zip([*fields, *removed], previous, strict=True):
            if old is not None and old.decode() != version:
                pipe.expire(data_key(field, old.decode()), grace_s)
        salary_roles = [f.partition(":")[2] for f in fields if f.startswith("salary:")]
        if salary_roles:
            pipe.sadd(SALARY_ROLES, *salary_roles)
        gone = [f.partition(":")[2] for f in removed if f.startswith("salary:")]
        if gone:
            pipe.srem(SALARY_ROLES, *gone)
        pipe.set(LATEST, version)
        if notice is not None:
            pipe.publish(CHANNEL, json.dumps(notice, default=_default))
        await pipe.execute()


async def mark_inputs_changed(redis: Redis, roles: Iterable[str]) -> None:
    """Called after observations of `roles` are stored: marks them stale and due a recompute."""
    roles = sorted(set(roles))
    if not roles:
        return
    async with redis.pipeline(transaction=False) as pipe:
        pipe.hset(INPUTS_CHANGED, mapping=dict.fromkeys(roles, now_ms()))
        pipe.sadd(DIRTY, *roles)
        await pipe.execute()


async def take_dirty(redis: Redis, roles: list[str] | None) -> None:
    """A recompute starting: the writes marked so far will be in what it reads."""
    if roles is None:
        await redis.delete(DIRTY)
    elif roles:
        await _awaited(redis.srem(DIRTY, *roles))


async def dirty_since(redis: Redis, roles: list[str] | None) -> list[str]:
    """Roles of `roles` (any when None) written after `take_dirty`: they need another recompute."""
    members = sorted(m.decode() for m in await _awaited(redis.smembers(DIRTY)))
    return members if roles is None else [m for m in members if m in roles]
