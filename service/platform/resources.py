"""Client lifecycle: `open_resources(settings)` opens MongoDB and Redis and closes both.

Used by the Starlette lifespan, arq's startup/shutdown and the tests. An `AsyncMongoClient`
belongs to the event loop it was opened on, so each process (and each test) opens its own.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar, cast

from arq.connections import ArqRedis
from pymongo import AsyncMongoClient, WriteConcern
from pymongo.asynchronous.database import AsyncDatabase
from redis.asyncio import ConnectionPool
from redis.asyncio.sentinel import Sentinel
from redis.exceptions import RedisError

from service.platform import redis_url
from service.platform.config import Settings, redact_url


class ServiceUnavailable(RuntimeError):
    """A backing store does not answer. `store` is "MongoDB" or "Redis"; safe to show."""

    def __init__(self, store: str, detail: str = "") -> None:
        super().__init__(f"{store} is not answering" + (f" ({detail})" if detail else ""))
        self.store = store


class Attachment(Protocol):
    """A helper that belongs to one `Resources`: its clients and its event loop."""

    async def aclose(self) -> None:
        """Finish what was handed in; called before the clients close."""


A = TypeVar("A", bound=Attachment)


@dataclass(frozen=True, eq=False)
class Slot(Generic[A]):
    """Where a `Resources` keeps one kind of attachment, and how it is made on first use. The
    module that owns the helper owns its slot; the slot itself (not its name) is the key."""

    name: str
    make: Callable[[Resources], A]


@dataclass
class Resources:
    settings: Settings
    mongo: AsyncMongoClient[dict[str, Any]]
    db: AsyncDatabase[dict[str, Any]]
    redis: ArqRedis  # a redis.asyncio.Redis that can also enqueue arq jobs
    # Helpers made on first use by the modules that own them (the submissions' group commit, the
    # roles known to exist); closed (`aclose`) before the clients are.
    _attached: dict[Slot[Any], Attachment] = field(default_factory=dict, repr=False)

    def attachment(self, slot: Slot[A]) -> A:
        """The slot's helper for these clients, made now if it is not yet."""
        found = self._attached.get(slot)
        if found is None:
            found = self._attached[slot] = slot.make(self)
        return cast(A, found)  # only `slot.make` fills `slot`


def mongo_client(settings: Settings) -> AsyncMongoClient[dict[str, Any]]:
    if not settings.mongodb_url:
        raise ValueError("MONGODB_URL is not set and no embedded MongoDB was started")
    timeout_ms = int(settings.mongodb_timeout_s * 1000)
    return AsyncMongoClient(
        settings.mongodb_url,
        w="majority",
        retryWrites=True,
        retryReads=True,
        serverSelectionTimeoutMS=timeout_ms,
        connectTimeoutMS=timeout_ms,
        socketTimeoutMS=max(timeout_ms * 6, 30_000),
        appname="careergraph",
        tz_aware=True,
    )


class SentinelRedis(ArqRedis):
    """A client of the master that Redis Sentinel names: each new connection asks the sentinels
    where the master is, so after a failover the next command reaches the new one (commands on a
    connection to the old master fail, as with a server that went away, and nothing is retried
    blindly). Closing it also closes its connections to the sentinels."""

    sentinel_manager: Sentinel | None = None

    async def aclose(self, close_connection_pool: bool | None = None) -> None:
        await super().aclose(close_connection_pool)
        if self.sentinel_manager is not None:
            for client in self.sentinel_manager.sentinels:
                await client.aclose(close_connection_pool=True)


def redis_client(settings: Settings) -> ArqRedis:
    """The one way careergraph opens Redis (API, worker, CLI, bench): one server, or the master
    behind Sentinel for a `redis+sentinel://` URL (see service.platform.redis_url)."""
    if not settings.redis_url:
        raise ValueError("REDIS_URL is not set and no embedded Redis was started")
    options: dict[str, Any] = {"socket_connect_timeout": settings.redis_timeout_s,
                               "socket_timeout": settings.redis_timeout_s,
                               "health_check_interval": 15, "max_connections": 256}
    if not redis_url.is_sentinel_url(settings.redis_url):
        return ArqRedis(connection_pool=ConnectionPool.from_url(settings.redis_url, **options))
    target = redis_url.parse_sentinel_url(settings.redis_url)
    sentinel = Sentinel(
        list(target.sentinels),
        sentinel_kwargs={"socket_connect_timeout": settings.redis_timeout_s,
                         "socket_timeout": settings.redis_timeout_s,
                         "username": target.sentinel_username, "password": target.sentinel_password},
        db=target.db, username=target.username, password=target.password, **options,
    )
    client = sentinel.master_for(target.master, redis_class=SentinelRedis)
    client.sentinel_manager = sentinel
    return client


@contextlib.asynccontextmanager
async def open_resources(settings: Settings) -> AsyncIterator[Resources]:
    mongo = mongo_client(settings)
    redis = redis_client(settings)
    resources = None
    try:
        db = mongo.get_database(settings.mongodb_db, write_concern=WriteConcern(w="majority"))
        resources = Resources(settings=settings, mongo=mongo, db=db, redis=redis)
        yield resources
    finally:
        for helper in (resources._attached.values() if resources is not None else ()):
            await helper.aclose()
        await redis.aclose(close_connection_pool=True)
        await mongo.close()


async def ping_mongodb(resources: Resources, timeout_s: float = 2.0) -> None:
    try:
        await asyncio.wait_for(resources.mongo.admin.command("ping"), timeout_s)
    except Exception as exc:  # any failure means "not ready"; the detail stays in the logs
        raise ServiceUnavailable("MongoDB", type(exc).__name__) from exc


async def ping_redis(resources: Resources, timeout_s: float = 2.0) -> None:
    try:
        await asyncio.wait_for(resources.redis.ping(), timeout_s)
    except (RedisError, OSError, TimeoutError) as exc:
        raise ServiceUnavailable("Redis", type(exc).__name__) from exc


async def server_versions(resources: Resources) -> tuple[str, str]:
    """(MongoDB version, Redis version) as the servers report them."""
    build = await resources.mongo.admin.command("buildInfo")
    info = await resources.redis.info("server")
    return str(build["version"]), str(info.get("redis_version", "unknown"))


async def check_reachable(settings: Settings) -> None:
    """Raise ServiceUnavailable (with a redacted URL) unless both stores answer."""
    async with open_resources(settings) as resources:
        try:
            await ping_mongodb(resources, settings.mongodb_timeout_s + 1)
        except ServiceUnavailable as exc:
            raise ServiceUnavailable(
                "MongoDB", f"at {redact_url(settings.mongodb_url or '')}"
            ) from exc
        try:
            await ping_redis(resources, settings.redis_timeout_s + 1)
        except ServiceUnavailable as exc:
            raise ServiceUnavailable("Redis", f"at {redact_url(settings.redis_url or '')}") from exc
