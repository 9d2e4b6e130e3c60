"""One server's HTTP connection, the same for both server families.

A :class:`Wire` is the only owner of its HTTP client (:class:`HttpClient`: the standard
library's keep-alive client of ``_keepalive.py``, or an ``httpx.Client`` behind a proxy
and in tests). It sends each request once and turns everything the exchange can raise
into the error tree (:mod:`._faults`): the stdlib client's :class:`~._faults.RequestFailed`,
httpx's own errors, a socket error leaking from a transport below httpx, a request on a
closed account. Reads go through :meth:`Wire.read`, the one retry policy: capped backoff with
jitter, never for a certificate that is not trusted (trying again cannot help). Writes
are never retried here; each client re-checks a write whose answer was lost.

The HTTP status of an answer is left to the family's wire (``_trackmypeople_wire.py``,
``_timetrack_http.py``), which knows what its server means by it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from tracktray.api._faults import (
    RequestFailed,
    from_socket_error,
    from_transport_error,
    worth_retrying,
)
from tracktray.api._retry import RetryPolicy, retry_read
from tracktray.contracts.errors import ServerUnavailable
from tracktray.i18n import _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Protocol

    from tracktray.api._faults import HttpAnswer

    class HttpResponse(HttpAnswer, Protocol):
        """What the clients read of an answer: ``_keepalive.Response``, ``httpx.Response``."""

        @property
        def content(self) -> bytes: ...

        def json(self) -> Any: ...

    class HttpClient(Protocol):
        """The HTTP client a :class:`Wire` sends through (``_keepalive.KeepAliveClient``,
        or an ``httpx.Client``): the keywords the two server families' requests use."""

        @property
        def is_closed(self) -> bool: ...

        def request(
            self,
            method: str,
            url: str,
            *,
            params: Mapping[str, str] | None = ...,
            data: Mapping[str, str] | None = ...,
            json: Any = ...,
            headers: Mapping[str, str] | None = ...,
            auth: tuple[str, str] | None = ...,
        ) -> HttpResponse: ...

        def close(self) -> None: ...


__all__ = ["AccountClosed", "Wire"]

T = TypeVar("T")


class AccountClosed(ServerUnavailable):
    """The account's connection was closed (signed out or switched away) before the call."""


class Wire:
    """Requests to one server over ``http``; ``owns_http`` makes :meth:`close` close it."""

    def __init__(
        self,
        where: str,
        http: HttpClient,
        *,
        owns_http: bool = False,
        retry: RetryPolicy | None = None,
    ) -> None:
        #: how sentences name the server ("the server at host:port")
        self.where = where
        self._http = http
        self._owns_http = owns_http
        self._retry = retry if retry is not None else RetryPolicy()
        self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed

    def send(self, method: str, url: str, **request: Any) -> HttpResponse:
        """One request, sent once; any answer comes back, whatever its status."""
        if self._closed:
            raise AccountClosed(
                _(
                    "The connection to {where} was closed (the account was signed out or "
                    "switched); nothing was sent."
                ).format(where=self.where)
            )
        try:
            return self._http.request(method, url, **request)
        except RequestFailed as failed:
            raise from_socket_error(failed.error, self.where, connected=failed.connected) from None
        except RuntimeError:
            if not self._http.is_closed:
                raise
            raise AccountClosed(
                _("The connection to {where} was closed.").format(where=self.where)
            ) from None
        except Exception as exc:
            if not _from_httpx(exc):
                raise
            raise from_transport_error(exc, self.where) from None

    def read(self, call: Callable[[], T]) -> T:
        """Run an idempotent ``call`` under the retry policy."""
        return retry_read(call, self._retry, retryable=worth_retrying)

    def close(self) -> None:
        """Refuse every later call; close the HTTP client when this wire owns it."""
        self._closed = True
        if self._owns_http:
            self._http.close()


def _from_httpx(exc: Exception) -> bool:
    """Whether an httpx client raised ``exc`` for the exchange: its own errors, and
    OSError (a transport below httpx leaked) or UnicodeError (a host name IDNA cannot
    encode). httpx is looked up, not imported: the stdlib client never loads it."""
    if isinstance(exc, OSError | UnicodeError):
        return True
    httpx = sys.modules.get("httpx")
    return httpx is not None and isinstance(exc, httpx.HTTPError)
