"""API keys: `cg_<id>_<secret>`. Only a SHA-256 of the secret is stored; a presented key is looked
up by its id and its hash compared in constant time. Roles: reader < editor < admin.

Each process keeps the key documents it looked up (`KeptKeys`, one per `Resources`) for
`KEY_CACHE_S`, so a busy client costs no MongoDB round trip per request. A revocation
(`service.access.revocations`) is announced on Redis: every API process then forgets its copy of
the key and closes the WebSockets that hold it, at once; without Redis, a process refuses the key
within `KEY_CACHE_S`, and an open socket at its next recheck."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from service.errors import BadUserInput, Forbidden, Unauthenticated
from service.platform.resources import Resources, Slot

COLLECTION = "api_keys"
KEY_CACHE_S = 2.0
KEY_CACHE_MAX = 10_000
ROLES = ("reader", "editor", "admin")
RANK = {role: i for i, role in enumerate(ROLES)}


@dataclass(frozen=True)
class Principal:
    key_id: str | None  # None: anonymous
    role: str | None

    def require(self, role: str) -> None:
        if self.role is None:
            raise Unauthenticated("this operation needs an API key: send `Authorization: Bearer <key>`")
        if RANK[self.role] < RANK[role]:
            raise Forbidden(f"this operation needs the {role} role; the key has {self.role}")


ANONYMOUS = Principal(key_id=None, role=None)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def create_api_key(db: AsyncDatabase[dict[str, Any]], role: str, label: str = "") -> str:
    if role not in ROLES:
        raise BadUserInput(f"role must be one of {', '.join(ROLES)}", field="role")
    key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    await db[COLLECTION].create_index("key_id", unique=True)
    await db[COLLECTION].insert_one({"key_id": key_id, "secret_sha256": _hash(secret), "role": role,
                                     "label": label, "created_at": datetime.now(UTC), "revoked": False})
    return f"cg_{key_id}_{secret}"


class KeptKeys:
    """The key documents looked up through one `Resources`, each kept `KEY_CACHE_S`; only keys
    that exist, and at most `KEY_CACHE_MAX`."""

    def __init__(self, resources: Resources) -> None:
        self._keys = resources.db[COLLECTION]
        self._found: dict[str, tuple[float, dict[str, Any]]] = {}  # key id: (when, document)

    async def document(self, key_id: str) -> dict[str, Any] | None:
        now = time.monotonic()
        found = self._found.get(key_id)
        if found is not None and now - found[0] < KEY_CACHE_S:
            return found[1]
        doc = await self._keys.find_one({"key_id": key_id}, {"secret_sha256": 1, "role": 1, "revoked": 1})
        if doc is None:
            self._found.pop(key_id, None)
            return None
        if len(self._found) >= KEY_CACHE_MAX:
            self._found.clear()
        self._found[key_id] = (now, doc)
        return doc

    def forget(self, key_id: str) -> None:
        """Drop the kept copy of a key's document: its next use reads MongoDB again."""
        self._found.pop(key_id, None)

    async def aclose(self) -> None:
        """Nothing to finish: a memo."""


KEPT_KEYS = Slot("access.api_keys.kept", KeptKeys)


async def authenticate(resources: Resources, authorization: str | None) -> Principal:
    """The principal for an Authorization header; Unauthenticated for a bad or revoked key."""
    if not authorization:
        return ANONYMOUS
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.startswith("cg_"):
        raise Unauthenticated("malformed Authorization header: expected `Bearer cg_...`")
    _, key_id, secret = [*token.strip().split("_", 2), "", ""][:3]
    doc = await resources.attachment(KEPT_KEYS).document(key_id) if key_id else None
    stored = doc["secret_sha256"] if doc else _hash("no such key")
    if not hmac.compare_digest(stored, _hash(secret)) or doc is None or doc.get("revoked"):
        raise Unauthenticated("invalid or revoked API key")
    return Principal(key_id=key_id, role=doc["role"])
