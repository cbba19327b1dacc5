"""`careergraph export KIND [--format jsonl|csv] [--out FILE] [--as reader|admin]`: a snapshot of one
kind of record, streamed to a file (with `FILE.manifest.json` beside it) or to stdout (the manifest
then goes to stderr). Observations are written in a caller's view, as the HTTP export and GraphQL
give them (docs/privacy.md): `reader` (the default: a file safe to hand on) holds the rows of public
files, `admin` every row and field."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path

from service.ops.export import FORMATS, KINDS, ExportError, Written, chunks, manifest
from service.platform.config import Settings
from service.platform.resources import Resources
from service.platform.terminal import emit_json, progress, table
from service.salaries.visibility import VIEWS
from service.tools.servers import run_with_resources


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("--format", dest="fmt", choices=[*FORMATS, "parquet"], default="jsonl",
                        help="jsonl (default) or csv; parquet is not built in (load the JSON Lines with "
                             "DuckDB, pandas or Polars)")
    parser.add_argument("--out", type=Path, help="file to write (default: stdout); the manifest goes to "
                                                 "FILE.manifest.json")
    parser.add_argument("--as", dest="view", choices=VIEWS, default="reader",
                        help="observations: the view of a reader key (rows of public files; the default) or "
                             "of an admin key (every row and field, submissions included)")
    parser.add_argument("--with-company", dest="view", action="store_const", const="admin",
                        help="the same as --as admin (kept for scripts; company names are no longer "
                             "the line drawn: see docs/privacy.md)")


def cmd_export(settings: Settings, args: argparse.Namespace) -> int:
    if args.fmt == "parquet":
        print("careergraph: Parquet is not built in; export jsonl and convert it, e.g. with DuckDB: "
              "COPY (SELECT * FROM 'summaries.jsonl') TO 'summaries.parquet'", file=sys.stderr)
        return 2
    written = Written(args.kind, args.fmt)

    async def export(resources: Resources) -> dict[str, object]:
        target = args.out.open("wb") if args.out else os.fdopen(os.dup(sys.stdout.fileno()), "wb")
        with target, progress(f"exporting {args.kind}") as bar:
            async for data in chunks(resources.db, args.kind, args.fmt, written, args.view):
                await asyncio.to_thread(target.write, data)
                bar.update(written.records, note="records")
        name = args.out.name if args.out else "-"
        return await manifest(resources.db, [(name, written)])

    try:
        described = run_with_resources(settings, export)
    except ExportError as exc:
        print(f"careergraph: {exc}", file=sys.stderr)
        return 2
    text = json.dumps(described, indent=2)
    if not args.out:
        print(text, file=sys.stderr)
        return 0
    manifest_path = args.out.with_name(args.out.name + ".manifest.json")
    manifest_path.write_text(text + "\n")
    if args.json:
        emit_json(described)
    else:
        table(f"export {args.kind}", ["file", "records", "bytes", "sha256", "manifest"],
              [[str(args.out), written.records, written.bytes, written.sha256, str(manifest_path)]],
              right=["records", "bytes"])
    return 0
