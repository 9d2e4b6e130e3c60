"""API keys of the TimeTrack face: created by ``tracktray-server load``, checked per request.

Verifying a slow hash on every request would cost tens of milliseconds each time a
widget polls, so a successful check is remembered in memory (keyed by a fast digest of
the pair, never the secret itself) until the key is replaced.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading

from sqlalchemy import Connection, delete, insert, select

from tracktray.engine.errors import ValidationError
from tracktray.engine.passwords import hash_password, verify_password
from tracktray.engine.timetrack.tables import api_keys

__all__ = ["KeyCheck", "set_api_key"]


def set_api_key(conn: Connection, key: str, secret: str, now: dt.datetime, label: str = "") -> None:
    """Create the key, or give an existing key a new secret."""
    key, secret = key.strip(), secret.strip()
    if not key or not secret:
        raise ValidationError("An API key needs both a key and a secret.")
    if len(secret) < 8:
        raise ValidationError(f"The secret of API key “{key}” is shorter than 8 characters.")
    conn.execute(delete(api_keys).where(api_keys.c.key == key))
    conn.execute(
        insert(api_keys).values(
            key=key, secret_hash=hash_password(secret), label=label, created_at=now
        )
    )


class KeyCheck:
    """Checks a key/secret pair; thread-safe, with a memory of pairs already verified."""

    def __init__(self) -> None:
        self._verified: dict[str, str] = {}
        self._lock = threading.Lock()

    def valid(
        self, conn: Connection, key: str, secret: str, *, remembered_only: bool = False
    ) -> bool:
        """``remembered_only``: true only for a pair verified before, never hashing."""
        if not key or not secret:
            return False
        row = conn.execute(select(api_keys.c.secret_hash).where(api_keys.c.key == key)).first()
        if row is None:
            return False
        stored = str(row.secret_hash)
        fingerprint = hashlib.sha256(f"{stored}\0{secret}".encode()).hexdigest()
        with self._lock:
            if self._verified.get(key) == fingerprint:
                return True
        if remembered_only or not verify_password(secret, stored):
            return False
        with self._lock:
            self._verified[key] = fingerprint
        return True
