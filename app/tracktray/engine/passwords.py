"""Salted slow password hashes (scrypt from the standard library).

Stored as ``scrypt$<n>$<r>$<p>$<salt>$<hash>`` (base64) so the cost can be raised later
without invalidating old hashes.

Each hash takes 16 MiB for a few tens of milliseconds. Run on whichever thread asked, a
flood of wrong passwords would hold that much per request thread at once, and the C
allocator keeps it afterwards (400 at concurrency 40 took a server from 61 to 765 MB).
So every hash runs on a small dedicated pool (:data:`DEFAULT_HASH_WORKERS` threads):
memory stays flat, and excess requests wait in line instead.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
from concurrent.futures import ThreadPoolExecutor

__all__ = ["DEFAULT_HASH_WORKERS", "hash_password", "set_hash_workers", "verify_password"]

_N, _R, _P = 2**14, 8, 1
_LENGTH = 32
DEFAULT_HASH_WORKERS = 2

_pool_lock = threading.Lock()
_pool = ThreadPoolExecutor(DEFAULT_HASH_WORKERS, thread_name_prefix="tracktray-hash")


def set_hash_workers(workers: int) -> None:
    """How many password hashes may run at once in this process (at least 1)."""
    global _pool
    if workers < 1:
        raise ValueError("At least one password hash must be able to run.")
    with _pool_lock:
        old, _pool = _pool, ThreadPoolExecutor(workers, thread_name_prefix="tracktray-hash")
    old.shutdown(wait=False)


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, _N, _R, _P)
    return "$".join(("scrypt", str(_N), str(_R), str(_P), _b64(salt), _b64(digest)))


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(expected, actual)


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    secret = password.encode("utf-8", "surrogatepass")
    with _pool_lock:  # submitted under the lock: never to a pool being replaced
        job = _pool.submit(
            hashlib.scrypt, secret, salt=salt, n=n, r=r, p=p, dklen=_LENGTH, maxmem=64 * 2**20
        )
    return job.result()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
