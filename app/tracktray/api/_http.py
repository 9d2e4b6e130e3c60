"""Building the HTTP side of a client: server URLs, TLS, and a configured httpx.Client.

Shared by every remote client (TrackMyPeople, TimeTrack) and by the standard library's
one request (``_one_request.py``): the same addresses, the same TLS context, the same
timeouts. Certificate verification is always on; an account may name its own CA file (a
self-hosted server with a private CA); plain ``http`` is accepted only for a server on
this machine. httpx is imported only when a client is made.
"""

from __future__ import annotations

import ssl
import urllib.parse

from tracktray import __version__
from tracktray.contracts.errors import ValidationFailed
from tracktray.i18n import _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from tracktray.api._httpx import httpx

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT_S",
    "DEFAULT_READ_TIMEOUT_S",
    "USER_AGENT",
    "is_loopback_host",
    "make_http_client",
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
    import ipaddress  # only for plain http, which only this machine may use (~1 ms)

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
    """A verifying TLS context: the account's CA file, or the system's and certifi's CAs."""
    if ca_file:
        try:
            return ssl.create_default_context(cafile=ca_file)
        except (OSError, ssl.SSLError) as exc:
            raise ValidationFailed(
                _("The certificate file “{ca_file}” cannot be used: {exc}.").format(
                    ca_file=ca_file, exc=_reason(exc)
                )
            ) from None
    context = ssl.create_default_context()
    # Python builds without a system store (macOS, Windows installers) still verify.
    import certifi

    context.load_verify_locations(certifi.where())
    return context


def make_http_client(
    ca_file: str | None = None,
    *,
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT_S,
    read_timeout: float = DEFAULT_READ_TIMEOUT_S,
    transport: httpx.BaseTransport | None = None,
) -> httpx.Client:
    """An HTTP/1.1 keep-alive client with explicit timeouts and verification on.

    One connection is kept and reused: a widget talks to one server, one request at a
    time. Redirects are not followed, because a redirect on an API call is usually a
    login page, which the client reports as a wrong URL.
    """
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
