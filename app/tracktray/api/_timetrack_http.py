"""One TimeTrack request: headers, error mapping, retries for reads, paging.

Every failure leaves here as a :class:`TrackTrayError` with a sentence for a person:
401 → AuthenticationFailed, 403 → PermissionDenied, 400/422 → ValidationFailed with
the server's own ``detail``, other 4xx → Refused, 429/5xx/network → ServerUnavailable.
Only GET is retried (through the shared :class:`~tracktray.api._wire.Wire`): a POST that
timed out may have started a timer already, and sending it again would be refused or,
worse, counted twice.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping
from typing import Any

from tracktray.api._faults import from_http_status
from tracktray.api._http import normalize_base_url
from tracktray.api._timetrack_wire import list_items
from tracktray.api._wire import Wire
from tracktray.contracts.errors import (
    AuthenticationFailed,
    NotFound,
    PermissionDenied,
    ProtocolError,
    Refused,
    ValidationFailed,
)
from tracktray.i18n import N_, _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from tracktray.api._wire import HttpResponse

__all__ = ["SERVER_NAME", "TimeTrackHttp", "timetrack_base_url"]

PAGE_LIMIT = 1000
#: how sentences name a TimeTrack server
SERVER_NAME = N_("the TimeTrack server")


def timetrack_base_url(url: str) -> str:
    """``https://host/api/v2/ext/`` from ``host``, ``https://host`` or the full URL."""
    text = url.strip()
    if text and "://" not in text:
        text = "https://" + text
    parts = urllib.parse.urlsplit(text)
    segments = [s for s in parts.path.split("/") if s]
    suffix = ["api", "v2", "ext"]
    for size in (3, 2, 1):
        if [s.casefold() for s in segments[-size:]] == suffix[:size]:
            segments = segments[:-size]
            break
    path = "/" + "/".join([*segments, *suffix[:2]])
    rebuilt = urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))
    return normalize_base_url(rebuilt if parts.netloc else url, api_path="ext")


class TimeTrackHttp:
    """Sends requests with the account's key and secret on a caller-supplied client."""

    def __init__(self, base_url: str, api_key: str, api_secret: str, wire: Wire) -> None:
        self.base_url = timetrack_base_url(base_url)
        self._wire = wire
        self._headers = {
            "X-TimeTrack-Api-Key": api_key,
            "X-TimeTrack-Api-Secret": api_secret,
            "Accept": "application/json",
        }

    def get(self, path: str, params: Mapping[str, object] | None = None) -> Any:
        return self._wire.read(lambda: self._send("GET", path, params=params))

    def send(self, method: str, path: str, body: Mapping[str, object] | None = None) -> Any:
        return self._send(method, path, body=body)

    def get_all(
        self, path: str, params: Mapping[str, object], resource: str, *, limit: int = PAGE_LIMIT
    ) -> list[Any]:
        """Every page of a list: pages are read until one is shorter than ``limit``."""
        out: list[Any] = []
        page = 0
        while True:
            items = list_items(
                self.get(path, {**params, "page_number": page, "limit": limit}), resource
            )
            out.extend(items)
            if len(items) < limit:
                return out
            page += 1
            if page > 10_000:  # a server that never ends its list must not hang us
                raise ProtocolError(
                    _("The server's list of {resource} never ends.").format(resource=resource)
                )

    def _send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, object] | None = None,
        body: Mapping[str, object] | None = None,
    ) -> Any:
        query = {k: str(v) for k, v in (params or {}).items() if v is not None}
        response = self._wire.send(
            method,
            self.base_url + path,
            params=query or None,
            json=dict(body) if body is not None else None,
            headers=self._headers,
        )
        return _decode(response)


def _decode(response: HttpResponse) -> Any:
    status = response.status_code
    if 200 <= status < 300:
        if status == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise ProtocolError(
                _("The TimeTrack server sent an answer that is not JSON.")
            ) from None
    detail = _error_sentence(response)
    if status == 401:
        raise AuthenticationFailed(
            _("The TimeTrack server did not accept the API key and secret.")
            + (f" ({detail})" if detail else "")
        )
    if status == 403 and detail:
        raise PermissionDenied(detail)
    if status == 404:
        raise NotFound(detail or _("The TimeTrack server does not know that address or record."))
    if status in (400, 422):
        raise ValidationFailed(detail or _("The TimeTrack server refused the values given."))
    error = from_http_status(response, _(SERVER_NAME))
    if error is not None and (status < 400 or status >= 500 or status in (403, 408, 429)):
        raise error
    raise Refused(
        detail
        or _("The TimeTrack server refused the request (HTTP {status}).").format(status=status)
    )


def _error_sentence(response: HttpResponse) -> str:
    """The ``detail`` (or ``title``) of the first entry of the errors body, if any."""
    try:
        body = response.json()
    except ValueError:
        return ""
    errors = body.get("errors") if isinstance(body, dict) else None
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        first = errors[0]
        for key in ("detail", "title", "message"):
            text = first.get(key)
            if isinstance(text, str) and text.strip():
                return text.strip()
    if isinstance(body, dict):
        for key in ("detail", "error", "message"):
            text = body.get(key)
            if isinstance(text, str) and text.strip():
                return text.strip()
    return ""
