"""What each answer of the idle prompts asks for, as clicks in the journal.

Every answer goes through :meth:`Session.record`, the road of every click: written to the
journal with its time, sent in click order with the person's other clicks on the
account's lane, kept and sent later when the server is away. A stop or switch carries
the time the person chose as ``at`` (TimeTrack sends it as ``date``). A server that
ignores ``at`` (a vendor TrackMyPeople server) still does the stop or switch, at the
time it gets it; the journal's sender then tells the person where to correct it, in the
sentence :func:`ignored_at` recognises (in the language in use).
"""

from __future__ import annotations

import datetime as dt
import re

from tracktray.desktop.session import Session
from tracktray.i18n import _

__all__ = ["discard_idle", "ignored_at", "move_idle", "stop_at"]


def ignored_at() -> re.Pattern[str]:
    """The sentence of ``TimeNotApplied`` (contracts/errors.py) in a notice, as the
    catalog words it now: the same msgid, so it matches in every language."""
    sentence = _("The server ended the block at {actual}, not at {wanted} as asked.")
    pattern = re.escape(sentence)
    for name in ("actual", "wanted"):
        pattern = pattern.replace(re.escape("{" + name + "}"), r"\S+")
    return re.compile(pattern)


def _at(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat()


def stop_at(session: Session, at: dt.datetime) -> None:
    """Stop the block at ``at`` (the start of the absence or the last activity)."""
    session.record("stop", {"description": "", "at": _at(at)})


def discard_idle(session: Session, at: dt.datetime, tracker_id: int) -> None:
    """Stop at ``at`` and start the same tracker again now: the absence is not tracked."""
    stop_at(session, at)
    session.start(tracker_id)


def move_idle(session: Session, at: dt.datetime, other_id: int, tracker_id: int) -> None:
    """The absence goes to ``other_id`` (from ``at`` until now), then the block goes on."""
    session.record("switch", {"tracker_id": other_id, "description": "", "at": _at(at)})
    session.switch(tracker_id)
