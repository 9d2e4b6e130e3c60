"""What a failed account call means for the widget: its phase, its words, what next.

Pure (no Qt): one function maps an exception from the account error tree onto what the
person sees (the phase that picks the icon, a sentence for the tooltip, maybe a
notification) and whether the session should try again after a backoff.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass

from tracktray.api import AuthenticationFailed, ServerUnavailable, TrackTrayError
from tracktray.i18n import N_, _

__all__ = ["Failure", "Notice", "Phase", "describe_failure"]

log = logging.getLogger(__name__)


class Phase(enum.Enum):
    #: the account is being opened, nothing is known yet
    OPENING = "opening"
    #: the last poll or action succeeded
    READY = "ready"
    #: the server could not be reached; the state shown is the last known one
    OFFLINE = "offline"
    #: the server rejected the credentials, or none are stored
    SIGNED_OUT = "signed-out"
    #: the account cannot be used as configured (a sentence in ``problem`` says why)
    BROKEN = "broken"


@dataclass(frozen=True, slots=True)
class Notice:
    """Something to tell the person (a notification)."""

    title: str
    body: str
    #: ("sign-in", "Sign in") when the notification offers to open the sign-in dialog
    actions: tuple[tuple[str, str], ...] = ()


#: the notification button that opens the sign-in dialog (its label translated on use)
SIGN_IN_ACTION = ("sign-in", N_("Sign in"))


@dataclass(frozen=True, slots=True)
class Failure:
    phase: Phase
    #: the sentence shown in the tooltip and the menu header
    problem: str
    notice: Notice | None
    #: try again after a backoff (a server that is away may come back)
    retry: bool
    #: the server asked to wait at least this long
    retry_after: float | None = None


def describe_failure(exc: Exception, *, label: str, opened: bool, was_signed_out: bool) -> Failure:
    """``opened``: the backend exists (a poll failed) rather than the opening itself."""
    if isinstance(exc, AuthenticationFailed):
        # one notification per sign-out, not one per poll
        notice = (
            None
            if was_signed_out
            else Notice(
                _("Signed out of {label}").format(label=label),
                str(exc),
                ((SIGN_IN_ACTION[0], _(SIGN_IN_ACTION[1])),),
            )
        )
        return Failure(Phase.SIGNED_OUT, str(exc), notice, retry=False)
    if isinstance(exc, ServerUnavailable):
        offline = _("Offline: {error}").format(error=exc)
        return Failure(Phase.OFFLINE, offline, None, True, exc.retry_after)
    if isinstance(exc, TrackTrayError):
        problem = str(exc)
    else:
        log.error("unexpected failure in %s", label, exc_info=exc)
        problem = _("Something went wrong with {account} ({error_type}: {error}).").format(
            account=label, error_type=type(exc).__name__, error=exc
        )
    phase = Phase.OFFLINE if opened else Phase.BROKEN
    return Failure(
        phase, problem, Notice(_("Problem with {label}").format(label=label), problem), retry=opened
    )
