"""One TrackMyPeople call on the wire: POST ``<base><function>.json``, read the envelope.

Everything the HTTP exchange can go through ends here as either a JSON object (the
envelope, ``result`` checked) or exactly one error of the tree, whichever transport
carried it (:func:`envelope_of` reads an httpx answer and the standard library's alike).
Interpreting the fields is the decoders' job (``_trackmypeople_decode.py``).
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Mapping
from typing import Any

from tracktray.api._faults import from_http_status
from tracktray.api._parse import as_text
from tracktray.contracts.errors import (
    AuthenticationFailed,
    Overlap,
    PermissionDenied,
    ProtocolError,
    Refused,
    TrackTrayError,
    ValidationFailed,
)
from tracktray.i18n import _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Protocol

    from tracktray.api._faults import HttpAnswer
    from tracktray.api._wire import Wire

    class Answer(HttpAnswer, Protocol):
        """An answer with its body: an ``httpx.Response``, or the stdlib's."""

        @property
        def content(self) -> bytes: ...


__all__ = [
    "Envelope",
    "TrackMyPeopleWire",
    "call_url",
    "envelope_of",
    "refusal",
    "server_name",
    "succeeded",
]

# not translated: the server's words for "sign in again", recognised in its answers
_AUTH_WORDS = (
    "not logged in",
    "wrong password",
    "invalid password",
    "authentication",
)

Envelope = Mapping[str, Any]


class TrackMyPeopleWire:
    """Posts form-encoded calls to one TrackMyPeople base URL with HTTP Basic auth."""

    def __init__(self, base_url: str, auth: tuple[str, str], wire: Wire) -> None:
        self.base_url = base_url
        self._auth = auth
        self._wire = wire
        self.where = wire.where

    def call(self, function: str, params: Mapping[str, str] | None = None) -> Envelope:
        """The envelope of ``function``; ``result`` 0 stays for the caller to interpret."""
        url = call_url(self.base_url, function)
        response = self._wire.send("POST", url, data=dict(params or {}), auth=self._auth)
        return envelope_of(response, self.where)


def call_url(base_url: str, function: str) -> str:
    """Where a function is posted: ``<base>status.json``."""
    return f"{base_url}{function}.json"


def envelope_of(answer: Answer, where: str) -> Envelope:
    """The envelope of a server's answer, or the error its HTTP status or body means."""
    error = from_http_status(answer, where)
    if error is not None:
        raise error
    body = answer.content
    server = where[:1].upper() + where[1:]
    if _looks_like_html(answer.headers.get("Content-Type") or "", body):
        raise ProtocolError(
            _(
                "{server} answered with a web page instead of TrackMyPeople data; "
                "check the server address."
            ).format(server=server)
        )
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise ProtocolError(
            _("{server} sent an answer that is not TrackMyPeople data.").format(server=server)
        ) from None
    if data == []:  # PHP's empty array: an empty collection
        return {}
    if not isinstance(data, dict):
        raise ProtocolError(
            _("{server} sent an answer that is not TrackMyPeople data.").format(server=server)
        )
    return data


def server_name(base_url: str) -> str:
    """How sentences name a TrackMyPeople server: "the server at host:port"."""
    return _("the server at {netloc}").format(netloc=urllib.parse.urlsplit(base_url).netloc)


def succeeded(envelope: Envelope) -> bool:
    """Whether ``result`` says done; absent (collections such as `trackers`) means done."""
    result = envelope.get("result", 1)
    if result in (1, "1", True, "true"):
        return True
    if result in (0, "0", False, "false"):
        return False
    raise ProtocolError(_("The server sent a result that is neither 1 nor 0."))


def refusal(envelope: Envelope, *, about_input: bool, fallback: str) -> TrackTrayError:
    """The error for a ``result`` 0 envelope.

    ``about_input`` says whether this function's refusals concern what was sent (add,
    report...) rather than the state of the timer (start while running...).
    """
    sentence = _sentence(envelope.get("error")) or fallback
    lowered = sentence.casefold()
    if any(word in lowered for word in _AUTH_WORDS):
        # some servers refuse bad credentials in the envelope rather than with a 401
        return AuthenticationFailed(sentence)
    if "not allowed" in lowered or "permission" in lowered:
        return PermissionDenied(sentence)
    if "overlap" in lowered:
        url = as_text(envelope.get("url"), _("the overlap URL")) or None
        return Overlap(url, None if lowered.strip(" .!") == "overlap" else sentence)
    return ValidationFailed(sentence) if about_input else Refused(sentence)


def _sentence(value: object) -> str:
    if isinstance(value, str):
        text = " ".join(value.split())
        if text and text[-1] not in ".!?":
            text += "."
        return text[:1].upper() + text[1:]
    return ""


def _looks_like_html(content_type: str, body: bytes) -> bool:
    if "html" in content_type.casefold():
        return True
    return body.lstrip()[:1] == b"<"
