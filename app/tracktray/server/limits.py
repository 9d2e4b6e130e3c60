"""What one server process allows: connections, timeouts, password hashing, sign-in
failures. The defaults suit a team server; every one is a ``serve`` flag (docs/server.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from tracktray.engine.passwords import DEFAULT_HASH_WORKERS
from tracktray.server.throttle import Bucket, Throttle

__all__ = ["Limits", "SignInGuard", "client_address"]


@dataclass(frozen=True)
class Limits:
    #: open connections beyond this are closed at once (each costs memory and a TLS state)
    max_connections: int = 1000
    #: a connection must send a complete request head within this time
    head_timeout_s: float = 10.0
    #: an idle keep-alive connection is closed after this time: longer than a widget's
    #: poll interval (60 s by default) and its client's keep-alive (75 s,
    #: api/_http.py), so a resting widget reuses one connection instead of paying a TLS
    #: handshake every minute, and the server never closes one the client is reusing
    idle_timeout_s: float = 90.0
    #: a request body must arrive within this time (a "slow POST" otherwise holds a task)
    body_timeout_s: float = 30.0
    #: password hashes (16 MiB each) running at once
    hash_workers: int = DEFAULT_HASH_WORKERS
    #: failed sign-ins per account, then one more per window/burst seconds
    account_failures: int = 10
    #: failed sign-ins per client address, then one more per window/burst seconds
    address_failures: int = 50
    failure_window_s: float = 300.0


def client_address(request: Request) -> str:
    """The client's address (the proxy's, unless ``--trust-proxy`` names it)."""
    return request.client.host if request.client is not None else "unknown"


class SignInGuard:
    """Failed sign-ins throttled per account and per client address (429 + Retry-After)."""

    def __init__(self, limits: Limits) -> None:
        window = limits.failure_window_s
        self.accounts = Throttle(Bucket(limits.account_failures, window))
        self.addresses = Throttle(Bucket(limits.address_failures, window))
        self.refused = 0

    def wait_s(self, account: str, address: str) -> int:
        """0 if this sign-in may be checked now, else seconds to wait."""
        return max(self.accounts.wait_s(account.casefold()), self.addresses.wait_s("a:" + address))

    def failed(self, account: str, address: str) -> None:
        self.accounts.failed(account.casefold())
        self.addresses.failed("a:" + address)

    def succeeded(self, account: str) -> None:
        self.accounts.succeeded(account.casefold())

    def refuse(self) -> None:
        self.refused += 1
