"""Moved to `tests.factories.official_files`; kept only until `tests/schema` imports it from there
(issue 27's new layout of `schema/` moves those tests). Nothing new imports this module."""

from tests.factories.official_files import FlatCell, full_texts, write_ecb_csv, write_flat_files

__all__ = ["FlatCell", "full_texts", "write_ecb_csv", "write_flat_files"]
