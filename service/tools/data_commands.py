"""Data commands: `careergraph seed` and `careergraph import`. Each calls one use case."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from service.ingest.onet import OnetDirectoryError, import_onet
from service.ingest.salaries import MapFileError, import_salaries, load_format
from service.ingest.seed import seed, seed_if_empty
from service.platform.config import Settings
from service.tools.servers import print_lines, run_with_resources


def seed_empty_database(settings: Settings) -> None:
    """`careergraph up`'s first start: load the seed into a database that has no roles."""
    report = run_with_resources(settings, seed_if_empty, servers_ready=True)
    if report is not None:
        print("empty database: loaded the curated seed dataset (" + "; ".join(report.lines()) + ")",
              flush=True)


def cmd_seed(settings: Settings, args: argparse.Namespace) -> int:
    report = run_with_resources(settings, seed)
    print_lines(["seed: curated dataset from the articles", *report.lines()])
    return 0


def import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=["onet", "salaries"], help="what to import")
    parser.add_argument("path", type=Path, help="O*NET directory, or salary file")
    parser.add_argument("--format", dest="file_format", choices=["levels-fyi", "csv"],
                        default="levels-fyi", help="salary file format (default levels-fyi)")
    parser.add_argument("--map", dest="map_file", type=Path,
                        help="JSON file: columns, defaults, source and role rules")


def cmd_import(settings: Settings, args: argparse.Namespace) -> int:
    try:
        if args.kind == "onet":
            report = run_with_resources(settings, lambda resources: import_onet(resources, args.path))
        else:
            fmt = load_format(args.file_format, args.map_file)  # fails before any server starts
            if not args.path.is_file():
                raise MapFileError(f"{args.path} is not a file")
            report = run_with_resources(
                settings, lambda resources: import_salaries(resources, args.path, fmt, sys.stderr))
    except (OnetDirectoryError, MapFileError) as exc:
        print(f"careergraph: {exc}", file=sys.stderr)
        return 2
    print_lines(report.lines())
    return 0
