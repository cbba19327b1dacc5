"""Names to slugs and search keys.

A search key folds case, spaces and punctuation away (keeping `+` and `#`), so "Back-End
Developer", "backend developer" and "back end developer" share the key "backenddeveloper", and
"C++", "C#" and "C" stay apart.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

_NOT_KEY = re.compile(r"[^a-z0-9+#]+")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def _fold(text: str) -> str:
    if text.isascii():  # NFKD leaves ASCII as it is: most names skip the Unicode tables
        return text.lower()
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


@lru_cache(maxsize=16_384)  # importers fold the same names many times over; inputs are short, so it stays small
def search_key(text: str) -> str:
    return _NOT_KEY.sub("", _fold(text))


def slugify(text: str) -> str:
    folded = _fold(text).replace("c++", "cpp").replace("c#", "csharp").replace("f#", "fsharp")
    slug = _NOT_SLUG.sub("-", folded).strip("-")
    return slug[:80].rstrip("-") or "unnamed"


def search_keys(*names: str) -> list[str]:
    """Distinct non-empty keys of `names`, in order."""
    return distinct_keys(map(search_key, names))


def distinct_keys(keys: Iterable[str]) -> list[str]:
    """Distinct non-empty `keys`, in order (an O*NET occupation has hundreds of names)."""
    found = dict.fromkeys(keys)
    found.pop("", None)
    return list(found)
