"""Building the HTTP side of a client: server URLs, TLS, and a configured HTTP client.

Shared by every remote client (TrackMyPeople, TimeTrack), ``tracktray status``'s one
request (``status_once.py``) and the updater's downloads: the same addresses, the same
TLS context, the same timeouts. Certificate verification is always on; an account may
name its own CA file (a self-hosted server with a private CA); plain ``http`` is
accepted only for a server on this machine.

An account's client is the standard library's keep-alive client (``_keepalive.py``);
httpx is imported only where it does what that client does not: a proxy named in the
environment, and the updater streaming a file to disk (:func:`make_httpx_client`).
"""

from __future__ import annotations

import ipaddress
import os
import ssl
import urllib.parse

from tracktray import __version__
from tracktray.api._trust import trusting_context
from tracktray.contracts.errors import ValidationFailed
from tracktray.i18n import _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

    from tracktray.api._httpx import httpx
    from tracktray.api._wire import HttpClient

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT_S",
    "DEFAULT_READ_TIMEOUT_S",
    "USER_AGENT",
    "is_loopback_host",
    "make_http_client",
    "make_httpx_client",
    "make_ssl_context",
    "normalize_base_url",
]

DEFAULT_CONNECT_TIMEOUT_S = 5.0
DEFAULT_READ_TIMEOUT_S = 20.0
USER_AGENT = f"tracktray/{__version__}"
#: How long an idle connection is kept for the next request: longer than the widget's
#: default poll interval (60 s), so a resting widget reuses one TLS connection instead of
#: a handshake a minute (httpx's own default is 5 s). The engine's server keeps idle
#: connections longer still, so it is never the one closing a connection about to be used.
KEEPALIVE_EXPIRY_S = 75.0


def is_loopback_host(host: str) -> bool:
    """127.0.0.0/8, ::1 and "localhost" (and its subdomains, RFC 6761)."""
    name = host.strip("[]").rstrip(".").casefold()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def normalize_base_url(url: str, *, api_path: str = "api") -> str:
    """The canonical base URL ``scheme://host[:port]/.../<api_path>/`` of a server.

    ``https://host``, ``https://host/api`` and ``https://host/api/`` name the same
    server. A missing scheme means https. Raises ValidationFailed with a sentence for
    a URL that cannot name a server, and for ``http`` to anything but this machine.
    """
    text = url.strip()
    if not text:
        raise ValidationFailed(_("The server address is empty."))
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urllib.parse.urlsplit(text)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        raise ValidationFailed(
            _("“{url}” is not a valid server address.").format(url=url)
        ) from None
    scheme = parts.scheme.casefold()
    if scheme not in ("https", "http") or not host or parts.username or parts.password:
        raise ValidationFailed(
            _("“{url}” is not a valid server address; give it as https://host/{api_path}/.").format(
                url=url, api_path=api_path
            )
        )
    if scheme == "http" and not is_loopback_host(host):
        raise ValidationFailed(
            _(
                "“{url}” does not use https; tracktray sends passwords only over https "
                "(plain http is allowed for a server on this computer only)."
            ).format(url=url)
        )
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    segments = [s for s in parts.path.split("/") if s]
    if not segments or segments[-1].casefold() != api_path.casefold():
        segments.append(api_path)
    return urllib.parse.urlunsplit((scheme, netloc, "/" + "/".join(segments) + "/", "", ""))


def make_ssl_context(ca_file: str | None = None) -> ssl.SSLContext:
    """A verifying TLS context: the account's CA file alone, or the system's CAs (certifi's
    where the system has none: ``_trust.py``)."""
    if ca_file:
        try:
            return ssl.create_default_context(cafile=ca_file)
        except (OSError, ssl.SSLError) as exc:
            raise ValidationFailed(
                _("The certificate file “{ca_file}” cannot be used: {exc}.").format(
                    ca_file=ca_file, exc=_reason(exc)
                )
            ) from None
    return trusting_context()


def make_http_client(
    ca_file: str | None = None,
    *,
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT_S,
    read_timeout: float = DEFAULT_READ_TIMEOUT_S,
    environ: Mapping[str, str] | None = None,
) -> HttpClient:
    """An account's HTTP/1.1 keep-alive client, with explicit timeouts and verification on.

    One connection is kept and reused: a widget talks to one server, one request at a
    time. Redirects are not followed, because a redirect on an API call is usually a
    login page, which the client reports as a wrong URL. The standard library's client
    (``_keepalive.py``), or httpx when the environment names a proxy, as it honours it.
    """
    from tracktray.api._keepalive import KeepAliveClient, uses_a_proxy

    if uses_a_proxy(os.environ if environ is None else environ):
        return make_httpx_client(
            ca_file, connect_timeout=connect_timeout, read_timeout=read_timeout
        )
    return KeepAliveClient(
        make_ssl_context(ca_file),
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        keepalive_expiry=KEEPALIVE_EXPIRY_S,
        user_agent=USER_AGENT,
    )


def make_httpx_client(
    ca_file: str | None = None,
    *,
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT_S,
    read_timeout: float = DEFAULT_READ_TIMEOUT_S,
    transport: httpx.BaseTransport | None = None,
) -> httpx.Client:
    """The same client over httpx: for a proxy in the environment, for the updater's
    downloads (streamed to disk) and for tests injecting a mock transport."""
    from tracktray.api._httpx import httpx

    return httpx.Client(
        verify=make_ssl_context(ca_file),
        timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
        limits=httpx.Limits(
            max_connections=2, max_keepalive_connections=1, keepalive_expiry=KEEPALIVE_EXPIRY_S
        ),
        headers={"User-Agent": USER_AGENT},
        follow_redirects=False,
        transport=transport,
    )


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc) or type(exc).__name__
