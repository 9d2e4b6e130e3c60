"""What each answer of the idle prompts asks of the backend, as one call on the account lane.

Each function returns the work to run on the account's lane (so it reaches the server in
order with the person's clicks). A server that ignored ``at`` (``TimeNotApplied``, a
vendor TrackMyPeople server) still did the stop or switch — at the time it received it —
so the sequence goes on and the outcome carries the error for the notice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from tracktray.accounts import Backend
from tracktray.api import TimeNotApplied

__all__ = ["CutOutcome", "discard_idle", "move_idle", "stop_at"]

#: the TimeNotApplied a server raised on the way, or None when every ``at`` was honoured
CutOutcome = TimeNotApplied | None
Work = Callable[[Backend], CutOutcome]


def _tolerating(call: Callable[[], object]) -> CutOutcome:
    try:
        call()
    except TimeNotApplied as exc:
        return exc
    return None


def stop_at(at: dt.datetime) -> Work:
    """Stop the block at ``at`` (the start of the absence or the last activity)."""
    return lambda backend: _tolerating(lambda: backend.stop("", at))


def discard_idle(at: dt.datetime, tracker_id: int) -> Work:
    """Stop at ``at`` and start the same tracker again now: the absence is not tracked."""

    def work(backend: Backend) -> CutOutcome:
        outcome = _tolerating(lambda: backend.stop("", at))
        backend.start(tracker_id)
        return outcome

    return work


def move_idle(at: dt.datetime, other_id: int, tracker_id: int) -> Work:
    """The absence goes to ``other_id`` (from ``at`` until now), then the block goes on."""

    def work(backend: Backend) -> CutOutcome:
        outcome = _tolerating(lambda: backend.switch(other_id, "", at))
        backend.switch(tracker_id)
        return outcome

    return work
