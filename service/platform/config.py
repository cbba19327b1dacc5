"""Settings: one frozen object read from the environment.

Every setting has a default that is safe for the embedded mode (servers on loopback started by
`careergraph up`). `Settings.from_env` takes any mapping, so tests feed it a plain dict; which
variable sets which setting, and how its text is checked, is service.platform.environment.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from service.platform import redis_url
from service.platform.environment import settings_values


@dataclasses.dataclass(frozen=True)
class Settings:
    """Everything configurable, read once. `None` URLs mean: start an embedded server."""

    mongodb_url: str | None = None
    mongodb_db: str = "careergraph"
    redis_url: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    data_dir: Path = Path(".careergraph")
    log_level: str = "info"
    log_format: str = "json"  # or "text"
    environment: str = "embedded"
    mongod_binary: str | None = None
    redis_server_binary: str | None = None
    # The Redis that `careergraph up` starts when REDIS_URL is unset: one server, or a master, a
    # replica and three sentinels on loopback ("sentinel"; REDIS_URL is then a redis+sentinel:// URL).
    embedded_redis: str = "single"
    mongodb_timeout_s: float = 5.0
    redis_timeout_s: float = 2.0
    execution_timeout_s: float | None = None  # an operation's time limit; None: the schema's own (10 s)
    require_api_key: bool = False
    cors_origins: tuple[str, ...] = ()
    # Disclosure of crowd pay (docs/privacy.md): a group shows figures with at least this many
    # observations; a cell holds 0 or at least this many submitted ones in the published figures.
    min_cell_size: int = 5
    release_changes: int = 5  # a cell's submitted rows join or leave the figures this many at the least
    pay_grid: str = "R40"  # the series of preferred numbers submitted amounts count as (R20, R40, R80)
    fine_grid_min: int = 1000  # submitted rows a group needs for percentiles off points spread over their cells
    tail_min: int = 30  # observations a group needs to show p10 and p90
    # The benchmark's side-by-side measure of the disclosure step: a recompute in the bench's own
    # process publishing exact figures as before it. No environment variable sets it: never served.
    bench_exact_publication: bool = False
    # `careergraph up` loads the official data the wheels bundle (OEWS, ECB rates) into an empty database.
    load_official: bool = True
    # Currencies the worker precomputes normalised summaries in (`normalizeTo`); USD always.
    normalize_to: tuple[str, ...] = ("USD", "EUR")
    full_recompute_at: str = "03:00"  # UTC, daily; "off" for none
    cache_ttl_s: int = 3 * 24 * 3600  # a summary version not refreshed in this long leaves Redis
    cache_grace_s: int = 60  # how long a replaced version stays readable
    ws_init_timeout_s: float = 3.0  # a socket not past `connection_init` by then is closed (4408)
    ws_max_subscriptions: int = 20
    # Open WebSockets per API process (None: half of `max_connections`; always below it, so that
    # sockets leave room for requests), per client address, and per client address not yet past
    # `connection_init`; beyond any, the handshake is refused (503 or 429).
    ws_max_connections: int | None = None
    ws_max_per_address: int = 16
    ws_max_pending_per_address: int = 4
    ws_key_recheck_s: float = 5.0  # a revoked key stops working on an open WebSocket within this
    ws_max_lifetime_s: float = 3600.0  # then the socket is closed (1001); clients reconnect
    # Whole GraphQL responses of summary-only queries, per summary version; `stale` may lag a
    # write by at most this long. 0 turns the response cache off.
    response_cache_ttl_s: float = 5.0
    # an answer about named roles is keyed by their exact versions: it can live longer unread
    response_cache_exact_ttl_s: float = 60.0
    # auto: clients may register queries by hash (APQ); allowlist: only the operators' list runs;
    # off: hashes are refused (service.access.persisted_queries).
    persisted_queries: str = "auto"
    # submitSalary documents of the shape clients send at volume answered by the front door itself
    # (schema.http.submissions); off: every submission goes through the GraphQL execution.
    submission_shortcut: bool = True
    # Per-client token bucket of query-cost points (service.rate_limit); 0 points turns it off.
    rate_limit_points: int = 1000
    rate_limit_refill_per_s: float = 50.0
    # A recompute whose worker stopped heartbeating this long ago is marked abandoned, and its
    # job is released for another worker (service.summaries.runs.reap_abandoned_runs).
    run_stale_after_s: float = 30.0
    # Each worker writes its own heartbeat this often; `careergraph worker --check` calls a worker
    # gone after three missed beats (service.ops.heartbeats).
    worker_beat_s: float = 5.0
    failpoints: tuple[tuple[str, float], ...] = ()  # fault injection for tests (service.failpoints)
    bench_endpoints: bool = False  # `/bench/floor`, the benchmark's bare endpoint; never in production
    # X-Forwarded-For / -Proto are believed only from these addresses (none: never).
    trusted_proxies: tuple[str, ...] = ()
    read_timeout_s: float = 10.0  # a request's head, and then its body, must arrive within this
    max_connections: int = 1000  # connections and requests in flight per API process; 503 beyond
    web_concurrency: int | None = None  # API processes of `careergraph serve`; None: one per core
    # The worker's whole reads of a role (chunks at a snapshot) may go to a secondary; its reads of
    # changes, and every request, stay on the primary (service.summaries.rollups).
    worker_reads: str = "primary"
    # Signs pagination cursors; unset: a random secret made once and kept in MongoDB.
    cursor_secret: str | None = dataclasses.field(default=None, repr=False)

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def ws_connection_limit(self) -> int:
        """Open WebSockets one API process accepts (see `ws_max_connections`)."""
        wanted = self.max_connections // 2 if self.ws_max_connections is None else self.ws_max_connections
        return max(0, min(wanted, self.max_connections - 1))

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        """Read settings from `environ` (service.platform.environment); raise SettingsError naming
        the first bad variable."""
        values = settings_values(environ)
        if "data_dir" in values:
            values["data_dir"] = Path(values["data_dir"])
        return cls(**values)

    def with_servers(self, mongodb_url: str, redis_url: str) -> Settings:
        return dataclasses.replace(self, mongodb_url=mongodb_url, redis_url=redis_url)


def redact_url(url: str) -> str:
    """A URL safe to print: scheme, hosts and ports only (and a Sentinel master's name), never
    credentials or options."""
    if redis_url.is_sentinel_url(url) or "," in url.partition("?")[0]:
        return redis_url.redact(url)
    parts = urlsplit(url)
    host = parts.hostname or "?"
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        port = ""
    return f"{parts.scheme}://{host}{port}"
