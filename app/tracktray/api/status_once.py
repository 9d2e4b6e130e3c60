"""A TrackMyPeople account's status in one request, for ``tracktray status``.

The same call :meth:`TrackMyPeopleClient.status` makes — the same address, HTTP client
(``_keepalive.py``), wire (retries, error sentences) and answer rules — without the
client's own modules (its decoders, its writes): a command that asks once and ends
pays for the one request alone. Returns None where only the
full client will do (a proxy in the environment: httpx honours it).
"""

from __future__ import annotations

import datetime as dt
import os

from tracktray.api._http import make_http_client, normalize_base_url
from tracktray.api._keepalive import uses_a_proxy
from tracktray.api._trackmypeople_status import status_from
from tracktray.api._trackmypeople_wire import call_url, envelope_of, server_name
from tracktray.api._wire import Wire

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from tracktray.api._retry import RetryPolicy
    from tracktray.api._trackmypeople_wire import Envelope
    from tracktray.domain.status import Status

__all__ = ["trackmypeople_status"]


def trackmypeople_status(
    url: str,
    username: str,
    password: str | Callable[[], str],
    *,
    ca_file: str | None = None,
    retry: RetryPolicy | None = None,
    environ: Mapping[str, str] | None = None,
) -> Status | None:
    """What the server says runs now, or None when a proxy is set (ask the client).
    ``password`` may be a function, called once the client is made, just before the
    request: the CLI's password is read meanwhile (``store/secret_ahead.py``)."""
    environ = os.environ if environ is None else environ
    if uses_a_proxy(environ):
        return None
    base_url = normalize_base_url(url)
    where = server_name(base_url)
    wire = Wire(where, make_http_client(ca_file, environ=environ), owns_http=True, retry=retry)
    url = call_url(base_url, "status")

    def ask() -> Envelope:
        answer = wire.send("POST", url, data={}, auth=(username, secret))
        return envelope_of(answer, where)

    try:
        secret = password if isinstance(password, str) else password()
        envelope = wire.read(ask)
    finally:
        wire.close()
    return status_from(envelope, dt.datetime.now(dt.UTC))
