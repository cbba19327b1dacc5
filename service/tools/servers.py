"""Where the servers are for one-off commands (`seed`, `import`, ...), and how a command runs a use
case against them.

`careergraph up` records the URLs of its embedded servers in `<data dir>/servers.json` while it
runs, so a second terminal's commands reach the same servers. With no URL set and no running
`up`, a command starts the embedded servers for its own duration.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import TypeVar

from service.platform.config import Settings
from service.platform.embedded import EmbeddedServers, embedded_servers
from service.platform.resources import Resources, open_resources


def servers_file(settings: Settings) -> Path:
    return Path(settings.data_dir) / "servers.json"


def advertise(settings: Settings) -> None:
    path = servers_file(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"mongodb_url": settings.mongodb_url, "redis_url": settings.redis_url,
                                "pid": os.getpid()}))


def withdraw(settings: Settings) -> None:
    with contextlib.suppress(FileNotFoundError):
        servers_file(settings).unlink()


def _advertised(settings: Settings) -> tuple[str, str] | None:
    try:
        data = json.loads(servers_file(settings).read_text())
        os.kill(int(data["pid"]), 0)  # is that `careergraph up` still running?
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return str(data["mongodb_url"]), str(data["redis_url"])


@contextlib.contextmanager
def servers_for_command(settings: Settings) -> Iterator[Settings]:
    """Settings with both URLs set: given, advertised by a running `up`, or embedded for now."""
    if settings.mongodb_url and settings.redis_url:
        yield settings
        return
    advertised = _advertised(settings)
    if advertised is not None:
        yield settings.with_servers(settings.mongodb_url or advertised[0],
                                    settings.redis_url or advertised[1])
        return
    with embedded_for(settings) as (ready, _):
        yield ready


@contextlib.contextmanager
def embedded_for(settings: Settings) -> Iterator[tuple[Settings, EmbeddedServers]]:
    """Embedded servers for the URLs `settings` leaves unset, and settings with every URL set."""
    with embedded_servers(need_mongo=not settings.mongodb_url, need_redis=not settings.redis_url,
                          data_dir=Path(settings.data_dir), mongod_binary=settings.mongod_binary,
                          redis_server_binary=settings.redis_server_binary,
                          redis_sentinel=settings.embedded_redis == "sentinel") as started:
        yield settings.with_servers(
            settings.mongodb_url or (started.mongo.url if started.mongo else ""),
            settings.redis_url or (started.redis.url if started.redis else "")), started


T = TypeVar("T")


def run_with_resources(settings: Settings, use_case: Callable[[Resources], Awaitable[T]],
                       servers_ready: bool = False) -> T:
    """Run one use case against the stores (`servers_for_command`), in its own event loop."""
    async def run(ready: Settings) -> T:
        async with open_resources(ready) as resources:
            return await use_case(resources)

    if servers_ready:
        return asyncio.run(run(settings))
    with servers_for_command(settings) as ready:
        return asyncio.run(run(ready))


def print_lines(lines: list[str]) -> None:
    for line in lines:
        print(line, flush=True)
