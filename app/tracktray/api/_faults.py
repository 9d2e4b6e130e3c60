"""Turning what a transport raises or a server answers at the HTTP level into the error tree.

Shared by every remote client, and by both transports: httpx (:func:`from_transport_error`)
and the standard library's keep-alive client (``_keepalive.py``, :class:`RequestFailed`,
:func:`from_socket_error`), which say each failure in the same sentence. Connection failures become
ServerUnavailable with a sentence that says what went wrong in words a person can act on
(name not found, nobody answering, certificate not trusted, too slow). Failures that may
have happened after the request left become :class:`AnswerLost`, so that a client can
re-check a write instead of sending it twice. httpx itself is imported only to tell its
own errors apart.
"""

from __future__ import annotations

import datetime as dt
import ssl

from tracktray.contracts.errors import (
    AuthenticationFailed,
    PermissionDenied,
    ProtocolError,
    ServerUnavailable,
    TrackTrayError,
)
from tracktray.i18n import _

TYPE_CHECKING = False  # httpx and typing are names only here
if TYPE_CHECKING:
    from typing import Any, Protocol

    from tracktray.api._httpx import httpx

    class _Headers(Protocol):
        """httpx's ``Headers`` or ``_http1.Headers``: names in any case."""

        def get(self, name: str, default: Any = None, /) -> Any: ...

    class HttpAnswer(Protocol):
        """What the rules read of an answer: an ``httpx.Response``, or the stdlib's."""

        @property
        def status_code(self) -> int: ...

        @property
        def headers(self) -> _Headers: ...


__all__ = [
    "AnswerLost",
    "CertificateNotTrusted",
    "NoConnectionFree",
    "RequestFailed",
    "UnreadableAnswer",
    "from_http_status",
    "from_socket_error",
    "from_transport_error",
    "parse_retry_after",
    "worth_retrying",
]


class AnswerLost(ServerUnavailable):
    """The request may have reached the server, but its answer did not come back."""


class CertificateNotTrusted(ServerUnavailable):
    """The server's certificate does not verify: trying again cannot help."""


class RequestFailed(Exception):
    """What the standard library's client raises: the failure and whether the request
    may have left this computer (``connected``), for :func:`from_socket_error`."""

    def __init__(self, error: BaseException, *, connected: bool) -> None:
        super().__init__(error)
        self.error = error
        self.connected = connected


class NoConnectionFree(Exception):
    """Every connection of the client stayed busy for the whole read timeout."""


class UnreadableAnswer(ValueError):
    """An answer's body does not decode as its ``Content-Encoding`` says."""


def worth_retrying(error: ServerUnavailable) -> bool:
    """Whether a read that failed this way may succeed when simply sent again."""
    return not isinstance(error, CertificateNotTrusted)


def from_transport_error(exc: Exception, where: str) -> TrackTrayError:
    """The error for an exception httpx raised while sending a request to ``where``."""
    from tracktray.api._httpx import httpx

    if isinstance(exc, httpx.ConnectTimeout):
        return _connect_too_slow(where)
    if isinstance(exc, httpx.PoolTimeout):
        return _no_connection_free(where)
    if isinstance(exc, httpx.ConnectError):
        return _connect_failure(exc, where)
    if isinstance(exc, httpx.TimeoutException):
        return _answer_too_slow(where)
    if isinstance(exc, httpx.ReadError | httpx.WriteError | httpx.RemoteProtocolError):
        return _connection_broke(where)
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL | UnicodeError):
        return _bad_address(where)  # UnicodeError: a host name IDNA cannot encode
    if isinstance(exc, httpx.DecodingError | httpx.TooManyRedirects):
        return _unreadable(where)
    if isinstance(exc, ssl.SSLError):
        return ServerUnavailable(
            _("The secure connection to {where} failed ({reason}).").format(
                where=where, reason=exc.reason
            )
        )
    return ServerUnavailable(
        _("{where} cannot be reached ({error_type}).").format(
            where=_cap(where), error_type=type(exc).__name__
        )
    )


def from_socket_error(exc: BaseException, where: str, *, connected: bool) -> TrackTrayError:
    """The error for what the standard library (socket, ssl) or ``_http1`` raised while
    connecting to ``where`` (``connected`` False) or exchanging the request after: the
    sentence httpx's error for the same failure gets."""
    if isinstance(exc, NoConnectionFree):
        return _no_connection_free(where)
    if isinstance(exc, UnreadableAnswer):
        return _unreadable(where)
    if not connected:
        if isinstance(exc, TimeoutError):  # socket.timeout is TimeoutError
            return _connect_too_slow(where)
        if isinstance(exc, ssl.SSLCertVerificationError):
            return _not_trusted(where)
        if isinstance(exc, ssl.SSLError):
            return _secure_connection_failed(where)
        if isinstance(exc, ConnectionRefusedError):
            return _nobody_answers(where)
        if _name_not_found(exc):
            return _no_such_name(where)
        if isinstance(exc, UnicodeError):  # a host name IDNA cannot encode
            return _bad_address(where)
        return _unreachable(where)
    if isinstance(exc, TimeoutError):
        return _answer_too_slow(where)
    return _connection_broke(where)  # reset, closed early, an answer that is not HTTP


def from_http_status(response: HttpAnswer, where: str) -> TrackTrayError | None:
    """The error an HTTP status stands for, or None for a 2xx answer."""
    code = response.status_code
    if 200 <= code < 300:
        return None
    if code == 401:
        return AuthenticationFailed(
            _("{where} did not accept the username or password.").format(where=_cap(where))
        )
    if code == 403:
        return PermissionDenied(
            _("{where} does not allow this account to do that.").format(where=_cap(where))
        )
    if code in (408, 429) or code >= 500:
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        later = (
            _("try again in {retry_after} s").format(retry_after=round(retry_after))
            if retry_after is not None
            else _("try again later")
        )
        return ServerUnavailable(
            _("{where} is unavailable right now (HTTP {code}); {later}.").format(
                where=_cap(where), code=code, later=later
            ),
            retry_after,
        )
    if 300 <= code < 400:
        target = response.headers.get("Location", "another page")
        return ProtocolError(
            _(
                "{where} redirected to {target} (probably a login page); check the server address."
            ).format(where=_cap(where), target=target[:120])
        )
    if code == 404:
        return ProtocolError(
            _(
                "{where} does not know this API function (HTTP 404); check the server address."
            ).format(where=_cap(where))
        )
    return ProtocolError(
        _("{where} answered with an unexpected HTTP status {code}.").format(
            where=_cap(where), code=code
        )
    )


def parse_retry_after(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(int(text))
    import email.utils  # an HTTP date instead of seconds: rare

    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    now = now or dt.datetime.now(dt.UTC)
    return max(0.0, (when - now).total_seconds())


def _connect_failure(exc: httpx.ConnectError, where: str) -> ServerUnavailable:
    text = str(exc)
    cause = exc.__cause__ or exc.__context__
    if isinstance(cause, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in text:
        return _not_trusted(where)
    if "SSL" in text or isinstance(cause, ssl.SSLError):
        return _secure_connection_failed(where)
    if "Name or service not known" in text or "getaddrinfo" in text or "nodename" in text:
        return _no_such_name(where)
    if "refused" in text.casefold():
        return _nobody_answers(where)
    return _unreachable(where)


def _name_not_found(exc: BaseException) -> bool:
    import socket  # loaded already by whoever connected

    return isinstance(exc, socket.gaierror)


# -- the sentences, one of each, whichever transport failed -----------------------------


def _bad_address(where: str) -> ProtocolError:
    return ProtocolError(
        _("{where} cannot be reached with this address.").format(where=_cap(where))
    )


def _no_connection_free(where: str) -> ServerUnavailable:
    return ServerUnavailable(_("No connection to {where} became free in time.").format(where=where))


def _unreadable(where: str) -> ProtocolError:
    return ProtocolError(_("{where} sent an answer that cannot be read.").format(where=_cap(where)))


def _connect_too_slow(where: str) -> ServerUnavailable:
    return ServerUnavailable(
        _("Connecting to {where} took too long; try again later.").format(where=where)
    )


def _not_trusted(where: str) -> CertificateNotTrusted:
    return CertificateNotTrusted(
        _(
            "The certificate of {where} is not trusted; if the server uses its own "
            "certificate authority, give its CA file to the account."
        ).format(where=where)
    )


def _secure_connection_failed(where: str) -> ServerUnavailable:
    return ServerUnavailable(_("The secure connection to {where} failed.").format(where=where))


def _no_such_name(where: str) -> ServerUnavailable:
    return ServerUnavailable(
        _("The server name of {where} could not be found.").format(where=where)
    )


def _nobody_answers(where: str) -> ServerUnavailable:
    return ServerUnavailable(
        _("Nobody answers at {where} (connection refused).").format(where=where)
    )


def _unreachable(where: str) -> ServerUnavailable:
    return ServerUnavailable(
        _("{where} cannot be reached; check the network.").format(where=_cap(where))
    )


def _answer_too_slow(where: str) -> AnswerLost:
    return AnswerLost(
        _("{where} did not answer in time; try again later.").format(where=_cap(where))
    )


def _connection_broke(where: str) -> AnswerLost:
    return AnswerLost(
        _("The connection to {where} broke before the answer arrived.").format(where=where)
    )


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
