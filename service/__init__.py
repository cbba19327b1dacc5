"""careergraph's service layer: domain, storage, jobs contract, settings, lifecycle and CLI.

It imports neither adapter (`schema/`, `worker/`) nor any web framework.
"""

from importlib import metadata

try:
    __version__ = metadata.version("careergraph")
except metadata.PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0+unknown"
