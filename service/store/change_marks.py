"""Which roles have writes that no published summary covers yet, on Redis's one clock.

`careergraph:inputs-changed` is a hash from role to the time (ms, Redis's own clock, so every
host agrees) of its latest observation write that no published recompute covers:

- a write marks its role (`mark_inputs_changed`);
- a recompute takes its watermark from the same clock before it reads (`redis_now_ms`); once it
  has published, it settles the marks older than its watermark (`settle`). A run that fails, is
  abandoned or loses to a newer one settles nothing, so its roles stay marked for another run;
- a mark left standing is a role awaiting a recompute (`awaiting`): the run's follow-up, or the
  worker's reconciler, queues it. Readers call a summary `stale` while its role is marked.

Redis holds these marks only in memory; after Redis restarts empty, or after Sentinel promotes a
replica that may lack the master's last writes, the worker finds roles whose observations are newer
than their summaries from MongoDB and marks them again (see `service.summaries.reconcile`).
`careergraph:reconciled` holds the replication id of the master that was last reconciled: a restart
empties it, and a promoted replica has an id of its own (Redis gives a master a new one), so either
way the next check sees a master it has not reconciled.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from redis.asyncio import Redis
from redis.commands.core import AsyncScript
from redis.exceptions import ResponseError

INPUTS_CHANGED = "careergraph:inputs-changed"
RECONCILED = "careergraph:reconciled"  # not this master's id after a restart or a failover: MongoDB is asked again

_NOW = "local t = redis.call('TIME') return t[1] * 1000 + math.floor(t[2] / 1000)"
_MARK = """
local t = redis.call('TIME')
local ms = t[1] * 1000 + math.floor(t[2] / 1000)
local unqueued = {}
for i, role in ipairs(ARGV) do
  redis.call('HSET', KEYS[1], role, ms)
  if KEYS[i + 1] and redis.call('EXISTS', KEYS[i + 1]) == 0 then table.insert(unqueued, role) end
end
return unqueued
"""
_SETTLE = """
local watermark = tonumber(ARGV[1])
local roles = {}
if #ARGV > 1 then for i = 2, #ARGV do table.insert(roles, ARGV[i]) end
else roles = redis.call('HKEYS', KEYS[1]) end
local left = {}
for _, role in ipairs(roles) do
  local marked = tonumber(redis.call('HGET', KEYS[1], role))
  if marked then
    if marked < watermark then redis.call('HDEL', KEYS[1], role) else table.insert(left, role) end
  end
end
return left
"""
_NOW_SCRIPT = AsyncScript(None, _NOW.encode())  # type: ignore[arg-type]
_MARK_SCRIPT = AsyncScript(None, _MARK.encode())  # type: ignore[arg-type]
_SETTLE_SCRIPT = AsyncScript(None, _SETTLE.encode())  # type: ignore[arg-type]


async def dataset_id(redis: Redis) -> str:
    """The master's replication id (INFO replication `master_replid`): it stays while the master
    runs and changes when it restarts empty or a replica takes over. "" where INFO is refused."""
    try:
        replication = await redis.info("replication")
    except ResponseError:
        return ""
    return str(replication.get("master_replid", ""))


async def redis_now_ms(redis: Redis) -> int:
    return int(await _NOW_SCRIPT(keys=[], args=[], client=redis))


async def mark_inputs_changed(redis: Redis, roles: Iterable[str],
                              queued_key: Callable[[str], str] | None = None) -> list[str]:
    """After observations of `roles` are stored: mark them (stale, due a recompute). With
    `queued_key` (role to the key that exists while its recompute is queued or running), the same
    round trip answers which of them have none: the roles that still need one queued."""
    wanted = sorted(set(roles))
    if not wanted:
        return []
    keys = [INPUTS_CHANGED, *(queued_key(role) for role in wanted)] if queued_key else [INPUTS_CHANGED]
    return sorted(role.decode() for role in await _MARK_SCRIPT(keys=keys, args=wanted, client=redis))


async def settle(redis: Redis, roles: list[str] | None, watermark_ms: int) -> list[str]:
    """A run with this watermark has published `roles` (every role when None): drop their marks
    older than it. Returns the roles still marked (written since the run began)."""
    left = await _SETTLE_SCRIPT(keys=[INPUTS_CHANGED], args=[watermark_ms, *(roles or [])], client=redis)
    return sorted(role.decode() for role in left)


async def awaiting(redis: Redis) -> list[str]:
    """Roles with writes no published summary covers."""
    return sorted(role.decode() for role in await redis.hkeys(INPUTS_CHANGED))  # type: ignore[misc]
