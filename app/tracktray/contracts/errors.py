"""The one exception tree: every account raises it (remote clients and local mode), and
the engine raises its own refusals as members of it (``engine/errors.py``).

::

    TrackTrayError                  base; ``str(e)`` is one plain sentence for a person
    ├── AuthenticationFailed        wrong or missing username/password/key
    ├── PermissionDenied            authenticated, but not allowed to do that
    ├── Refused                     the server understood and said no ("already started")
    │   ├── ValidationFailed        ...because the input was wrong (carries the sentence)
    │   ├── Overlap                 ...because the block overlaps another (carries its edit URL)
    │   └── NotFound                ...because no such block, tracker or person is yours
    ├── TimeNotApplied              a stop/switch went through but the server ignored ``at``
    ├── ServerUnavailable           DNS, refused, timeout, 5xx (``retry_after`` when given)
    │   ├── AnswerLost              the request may have arrived, its answer did not
    │   └── CertificateNotTrusted   TLS verification failed (never retried)
    └── ProtocolError               the answer is not what the protocol promises

(``AnswerLost`` and ``CertificateNotTrusted`` live in ``api/_faults.py``, next to the code
that tells them apart; callers only ever need to catch ``ServerUnavailable``.)

Nothing else escapes a client: callers catch ``TrackTrayError`` and show ``str(e)``.
"""

from __future__ import annotations

import datetime as dt
import re

from tracktray.i18n import _, format_clock

__all__ = [
    "AuthenticationFailed",
    "NotFound",
    "Overlap",
    "PermissionDenied",
    "ProtocolError",
    "Refused",
    "ServerUnavailable",
    "TimeNotApplied",
    "TrackTrayError",
    "ValidationFailed",
]


class TrackTrayError(Exception):
    """Base of every error an account raises; the message is meant for a person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class AuthenticationFailed(TrackTrayError):
    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or _("The server did not accept the username or password."))


class PermissionDenied(TrackTrayError):
    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or _("You are not allowed to do that on this server."))


class Refused(TrackTrayError):
    """The server refused the request; ``message`` is its own sentence."""


class ValidationFailed(Refused):
    """The request was refused because of its input."""


class NotFound(Refused):
    """No such block, tracker, record or person (or not one the caller may see)."""


class Overlap(Refused):
    """A new or edited block would overlap an existing one at ``url``."""

    def __init__(
        self, url: str | None, message: str | None = None, *, block_id: int | None = None
    ) -> None:
        text = message or _("That time overlaps a block you already have.")
        if url:
            text = _("{sentence} You can edit the other block at {url}").format(
                sentence=text, url=url
            )
        super().__init__(text)
        self.url = url
        #: the overlapped block, when known (local mode; servers put it in ``url``)
        self.block_id = block_id if block_id is not None else _block_id_in(url)


def _block_id_in(url: str | None) -> int | None:
    """The block id of an engine edit URL (``…/blocks/<id>/edit``), else None."""
    found = re.search(r"/blocks/(\d+)(?:/|$)", url or "")
    return int(found.group(1)) if found else None


class TimeNotApplied(TrackTrayError):
    """The server did the stop or switch but ignored the time we asked for (``at`` is our
    extension of the protocol; a vendor server may not know it). The block is at ``url``."""

    def __init__(self, wanted: dt.datetime, actual: dt.datetime, url: str | None) -> None:
        wanted_s = format_clock(wanted.astimezone())
        actual_s = format_clock(actual.astimezone())
        text = _("The server ended the block at {actual}, not at {wanted} as asked.").format(
            actual=actual_s, wanted=wanted_s
        )
        text += (
            _(" Correct it on its page: {url}").format(url=url)
            if url
            else _(" Correct it on the server.")
        )
        super().__init__(text)
        self.wanted = wanted
        self.actual = actual
        self.url = url


class ServerUnavailable(TrackTrayError):
    """The server could not be reached or failed; worth retrying later."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ProtocolError(TrackTrayError):
    """The server answered something the protocol does not allow."""
