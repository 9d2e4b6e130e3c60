"""Polls of the active account: one poll's work, and the resting polls of its lane's timer.

A poll runs on the account's worker: the checks riding along first (they run even if
the poll fails), then ``status`` and, when due, the tracker tree. The interval's polls
run on the account lane's own timer (:meth:`TaskBridge.schedule`) and stay there when
the answer changes nothing drawn (:func:`resting_poll`): a resting widget wakes one
thread once per interval, not the Qt thread as well. The session
(:mod:`tracktray.desktop.session`) decides what an answer means.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from collections.abc import Callable
from typing import Any

from tracktray.accounts import Backend
from tracktray.desktop.benchhooks import phase
from tracktray.desktop.tasks import Timed
from tracktray.domain import Status, TrackerTree

__all__ = [
    "QUIET_POLLS_AT_MOST",
    "TICKING_SLACK_S",
    "TREE_MAX_AGE_S",
    "PollParts",
    "Rider",
    "poll_work",
    "resting_key",
    "resting_poll",
]

log = logging.getLogger(__name__)

#: the tree changes rarely; a poll refreshes it when it is older than this
TREE_MAX_AGE_S = 300.0
#: a resting widget's polls that may pass without waking the Qt thread, one after another
#: (so the Qt side's own daily work, the update check, still comes round)
QUIET_POLLS_AT_MOST = 60

#: a check that rides along with each poll: work (on the worker), done (on the Qt thread),
#: and whether a result is news (worth waking the Qt thread for)
Rider = tuple[Callable[[], Any], Callable[[Any], None], Callable[[Any], bool]]
Answer = tuple[Status, "TrackerTree | None"]
#: one poll: its work, its two endings (for the Qt thread), the riders' results
PollParts = tuple[
    Callable[[], Answer],
    Callable[[Any], None],
    Callable[[Any], None],
    "list[tuple[Rider, Any]]",
]

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def poll_work(
    backend: Backend, riders: list[Rider], want_tree: bool, rode: list[tuple[Rider, Any]]
) -> Callable[[], Answer]:
    """The worker's part of one poll; the riders' results are added to ``rode``."""

    def work() -> Answer:
        for rider in riders:  # first: they run even if the poll fails
            try:
                rode.append((rider, rider[0]()))
            except Exception:
                log.info("a check riding along with the poll failed", exc_info=True)
        phase("poll-sent")
        status = backend.status()
        tree = backend.trackers() if want_tree else None
        phase("poll-answered")
        return status, tree

    return work


def resting_poll(
    *,
    current: Callable[[], bool],
    poll: Callable[[bool], PollParts],
    drawn: object | None,
    tree: TrackerTree,
    tree_fetched_at: float | None,
    interval: float,
    deliver: Callable[[Callable[[Any], None], Any], None],
    confirmed: Callable[[Status], None] = lambda _status: None,
) -> Timed:
    """The lane's timed job: poll; hand the answer over (``deliver`` to the poll's
    endings, then the session schedules anew) unless it matches ``drawn`` (what the Qt
    thread shows, :func:`resting_key`; None: hand every answer over), brings no new tree
    and no rider has news — then say that the drawn status was ``confirmed`` (with the
    answer, on this worker) and poll again after ``interval``."""
    quiet_polls = 0

    def timed() -> float | None:
        nonlocal quiet_polls, tree_fetched_at
        if not current():
            return None  # another account is open now
        now = time.monotonic()
        stale = tree_fetched_at is None or now - tree_fetched_at > TREE_MAX_AGE_S
        work, done, failed, rode = poll(stale)
        try:
            fresh, fresh_tree = work()
        except Exception as exc:
            deliver(failed, exc)
            return None
        if fresh_tree is not None and fresh_tree == tree:
            tree_fetched_at, fresh_tree = now, None  # the same tree: nothing to draw
        quiet = (
            drawn is not None
            and fresh_tree is None
            and quiet_polls < QUIET_POLLS_AT_MOST
            and resting_key(fresh) == drawn
            and not any(rider[2](value) for rider, value in rode)
        )
        if quiet:
            quiet_polls += 1
            confirmed(fresh)
            return interval
        deliver(done, (fresh, fresh_tree))
        return None  # the session schedules the next one when it has taken this

    return timed


def resting_key(status: Status) -> object:
    """What is drawn from ``status``, its time of fetching aside: two statuses with equal
    keys draw the same icon, menu and tooltip, now and later.

    A running block's totals grow with the clock, and the Qt thread draws them from the
    status it holds (its own minute tick, :mod:`tracktray.desktop.tray`): a later status
    whose totals are the held ones grown by the time between the two fetches (within
    :data:`TICKING_SLACK_S`) draws the same. A paused TimeTrack block and the attendance
    clock get a key that never compares equal (each answer is handed over).
    """
    running = status.running
    if status.attendance is not None or (running is not None and running.paused):
        return object()
    plain = status.replace(fetched_at=_EPOCH)
    if running is None:
        return plain
    at = status.fetched_at.timestamp()
    return _Ticking(
        plain.replace(daytotal_s=0, running=running.replace(tracker_total_s=0)),
        status.daytotal_s - at,
        running.tracker_total_s - at,
    )


#: seconds two fetches' totals of a running block may differ from the clock's time
#: between them (whole seconds counted on two clocks) and still draw the same
TICKING_SLACK_S = 2.0


@dataclasses.dataclass(frozen=True, eq=False)
class _Ticking:
    """A running block's status as drawn: the totals as of the epoch, so a later fetch
    of the same block gives the same bases."""

    plain: Status
    day_base: float
    tracker_base: float

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, _Ticking)
            and self.plain == other.plain
            and abs(self.day_base - other.day_base) <= TICKING_SLACK_S
            and abs(self.tracker_base - other.tracker_base) <= TICKING_SLACK_S
        )

    __hash__ = None  # type: ignore[assignment]
