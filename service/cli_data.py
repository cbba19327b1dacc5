"""Data and operator commands: seed, import, API keys, recompute and status."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from service import collections
from service.api_keys import create_api_key, revoke_api_key
from service.config import Settings
from service.importers.onet import OnetDirectoryError, import_onet
from service.importers.report import ImportReport
from service.importers.salaries import MapFileError, import_salaries, load_format
from service.jobs import ALL_ROLES, enqueue_recompute, observations_written
from service.operations import Status, status
from service.recompute import recompute
from service.resources import Resources, open_resources
from service.runtime import servers_for_command
from service.seed import SeedReport, load_seed


def _print(lines: list[str]) -> None:
    for line in lines:
        print(line, flush=True)


async def seed(settings: Settings) -> SeedReport:
    async with open_resources(settings) as resources:
        report = await load_seed(resources.db)
        await _enqueue_after_write(resources, None)
        return report


async def seed_if_empty(settings: Settings) -> SeedReport | None:
    async with open_resources(settings) as resources:
        await collections.ensure_collections(resources.db)
        if await resources.db[collections.ROLES].estimated_document_count() > 0:
            return None
    return await seed(settings)


async def _enqueue_after_write(resources: Resources, roles: set[str] | None) -> None:
    """Ask the worker to refresh the summaries the write touched (all of them when None)."""
    await enqueue_recompute(resources.redis, roles)


def cmd_seed(settings: Settings, args: argparse.Namespace) -> int:
    with servers_for_command(settings) as ready:
        report = asyncio.run(seed(ready))
    _print(["seed: curated dataset from the articles", *report.lines()])
    return 0


def import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=["onet", "salaries"], help="what to import")
    parser.add_argument("path", type=Path, help="O*NET directory, or salary file")
    parser.add_argument("--format", dest="file_format", choices=["levels-fyi", "csv"],
                        default="levels-fyi", help="salary file format (default levels-fyi)")
    parser.add_argument("--map", dest="map_file", type=Path,
                        help="JSON file: columns, defaults, source and role rules")


async def run_import(settings: Settings, args: argparse.Namespace) -> ImportReport:
    async with open_resources(settings) as resources:
        if args.kind == "onet":
            report = await import_onet(resources.db, args.path)
            await _enqueue_after_write(resources, None)
        else:
            fmt = load_format(args.file_format, args.map_file)
            if not args.path.is_file():
                raise MapFileError(f"{args.path} is not a file")
            report = await import_salaries(resources.db, args.path, fmt, sys.stderr)
            if await observations_written(resources.redis, report.touched_roles) is None:
                print("import: the summaries' recompute could not be queued (Redis did not answer); "
                      "run `careergraph recompute` later", file=sys.stderr)
        return report


def cmd_import(settings: Settings, args: argparse.Namespace) -> int:
    try:
        if args.kind == "salaries":
            load_format(args.file_format, args.map_file)  # fail before starting any server
        with servers_for_command(settings) as ready:
            report = asyncio.run(run_import(ready, args))
    except (OnetDirectoryError, MapFileError) as exc:
        print(f"careergraph: {exc}", file=sys.stderr)
        return 2
    _print(report.lines())
    return 0


def key_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--role", choices=["reader", "editor", "admin"], default="reader")
    parser.add_argument("--label", default="", help="a note to recognise the key by")


def cmd_create_api_key(settings: Settings, args: argparse.Namespace) -> int:
    async def create(ready: Settings) -> str:
        async with open_resources(ready) as resources:
            return await create_api_key(resources.db, args.role, args.label)

    with servers_for_command(settings) as ready:
        key = asyncio.run(create(ready))
    print(key)
    print(f"(a {args.role} key; it is shown only once, and only its hash is stored)", file=sys.stderr)
    return 0


def revoke_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("key", help="the key, or its id (the part between 'cg_' and the next '_')")


def cmd_revoke_api_key(settings: Settings, args: argparse.Namespace) -> int:
    key_id = args.key.split("_")[1] if args.key.startswith("cg_") else args.key

    async def revoke(ready: Settings) -> bool:
        async with open_resources(ready) as resources:
            return await revoke_api_key(resources.db, key_id)

    with servers_for_command(settings) as ready:
        found = asyncio.run(revoke(ready))
    print(f"revoked key {key_id}" if found else f"careergraph: no key with id {key_id}",
          file=sys.stdout if found else sys.stderr)
    return 0 if found else 1


def recompute_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("roles", nargs="*", metavar="ROLE", help="role slugs (default: everything)")
    parser.add_argument("--queue", action="store_true",
                        help="queue the work for the worker instead of running it here")


def cmd_recompute(settings: Settings, args: argparse.Namespace) -> int:
    async def run(ready: Settings) -> list[str]:
        async with open_resources(ready) as resources:
            if args.queue:
                queued = await enqueue_recompute(resources.redis, args.roles or None, defer_s=0)
                return [f"queued: {', '.join(queued) or 'nothing new (already queued)'}"]
            lines = []
            for scope in args.roles or [ALL_ROLES]:
                done = await recompute(resources, scope, trigger="cli")
                lines.append(f"{scope}: {done.outcome} in {done.duration_s:.2f} s, "
                             f"{done.documents_read:,} observations read, "
                             f"{done.summaries_written:,} summaries, version {done.version}")
            return lines

    with servers_for_command(settings) as ready:
        _print(asyncio.run(run(ready)))
    return 0


def status_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--runs", type=int, default=10, help="recent recompute runs to list (default 10)")


def cmd_status(settings: Settings, args: argparse.Namespace) -> int:
    async def run(ready: Settings) -> Status:
        async with open_resources(ready) as resources:
            return await status(resources, max(1, min(args.runs, 100)))

    with servers_for_command(settings) as ready:
        found = asyncio.run(run(ready))
    _print(found.lines())
    return 0 if found.healthy else 1
