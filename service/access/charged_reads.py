"""A cached answer and the rate-limit charge for it, in one Redis round trip.

A response-cache hit used to cost two scripts: the entry's lookup (`response_entries.READ_LUA`)
and the caller's token bucket (`rate_limit.TAKE_LUA`). Both run here as one script: the points
are taken first, and the entry is looked up only when they were. A caller that finds no entry has
paid for the operation already: this is the operation's one charge (the front door, `schema.http.door`,
runs it without charging again).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.commands.core import AsyncScript

from service.access import rate_limit
from service.store import response_entries

_CHARGED_READ = f"""
local function take(KEYS, ARGV)
{rate_limit.TAKE_LUA}
end
local function read(KEYS, ARGV)
{response_entries.READ_LUA}
end
local taken = take({{KEYS[1]}}, {{ARGV[1], ARGV[2], ARGV[3]}})
if taken[1] == 0 then return {{taken}} end
local rest = {{}}
for i = 4, #ARGV do rest[#rest + 1] = ARGV[i] end
return {{taken, read({{KEYS[2], KEYS[3], KEYS[4]}}, rest)}}
"""
_SCRIPT = AsyncScript(None, _CHARGED_READ.encode())  # type: ignore[arg-type]


@dataclass(frozen=True)
class ChargedRead:
    decision: rate_limit.Decision | None  # None: rate limiting is off
    entry: response_entries.Entry | None  # None: refused, so nothing was looked up


async def read_charged(redis: Redis, key: str, roles: Sequence[str] | None, ttl_s: float, *,
                       identity: str, points: int, capacity: int, refill_per_s: float) -> ChargedRead:
    """Take `points` from `identity`'s bucket and, when they were taken, read the entry for `key`
    (see `response_entries.read`). Redis errors are the caller's to handle."""
    if capacity <= 0:
        return ChargedRead(None, await response_entries.read(redis, key, roles, ttl_s))
    cost = rate_limit.bounded_cost(points, capacity)
    answer = await _SCRIPT(keys=[rate_limit.PREFIX + identity, *response_entries.READ_KEYS],
                           args=[capacity, refill_per_s, cost, *response_entries.read_args(key, roles, ttl_s)],
                           client=redis)
    decision = rate_limit.decision_of(answer[0], cost, capacity)
    return ChargedRead(decision, response_entries.entry_of(answer[1]) if len(answer) > 1 else None)
