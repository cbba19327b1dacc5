"""Operator commands: API keys, `careergraph recompute` and `careergraph status`."""

from __future__ import annotations

import argparse
import sys

from service.access.api_keys import create_api_key, revoke_api_key
from service.jobs import ALL_ROLES, enqueue_recompute
from service.ops.status import status
from service.platform.config import Settings
from service.platform.resources import Resources
from service.summaries.recompute import recompute
from service.tools.servers import print_lines, run_with_resources


def key_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--role", choices=["reader", "editor", "admin"], default="reader")
    parser.add_argument("--label", default="", help="a note to recognise the key by")


def cmd_create_api_key(settings: Settings, args: argparse.Namespace) -> int:
    key = run_with_resources(settings, lambda resources: create_api_key(resources.db, args.role, args.label))
    print(key)
    print(f"(a {args.role} key; it is shown only once, and only its hash is stored)", file=sys.stderr)
    return 0


def revoke_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("key", help="the key, or its id (the part between 'cg_' and the next '_')")


def cmd_revoke_api_key(settings: Settings, args: argparse.Namespace) -> int:
    key_id = args.key.split("_")[1] if args.key.startswith("cg_") else args.key
    found = run_with_resources(settings, lambda resources: revoke_api_key(resources.db, key_id))
    print(f"revoked key {key_id}" if found else f"careergraph: no key with id {key_id}",
          file=sys.stdout if found else sys.stderr)
    return 0 if found else 1


def recompute_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("roles", nargs="*", metavar="ROLE", help="role slugs (default: everything)")
    parser.add_argument("--queue", action="store_true",
                        help="queue the work for the worker instead of running it here")


async def _recompute(resources: Resources, roles: list[str], queue: bool) -> list[str]:
    if queue:
        queued = await enqueue_recompute(resources.redis, roles or None, defer_s=0)
        return [f"queued: {', '.join(queued) or 'nothing new (already queued)'}"]
    lines = []
    for scope in roles or [ALL_ROLES]:
        done = await recompute(resources, scope, trigger="cli")
        lines.append(f"{scope}: {done.outcome} in {done.duration_s:.2f} s, "
                     f"{done.documents_read:,} observations read, "
                     f"{done.summaries_written:,} summaries, version {done.version}")
    return lines


def cmd_recompute(settings: Settings, args: argparse.Namespace) -> int:
    print_lines(run_with_resources(settings, lambda resources: _recompute(resources, args.roles, args.queue)))
    return 0


def status_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--runs", type=int, default=10, help="recent recompute runs to list (default 10)")


def cmd_status(settings: Settings, args: argparse.Namespace) -> int:
    found = run_with_resources(settings, lambda resources: status(resources, max(1, min(args.runs, 100))))
    print_lines(found.lines())
    return 0 if found.healthy else 1
