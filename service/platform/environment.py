"""The environment variables careergraph reads: the setting each one sets, and how its text becomes
a value, with a one-line error that names the variable (`SettingsError`). `Settings.from_env`
(service.platform.config) reads them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from service.platform import redis_url

LOG_LEVELS = ("critical", "error", "warning", "info", "debug")
LOG_FORMATS = ("json", "text")
PERSISTED_QUERY_MODES = ("auto", "allowlist", "off")
#: Where the worker's whole reads of observations go (majority-committed data either way).
WORKER_READS = ("primary", "secondaryPreferred")
ENVIRONMENTS = ("embedded", "production")
EMBEDDED_REDIS = ("single", "sentinel")
_DB_NAME = re.compile(r"^[A-Za-z0-9_-]{1,63}$")


class SettingsError(ValueError):
    """A setting has a malformed value. The message names the variable and is safe to print."""


def _port(name: str, raw: str) -> int:
    if not raw.isdigit() or not 1 <= int(raw) <= 65535:
        raise SettingsError(f"{name} must be a whole number from 1 to 65535, got {raw!r}")
    return int(raw)


def _positive_float(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise SettingsError(f"{name} must be a positive number, got {raw!r}")
    return value


def _non_negative_float(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value >= 0:
        raise SettingsError(f"{name} must be a number of at least 0, got {raw!r}")
    return value


def _non_negative_int(name: str, raw: str) -> int:
    if not raw.isdigit():
        raise SettingsError(f"{name} must be a whole number of at least 0, got {raw!r}")
    return int(raw)


def _positive_int(name: str, raw: str) -> int:
    if not raw.isdigit() or int(raw) < 1:
        raise SettingsError(f"{name} must be a whole number of at least 1, got {raw!r}")
    return int(raw)


def _bool(name: str, raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be true or false, got {raw!r}")


def _choice(options: tuple[str, ...]) -> Callable[[str, str], str]:
    def parse(name: str, raw: str) -> str:
        value = raw.strip().lower()
        if value not in options:
            raise SettingsError(f"{name} must be one of {', '.join(options)}, got {raw!r}")
        return value

    return parse


def _url(schemes: tuple[str, ...]) -> Callable[[str, str], str]:
    def parse(name: str, raw: str) -> str:
        parts = urlsplit(raw.strip())
        if parts.scheme not in schemes or not parts.netloc:
            wanted = " or ".join(f"{s}://" for s in schemes)
            raise SettingsError(f"{name} must be a URL starting with {wanted}")
        return raw.strip()

    return parse


def _redis_url(name: str, raw: str) -> str:
    """One server (redis://, rediss://, unix://) or a Sentinel-managed master (redis+sentinel://):
    see service.platform.redis_url for the forms."""
    try:
        return redis_url.check_redis_url(raw)
    except redis_url.RedisUrlError as exc:
        raise SettingsError(f"{name} {exc}") from None


def _db_name(name: str, raw: str) -> str:
    if not _DB_NAME.match(raw):
        raise SettingsError(f"{name} must be 1-63 letters, digits, '_' or '-', got {raw!r}")
    return raw


def _text(name: str, raw: str) -> str:
    return raw


def _daily_time(name: str, raw: str) -> str:
    """"HH:MM" (UTC) or "off"."""
    value = raw.strip().lower()
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", value)
    if value != "off" and not match:
        raise SettingsError(f"{name} must be a time of day as HH:MM (UTC) or off, got {raw!r}")
    return value


def _failpoints(name: str, raw: str) -> tuple[tuple[str, float], ...]:
    """"point=seconds,point=seconds"."""
    points = []
    for item in _csv(name, raw):
        point, _, seconds = item.partition("=")
        points.append((point.strip(), _positive_float(name, seconds.strip())))
    return tuple(points)


def _grid(name: str, raw: str) -> str:
    """A series of preferred numbers: R20, R40 or R80 (their cells are all wider than 2%)."""
    value = raw.strip().upper()
    if value not in ("R20", "R40", "R80"):
        raise SettingsError(f"{name} must be R20, R40 or R80 (coarser to finer), got {raw!r}")
    return value


def _secret(name: str, raw: str) -> str:
    if len(raw) < 16:
        raise SettingsError(f"{name} must be at least 16 characters (use a random string)")
    return raw


def _csv(name: str, raw: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in raw.split(",") if item.strip())


def _currencies(name: str, raw: str) -> tuple[str, ...]:
    """ISO 4217 codes, comma separated; USD is always among them (pay comparisons and the skill
    pay premium are in USD)."""
    codes = _csv(name, raw.upper())
    bad = [code for code in codes if not re.fullmatch(r"[A-Z]{3}", code)]
    if bad or not codes:
        raise SettingsError(f"{name} must be currency codes such as USD,EUR, got {raw!r}")
    return tuple(dict.fromkeys(("USD", *codes)))


_ENV: dict[str, tuple[str, Callable[[str, str], Any]]] = {
    "MONGODB_URL": ("mongodb_url", _url(("mongodb", "mongodb+srv"))),
    "MONGODB_DB": ("mongodb_db", _db_name),
    "REDIS_URL": ("redis_url", _redis_url),
    "CAREERGRAPH_HOST": ("host", _text),
    "CAREERGRAPH_PORT": ("port", _port),
    "CAREERGRAPH_DATA_DIR": ("data_dir", _text),
    "CAREERGRAPH_LOG_LEVEL": ("log_level", _choice(LOG_LEVELS)),
    "CAREERGRAPH_LOG_FORMAT": ("log_format", _choice(LOG_FORMATS)),
    "CAREERGRAPH_PERSISTED_QUERIES": ("persisted_queries", _choice(PERSISTED_QUERY_MODES)),
    "CAREERGRAPH_ENV": ("environment", _choice(ENVIRONMENTS)),
    "CAREERGRAPH_MONGOD": ("mongod_binary", _text),
    "CAREERGRAPH_REDIS_SERVER": ("redis_server_binary", _text),
    "CAREERGRAPH_EMBEDDED_REDIS": ("embedded_redis", _choice(EMBEDDED_REDIS)),
    "CAREERGRAPH_MONGODB_TIMEOUT": ("mongodb_timeout_s", _positive_float),
    "CAREERGRAPH_REDIS_TIMEOUT": ("redis_timeout_s", _positive_float),
    "CAREERGRAPH_EXECUTION_TIMEOUT": ("execution_timeout_s", _positive_float),
    "CAREERGRAPH_REQUIRE_API_KEY": ("require_api_key", _bool),
    "CAREERGRAPH_CORS_ORIGINS": ("cors_origins", _csv),
    "CAREERGRAPH_MIN_CELL_SIZE": ("min_cell_size", _positive_int),
    "CAREERGRAPH_RELEASE_CHANGES": ("release_changes", _positive_int),
    "CAREERGRAPH_PAY_GRID": ("pay_grid", _grid),
    "CAREERGRAPH_FINE_GRID_MIN": ("fine_grid_min", _positive_int),
    "CAREERGRAPH_TAIL_MIN": ("tail_min", _positive_int),
    "CAREERGRAPH_NORMALIZE_TO": ("normalize_to", _currencies),
    "CAREERGRAPH_LOAD_OFFICIAL": ("load_official", _bool),
    "CAREERGRAPH_FULL_RECOMPUTE_AT": ("full_recompute_at", _daily_time),
    "CAREERGRAPH_CACHE_TTL": ("cache_ttl_s", _positive_int),
    "CAREERGRAPH_CACHE_GRACE": ("cache_grace_s", _positive_int),
    "CAREERGRAPH_WS_INIT_TIMEOUT": ("ws_init_timeout_s", _positive_float),
    "CAREERGRAPH_WS_MAX_SUBSCRIPTIONS": ("ws_max_subscriptions", _positive_int),
    "CAREERGRAPH_WS_MAX_CONNECTIONS": ("ws_max_connections", _non_negative_int),
    "CAREERGRAPH_WS_MAX_PER_ADDRESS": ("ws_max_per_address", _positive_int),
    "CAREERGRAPH_WS_MAX_PENDING_PER_ADDRESS": ("ws_max_pending_per_address", _positive_int),
    "CAREERGRAPH_WS_KEY_RECHECK": ("ws_key_recheck_s", _positive_float),
    "CAREERGRAPH_WS_MAX_LIFETIME": ("ws_max_lifetime_s", _positive_float),
    "CAREERGRAPH_RESPONSE_CACHE_TTL": ("response_cache_ttl_s", _non_negative_float),
    "CAREERGRAPH_RESPONSE_CACHE_EXACT_TTL": ("response_cache_exact_ttl_s", _non_negative_float),
    "CAREERGRAPH_RATE_LIMIT_POINTS": ("rate_limit_points", _non_negative_int),
    "CAREERGRAPH_RATE_LIMIT_REFILL": ("rate_limit_refill_per_s", _positive_float),
    "CAREERGRAPH_RUN_STALE_AFTER": ("run_stale_after_s", _positive_float),
    "CAREERGRAPH_WORKER_BEAT": ("worker_beat_s", _positive_float),
    "CAREERGRAPH_FAILPOINTS": ("failpoints", _failpoints),
    "CAREERGRAPH_BENCH_ENDPOINTS": ("bench_endpoints", _bool),
    "CAREERGRAPH_SUBMISSION_SHORTCUT": ("submission_shortcut", _bool),
    "CAREERGRAPH_CURSOR_SECRET": ("cursor_secret", _secret),
    "CAREERGRAPH_TRUSTED_PROXIES": ("trusted_proxies", _csv),
    "CAREERGRAPH_MAX_CONNECTIONS": ("max_connections", _positive_int),
    "CAREERGRAPH_READ_TIMEOUT": ("read_timeout_s", _positive_float),
    "CAREERGRAPH_WEB_CONCURRENCY": ("web_concurrency", _positive_int),
    "CAREERGRAPH_WORKER_READS": ("worker_reads", _choice(WORKER_READS)),
}

#: The environment variables careergraph reads (docker-compose is checked against this).
ENVIRONMENT_VARIABLES = frozenset(_ENV)


def settings_values(environ: Mapping[str, str]) -> dict[str, Any]:
    """The settings `environ` gives (by field name); raise SettingsError naming the first bad variable."""
    values: dict[str, Any] = {}
    for env_name, (field, parse) in _ENV.items():
        raw = environ.get(env_name)
        if raw is None or raw == "":
            continue
        values[field] = parse(env_name, raw)
    return values
