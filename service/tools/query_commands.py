"""`careergraph persisted-queries load FILE | count | clear`: the operators' allow-list of queries."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from service.access import persisted_queries as pq
from service.platform.config import Settings
from service.platform.resources import Resources
from service.store.database import ensure_collections
from service.tools.servers import run_with_resources


def arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    load = actions.add_parser("load", help="add the queries of an Apollo persisted-query manifest or a Relay "
                                           "persisted-queries JSON file (ids must be SHA-256)")
    load.add_argument("file", type=Path)
    actions.add_parser("count", help="how many queries the allow-list holds")
    actions.add_parser("clear", help="empty the allow-list")


def cmd_persisted_queries(settings: Settings, args: argparse.Namespace) -> int:
    if args.action == "load":
        async def load(resources: Resources) -> pq.LoadReport | str:
            await ensure_collections(resources.db)
            try:
                return await pq.load_file(resources.db, args.file)
            except ValueError as exc:
                return str(exc)

        report = run_with_resources(settings, load)
        if isinstance(report, str):
            print(f"careergraph: {report}", file=sys.stderr)
            return 2
        for line in report.rejected:
            print(f"{args.file}: {line}", file=sys.stderr)
        print(f"loaded {report.loaded} queries from {args.file}, rejected {len(report.rejected)}")
        return 0 if report.loaded or not report.rejected else 1
    if args.action == "count":
        print(run_with_resources(settings, lambda resources: pq.allow_list_size(resources.db)))
        return 0
    removed = run_with_resources(settings, lambda resources: pq.clear_allow_list(resources.db))
    print(f"removed {removed} queries from the allow-list")
    return 0
