"""The `careergraph` command.

The API and the worker are started by reference (`schema.asgi:create_app`,
`worker.main.WorkerSettings`), never imported here, so the service layer stays below both.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Callable, Sequence

from pymongo.errors import PyMongoError
from redis.exceptions import RedisError

from service.platform.config import Settings
from service.platform.embedded import EmbeddedServerError
from service.platform.environment import SettingsError
from service.platform.resources import ServiceUnavailable, check_reachable
from service.tools import data_commands, export_command, operator_commands, query_commands

API_SERVER = "schema.http.server"  # runs schema.asgi:create_app under uvicorn

Command = Callable[[Settings, argparse.Namespace], int]
JSON_OUTPUT = frozenset({"import", "imports", "recompute", "status", "export"})  # commands with --json
COMMANDS: dict[str, tuple[Command, str, Callable[[argparse.ArgumentParser], None] | None]] = {}


def command(
    name: str, help_text: str, arguments: Callable[[argparse.ArgumentParser], None] | None = None
) -> Callable[[Command], Command]:
    def register(fn: Command) -> Command:
        COMMANDS[name] = (fn, help_text, arguments)
        return fn

    return register


def _require_servers(settings: Settings, what: str) -> None:
    missing = [n for n, v in (("MONGODB_URL", settings.mongodb_url),
                              ("REDIS_URL", settings.redis_url)) if not v]
    if missing:
        raise SettingsError(
            f"{' and '.join(missing)} must be set for `careergraph {what}` "
            "(`careergraph up` starts embedded servers instead)"
        )


@command("up", "embedded servers where needed, then the API and the worker (Ctrl-C stops all)")
def cmd_up(settings: Settings, args: argparse.Namespace) -> int:
    from service.tools.supervisor import run_up

    return run_up(settings, prepare=data_commands.seed_empty_database)


command("seed", "load the curated dataset from the articles (idempotent)")(data_commands.cmd_seed)


@command("init", "a first start's loading, as `up` does it: the seed, and the bundled official wages and "
                 "rates, each only into a database that has none (compose runs it once before the API)")
def cmd_init(settings: Settings, args: argparse.Namespace) -> int:
    _require_servers(settings, "init")
    data_commands.seed_empty_database(settings)
    print("init: the database holds the seed and the official data", flush=True)
    return 0


command("import", "import O*NET (a directory), salaries (a file), official wages (oews), exchange rates (fx) or "
        "PPP conversion factors (ppp), or undo a salary import run", data_commands.import_arguments)(
    data_commands.cmd_import)
command("imports", "list recent import runs with their counts", data_commands.imports_arguments)(
    data_commands.cmd_imports)
command("create-api-key", "create an API key and print it once", operator_commands.key_arguments)(
    operator_commands.cmd_create_api_key)
command("revoke-api-key", "revoke an API key", operator_commands.revoke_arguments)(
    operator_commands.cmd_revoke_api_key)
command("recompute", "recompute summaries now (or --queue them for the worker)",
        operator_commands.recompute_arguments)(operator_commands.cmd_recompute)
command("status", "stores, queue, cache version and recent recomputes", operator_commands.status_arguments)(
    operator_commands.cmd_status)
command("export", "a snapshot of summaries, roles, skills, paths, official wages or observations, with a manifest",
        export_command.arguments)(export_command.cmd_export)
command("persisted-queries", "the allow-list of queries (see CAREERGRAPH_PERSISTED_QUERIES)",
        query_commands.arguments)(query_commands.cmd_persisted_queries)


def _bench_arguments(parser: argparse.ArgumentParser) -> None:
    from service.tools.bench import arguments

    arguments(parser)


@command("bench", "benchmarks measured side by side: cached reads, recompute, freshness, imports, memory",
         _bench_arguments)
def cmd_bench(settings: Settings, args: argparse.Namespace) -> int:
    from service.tools.bench import run_bench

    return run_bench(settings, args)


@command("serve", "the GraphQL API only (needs MONGODB_URL and REDIS_URL)")
def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    _require_servers(settings, "serve")
    asyncio.run(check_reachable(settings))
    # The process becomes the server (uvicorn with careergraph's limits), so signals reach it.
    os.execv(sys.executable, [sys.executable, "-m", API_SERVER])


def _worker_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--check", action="store_true",
                        help="exit 0 when the worker of this process group (else of this host) has beaten "
                             "recently, 1 when it is gone or stopped (for healthchecks)")
    parser.add_argument("--burst", action="store_true",
                        help="run the queued jobs, then exit")


@command("worker", "the arq worker only (needs MONGODB_URL and REDIS_URL)", _worker_args)
def cmd_worker(settings: Settings, args: argparse.Namespace) -> int:
    from service.tools.worker_command import check_worker, run_worker_command

    _require_servers(settings, "worker")
    if args.check:
        return check_worker(settings)
    return run_worker_command(settings, burst=args.burst)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="careergraph", description="careergraph: a GraphQL service for career data."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (_, help_text, arguments) in COMMANDS.items():
        child = sub.add_parser(name, help=help_text, description=help_text)
        if arguments is not None:
            arguments(child)
        if name in JSON_OUTPUT:
            child.add_argument("--json", action="store_true", help="print the result as JSON (for scripts)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env(os.environ)
        handler = COMMANDS[args.command][0]
        return handler(settings, args)
    except SettingsError as exc:
        print(f"careergraph: invalid setting: {exc}", file=sys.stderr)
        return 2
    except (EmbeddedServerError, ServiceUnavailable) as exc:
        print(f"careergraph: {exc}", file=sys.stderr)
        return 1
    except PyMongoError as exc:
        print(f"careergraph: MongoDB error: {str(exc).split(', full error')[0][:300]}", file=sys.stderr)
        return 1
    except RedisError as exc:
        print(f"careergraph: Redis error: {str(exc)[:300]}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
