"""A TrackMyPeople account's status in one request, for ``tracktray status``.

The same call :meth:`TrackMyPeopleClient.status` makes — the same address, TLS context,
retries and answer rules — over the standard library's one request
(``_one_request.py``) instead of an httpx client: a command that asks once and ends
does not pay for importing httpx. Returns None where only the client will do (a proxy
in the environment).
"""

from __future__ import annotations

import datetime as dt
import os

from tracktray.api._faults import worth_retrying
from tracktray.api._http import make_ssl_context, normalize_base_url
from tracktray.api._one_request import post_once, uses_a_proxy
from tracktray.api._retry import RetryPolicy, retry_read
from tracktray.api._trackmypeople_status import status_from
from tracktray.api._trackmypeople_wire import call_url, envelope_of, server_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

    from tracktray.api._trackmypeople_wire import Envelope
    from tracktray.domain.status import Status

__all__ = ["trackmypeople_status"]


def trackmypeople_status(
    url: str,
    username: str,
    password: str,
    *,
    ca_file: str | None = None,
    retry: RetryPolicy | None = None,
    environ: Mapping[str, str] | None = None,
) -> Status | None:
    """What the server says runs now, or None when a proxy is set (ask the client)."""
    if uses_a_proxy(os.environ if environ is None else environ):
        return None
    base_url = normalize_base_url(url)
    where = server_name(base_url)
    context = make_ssl_context(ca_file)

    def ask() -> Envelope:
        answer = post_once(
            call_url(base_url, "status"),
            {},
            username=username,
            password=password,
            context=context,
            where=where,
        )
        return envelope_of(answer, where)

    envelope = retry_read(ask, retry or RetryPolicy(), retryable=worth_retrying)
    return status_from(envelope, dt.datetime.now(dt.UTC))
