"""Names to slugs and search keys, and text that no store can hold.

A search key folds case, spaces and punctuation away (keeping `+` and `#`), so "Back-End
Developer", "backend developer" and "back end developer" share the key "backenddeveloper", and
"C++", "C#" and "C" stay apart.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

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


#: What a field holding `holds_surrogates` text is told (after its name).
NOT_UNICODE = "is not valid Unicode text: it holds a lone surrogate, such as an unpaired \\ud800 escape"


def holds_surrogates(value: Any) -> bool:
    """Whether `value` (text, or dicts, lists, tuples and sets of it, keys included, at any depth)
    holds a code point that is no Unicode scalar value: a surrogate, which JSON can carry (a valid
    `"\\ud800"` escape) but which UTF-8, and so MongoDB and Redis, cannot."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if not item.isascii() and not _encodes(item):
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            pending.extend(item)
    return False


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
