"""careergraph's service layer: everything both processes (the API and the worker) need.

Grouped by kind, then by feature (see docs/architecture.md): features (`catalog`,
`salaries`, `summaries`, `official`), `access`, `ingest`, the stores' shape (`store`), `platform`,
`ops` and `tools`, with small value modules and the job contract at the top level. It imports
neither adapter (`schema/`, `worker/`) nor any web framework.
"""

from importlib import metadata

try:
    __version__ = metadata.version("careergraph")
except metadata.PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0+unknown"
