"""Operator commands: API keys, `careergraph recompute` and `careergraph status`."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from typing import Any

from service.access.api_keys import create_api_key
from service.access.revocations import revoke_api_key
from service.decisions.candidates import refresh_candidates
from service.jobs import ALL_ROLES, enqueue_recompute
from service.ops.status import status
from service.platform.config import Settings
from service.platform.resources import Resources
from service.platform.terminal import emit_json, progress
from service.summaries import reuse
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
    found = run_with_resources(settings, lambda resources: revoke_api_key(resources, key_id))
    print(f"revoked key {key_id}" if found else f"careergraph: no key with id {key_id}",
          file=sys.stdout if found else sys.stderr)
    return 0 if found else 1


def recompute_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("roles", nargs="*", metavar="ROLE", help="role slugs (default: everything)")
    parser.add_argument("--queue", action="store_true",
                        help="queue the work for the worker instead of running it here")
    parser.add_argument("--from-scratch", action="store_true",
                        help="reuse nothing: compute every role from its observations (after editing "
                             "observations in MongoDB by hand)")


async def _recompute(resources: Resources, roles: list[str], queue: bool, from_scratch: bool = False
                     ) -> list[dict[str, Any]]:
    if from_scratch:
        await reuse.forget(resources.db, roles or None)
    if queue:
        return [{"queued": await enqueue_recompute(resources.redis, roles or None, defer_s=0)}]
    done = []
    for scope in roles or [ALL_ROLES]:
        with progress(f"recomputing {scope}"):
            if scope == ALL_ROLES:  # as the worker does: the catalogue's candidates before the version
                await refresh_candidates(resources.db)
            run = await recompute(resources, scope, trigger="cli")
        done.append({"scope": scope, "outcome": run.outcome, "duration_s": round(run.duration_s or 0, 3),
                     "observations_read": run.documents_read or 0, "summaries_written": run.summaries_written or 0,
                     "roles_reused": run.roles_reused or 0, "version": run.version, "read_whole": run.read_whole})
    return done


def cmd_recompute(settings: Settings, args: argparse.Namespace) -> int:
    done = run_with_resources(settings, lambda resources: _recompute(resources, args.roles, args.queue,
                                                                     args.from_scratch))
    if args.json:
        emit_json(done)
    elif args.queue:
        print(f"queued: {', '.join(done[0]['queued']) or 'nothing new (already queued)'}")
    else:
        for run in done:  # one line a run, as scripts have read them
            print(f"{run['scope']}: {run['outcome']} in {run['duration_s']:.2f} s, "
                  f"{run['observations_read']:,} observations read, "
                  f"{run['summaries_written']:,} summaries, version {run['version']}"
                  + (f", {run['roles_reused']:,} roles unchanged and reused" if run["roles_reused"] else "")
                  + "".join(f"; read whole ({reason}): {_some(roles)}" for reason, roles in run["read_whole"].items()))
    return 0


def _some(roles: list[str], shown: int = 3) -> str:
    return ", ".join(roles[:shown]) + (f" and {len(roles) - shown:,} more" if len(roles) > shown else "")


def status_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--runs", type=int, default=10, help="recent recompute runs to list (default 10)")


def cmd_status(settings: Settings, args: argparse.Namespace) -> int:
    found = run_with_resources(settings, lambda resources: status(resources, max(1, min(args.runs, 100))))
    if args.json:
        emit_json(dataclasses.asdict(found))
    else:
        print_lines(found.lines())
    return 0 if found.healthy else 1
