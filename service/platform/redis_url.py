"""`REDIS_URL`, read in one place: one Redis server, or a master found through Redis Sentinel.

    redis://[[USER]:PASSWORD@]HOST[:PORT][/DB]        one server (also rediss://, unix://)
    redis+sentinel://[[USER]:PASSWORD@]HOST:PORT,HOST:PORT,HOST:PORT/MASTER_NAME[/DB]
                     [?sentinel_password=PASSWORD[&sentinel_username=USER]]

In the Sentinel form the hosts are the sentinels (port 26379 when left out), MASTER_NAME is the name
they monitor (`sentinel monitor NAME ...`), the user and password are the master's (and its
replicas'), and `sentinel_password` / `sentinel_username` are for the sentinels themselves when they
require one (`requirepass` in sentinel.conf); without them the sentinels are asked without a password.
Reserved characters in a password are percent-encoded (`%40` for `@`).

Errors say what is wrong in one line and never repeat the URL, which may hold a password.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote

SENTINEL_SCHEME = "redis+sentinel"
DIRECT_SCHEMES = ("redis", "rediss", "unix")
SENTINEL_PORT = 26379
_MASTER_NAME = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_HOST = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(?::(\d+))?$")
_SENTINEL_OPTIONS = ("sentinel_password", "sentinel_username")


class RedisUrlError(ValueError):
    """What is wrong with the URL, safe to print (no part of the URL's credentials)."""


@dataclass(frozen=True)
class SentinelTarget:
    """Where a Sentinel-managed master is found, and how to log in to it and to the sentinels."""

    sentinels: tuple[tuple[str, int], ...]
    master: str
    db: int = 0
    username: str | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)
    sentinel_username: str | None = field(default=None, repr=False)
    sentinel_password: str | None = field(default=None, repr=False)


def is_sentinel_url(url: str) -> bool:
    return url.strip().lower().startswith(SENTINEL_SCHEME + "://")


def _split_hosts(hosts: str) -> tuple[tuple[str, int], ...]:
    found = []
    for item in hosts.split(","):
        match = _HOST.match(item.strip())
        if not match:
            raise RedisUrlError("lists sentinels as HOST:PORT separated by commas, and one of them is not")
        port = int(match.group(2) or SENTINEL_PORT)
        if not 1 <= port <= 65535:
            raise RedisUrlError("has a sentinel port outside 1-65535")
        found.append((match.group(1).strip("[]"), port))
    return tuple(found)


def _credentials(userinfo: str) -> tuple[str | None, str | None]:
    if not userinfo:
        return None, None
    user, colon, password = userinfo.partition(":")
    return (unquote(user) or None), (unquote(password) if colon else None)


def parse_sentinel_url(url: str) -> SentinelTarget:
    """The parts of a `redis+sentinel://` URL; RedisUrlError (one line, no secret) when malformed."""
    raw = url.strip()
    scheme, sep, rest = raw.partition("://")
    if scheme.lower() != SENTINEL_SCHEME or not sep:
        raise RedisUrlError(f"must start with {SENTINEL_SCHEME}://")
    rest, _, query = rest.partition("?")
    rest = rest.split("#", 1)[0]
    authority, _, path = rest.partition("/")
    userinfo, at, hosts = authority.rpartition("@")
    if not hosts:
        raise RedisUrlError("names no sentinel: give HOST:PORT,HOST:PORT,... after " + SENTINEL_SCHEME + "://")
    sentinels = _split_hosts(hosts)
    parts = [p for p in path.split("/")]
    if not parts or not parts[0]:
        raise RedisUrlError("names no master: add /MASTER_NAME (the name the sentinels monitor) after the hosts")
    if len(parts) > 2 or (len(parts) == 2 and parts[1] and not parts[1].isdigit()):
        raise RedisUrlError("must end in /MASTER_NAME or /MASTER_NAME/DB, DB a whole number")
    master = unquote(parts[0])
    if not _MASTER_NAME.match(master):
        raise RedisUrlError("has a master name that is not 1-64 letters, digits, '.', '_' or '-'")
    db = int(parts[1]) if len(parts) == 2 and parts[1] else 0
    try:
        options = parse_qs(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError:
        raise RedisUrlError("has a malformed query string") from None
    unknown = sorted(set(options) - set(_SENTINEL_OPTIONS))
    if unknown:
        raise RedisUrlError(f"has an unknown option {unknown[0]!r} (known: {', '.join(_SENTINEL_OPTIONS)})")
    if any(len(values) > 1 for values in options.values()):
        raise RedisUrlError("gives an option twice")
    username, password = _credentials(userinfo) if at else (None, None)
    return SentinelTarget(
        sentinels=sentinels, master=master, db=db, username=username, password=password,
        sentinel_username=options.get("sentinel_username", [None])[0] or None,
        sentinel_password=options.get("sentinel_password", [None])[0] or None,
    )


def check_redis_url(url: str) -> str:
    """The URL, stripped, when it is one of the forms above; RedisUrlError otherwise."""
    raw = url.strip()
    if is_sentinel_url(raw):
        parse_sentinel_url(raw)
        return raw
    scheme, sep, rest = raw.partition("://")
    if scheme.lower() not in DIRECT_SCHEMES or not sep or not rest.split("?", 1)[0].strip("/"):
        wanted = ", ".join(f"{s}://" for s in (*DIRECT_SCHEMES, SENTINEL_SCHEME))
        raise RedisUrlError(f"must be a URL starting with one of {wanted}")
    return raw


def redact(url: str) -> str:
    """The scheme and the hosts (with ports), and for Sentinel the master's name: never a password."""
    scheme, _, rest = url.strip().partition("://")
    authority, _, path = rest.split("?", 1)[0].partition("/")
    hosts = ",".join(h if _HOST.match(h) else "?" for h in authority.rpartition("@")[2].split(",")) or "?"
    if scheme.lower() == SENTINEL_SCHEME:
        master = path.split("/", 1)[0]
        return f"{scheme}://{hosts}/{master}" if _MASTER_NAME.match(master) else f"{scheme}://{hosts}"
    return f"{scheme}://{hosts}"
