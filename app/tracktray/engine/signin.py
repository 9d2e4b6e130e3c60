"""Remembering verified credentials, so that a keep-alive client does not pay a password
hash (scrypt: ~50 ms, 16 MiB) on every request.

A widget signs in with HTTP Basic on every request. The first request of a username and
password is checked against the stored hash the slow way; this cache then remembers the
success for :data:`LIFETIME_S`, so that later requests answer from memory.

Why this does not weaken sign-in:

- Only successes are remembered, keyed by the username and an HMAC of the password under
  a random key of this process (never the password itself, nor anything that would let a
  memory dump test guesses offline without that key). Failures always cost a hash and
  count towards the sign-in throttle (issue 12), which runs before any of this.
- Each entry holds the stored hash the password was verified against. Every request that
  uses the entry compares it with the stored hash **in the same transaction** as the
  request's own work (the profile statement it runs anyway reads the column): a password
  changed in this process or in another server process on the same database makes the
  entry useless at once (:class:`StaleCredentials`), and the request goes the slow way.
- Entries expire after :data:`LIFETIME_S` (one hash every ten minutes per client) and the
  cache holds at most :data:`SIZE` of them, least recently used dropped first.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["LIFETIME_S", "SIZE", "Caller", "CredentialCache", "StaleCredentials"]

LIFETIME_S = 600.0
SIZE = 1024


@dataclass(frozen=True, slots=True)
class Caller:
    """A profile whose password was verified against ``password_hash`` (the stored one)."""

    profile_id: int
    password_hash: str


class StaleCredentials(Exception):
    """The stored password hash is no longer the one a remembered caller was verified
    against (the password changed): verify the credentials again, the slow way."""


class CredentialCache:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._secret = secrets.token_bytes(32)
        self._clock = clock
        self._entries: OrderedDict[tuple[str, bytes], tuple[Caller, float]] = OrderedDict()
        self._lock = threading.Lock()

    def _key(self, username: str, password: str) -> tuple[str, bytes]:
        secret = password.encode("utf-8", "surrogatepass")
        return username, hmac.new(self._secret, secret, hashlib.sha256).digest()

    def get(self, username: str, password: str, stored: str | None = None) -> Caller | None:
        """The caller these credentials were verified as, if recently (and, given
        ``stored``, against that stored hash)."""
        key = self._key(username, password)
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            caller, until = found
            if until <= self._clock() or (
                stored is not None and not hmac.compare_digest(stored, caller.password_hash)
            ):
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return caller

    def put(self, username: str, password: str, caller: Caller) -> None:
        key = self._key(username, password)
        with self._lock:
            self._entries[key] = (caller, self._clock() + LIFETIME_S)
            self._entries.move_to_end(key)
            while len(self._entries) > SIZE:
                self._entries.popitem(last=False)

    def forget(self, profile_id: int) -> None:
        """Drop every entry of ``profile_id`` (its password changed here)."""
        with self._lock:
            for key in [k for k, (c, _) in self._entries.items() if c.profile_id == profile_id]:
                del self._entries[key]
