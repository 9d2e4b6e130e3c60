"""Turning what httpx raises or a server answers at the HTTP level into the error tree.

Shared by every remote client. Connection failures become ServerUnavailable with a
sentence that says what went wrong in words a person can act on (name not found,
nobody answering, certificate not trusted, too slow). Failures that may have happened
after the request left become :class:`AnswerLost`, so that a client can re-check a
write instead of sending it twice.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import ssl

from tracktray.api._httpx import httpx
from tracktray.contracts.errors import (
    AuthenticationFailed,
    PermissionDenied,
    ProtocolError,
    ServerUnavailable,
    TrackTrayError,
)

__all__ = [
    "AnswerLost",
    "CertificateNotTrusted",
    "from_http_status",
    "from_transport_error",
    "parse_retry_after",
    "worth_retrying",
]


class AnswerLost(ServerUnavailable):
    """The request may have reached the server, but its answer did not come back."""


class CertificateNotTrusted(ServerUnavailable):
    """The server's certificate does not verify: trying again cannot help."""


def worth_retrying(error: ServerUnavailable) -> bool:
    """Whether a read that failed this way may succeed when simply sent again."""
    return not isinstance(error, CertificateNotTrusted)


def from_transport_error(exc: Exception, where: str) -> TrackTrayError:
    """The error for an exception raised while sending a request to ``where``."""
    if isinstance(exc, httpx.ConnectTimeout):
        return ServerUnavailable(f"Connecting to {where} took too long; try again later.")
    if isinstance(exc, httpx.PoolTimeout):
        return ServerUnavailable(f"No connection to {where} became free in time.")
    if isinstance(exc, httpx.ConnectError):
        return _connect_failure(exc, where)
    if isinstance(exc, httpx.TimeoutException):
        return AnswerLost(f"{_cap(where)} did not answer in time; try again later.")
    if isinstance(exc, httpx.ReadError | httpx.WriteError | httpx.RemoteProtocolError):
        return AnswerLost(f"The connection to {where} broke before the answer arrived.")
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return ProtocolError(f"{_cap(where)} cannot be reached with this address.")
    if isinstance(exc, httpx.DecodingError | httpx.TooManyRedirects):
        return ProtocolError(f"{_cap(where)} sent an answer that cannot be read.")
    if isinstance(exc, ssl.SSLError):
        return ServerUnavailable(f"The secure connection to {where} failed ({exc.reason}).")
    return ServerUnavailable(f"{_cap(where)} cannot be reached ({type(exc).__name__}).")


def from_http_status(response: httpx.Response, where: str) -> TrackTrayError | None:
    """The error an HTTP status stands for, or None for a 2xx answer."""
    code = response.status_code
    if 200 <= code < 300:
        return None
    if code == 401:
        return AuthenticationFailed(f"{_cap(where)} did not accept the username or password.")
    if code == 403:
        return PermissionDenied(f"{_cap(where)} does not allow this account to do that.")
    if code in (408, 429) or code >= 500:
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        later = (
            f"try again in {round(retry_after)} s" if retry_after is not None else "try again later"
        )
        return ServerUnavailable(
            f"{_cap(where)} is unavailable right now (HTTP {code}); {later}.", retry_after
        )
    if 300 <= code < 400:
        target = response.headers.get("Location", "another page")
        return ProtocolError(
            f"{_cap(where)} redirected to {target[:120]} (probably a login page); "
            "check the server address."
        )
    if code == 404:
        return ProtocolError(
            f"{_cap(where)} does not know this API function (HTTP 404); check the server address."
        )
    return ProtocolError(f"{_cap(where)} answered with an unexpected HTTP status {code}.")


def parse_retry_after(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(int(text))
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
        return CertificateNotTrusted(
            f"The certificate of {where} is not trusted; if the server uses its own "
            "certificate authority, give its CA file to the account."
        )
    if "SSL" in text or isinstance(cause, ssl.SSLError):
        return ServerUnavailable(f"The secure connection to {where} failed.")
    if "Name or service not known" in text or "getaddrinfo" in text or "nodename" in text:
        return ServerUnavailable(f"The server name of {where} could not be found.")
    if "refused" in text.casefold():
        return ServerUnavailable(f"Nobody answers at {where} (connection refused).")
    return ServerUnavailable(f"{_cap(where)} cannot be reached; check the network.")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
