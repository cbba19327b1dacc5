"""Rate limiting by query cost: one token bucket per client in Redis.

Each client (its API key id, or its address when it sends none) has a bucket of
`rate_limit_points` points that refills at `rate_limit_refill_per_s` points a second. An
operation costs its points (see `schema.protection`: one point per hundred nodes it may return,
at least one), taken before it runs; when the bucket holds fewer, the operation is refused with
RATE_LIMITED and told how long to wait. The bucket lives in Redis, so every API process shares
it, and is updated by one Lua script, so concurrent requests cannot overdraw it. The clock is
Redis's own (TIME), so API hosts with skewed clocks agree.

When Redis does not answer, the limiter lets requests through (reads keep being served from
MongoDB) and says so in the log, once per interval.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.commands.core import AsyncScript
from redis.exceptions import RedisError

from service.platform.logs import ThrottledWarning

PREFIX = "careergraph:ratelimit:"
_warn_down = ThrottledWarning(logging.getLogger("careergraph.rate_limit"))

TAKE_LUA = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate / 1000)
local allowed = 0
local wait = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
else
  wait = math.ceil((cost - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity * 1000 / rate) + 1000)
return {allowed, math.floor(tokens), wait}
"""
_TAKE_SCRIPT = AsyncScript(None, TAKE_LUA.encode())  # type: ignore[arg-type]


@dataclass(frozen=True)
class Decision:
    allowed: bool
    cost: int
    limit: int
    remaining: int
    retry_after_s: float  # 0 when allowed


def client_identity(key_id: str | None, address: str | None) -> str:
    """Whose bucket: the API key's when there is one, else the caller's address."""
    return f"key:{key_id}" if key_id else f"addr:{address or 'unknown'}"


async def take(redis: Redis, identity: str, cost: int, capacity: int, refill_per_s: float
               ) -> Decision | None:
    """Take `cost` points from `identity`'s bucket. None when limiting is off or Redis is down."""
    if capacity <= 0:
        return None
    cost = bounded_cost(cost, capacity)
    try:
        answer = await _TAKE_SCRIPT(keys=[PREFIX + identity], args=[capacity, refill_per_s, cost], client=redis)
    except (RedisError, OSError) as exc:
        _warn_down("rate limiter unavailable (%s); letting requests through", type(exc).__name__)
        return None
    return decision_of(answer, cost, capacity)


def bounded_cost(cost: int, capacity: int) -> int:
    """What is taken: an operation over the capacity could never run otherwise."""
    return max(1, min(cost, capacity))


def decision_of(answer: list[int], cost: int, capacity: int) -> Decision:
    """The Decision in TAKE_LUA's answer ({allowed, tokens left, wait ms})."""
    allowed, remaining, wait_ms = answer
    return Decision(bool(allowed), cost, capacity, int(remaining), math.ceil(int(wait_ms)) / 1000)

