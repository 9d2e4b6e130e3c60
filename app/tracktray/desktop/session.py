"""The active account as the widget sees it: its backend, last status, tree, and the poller.

:class:`Session` owns no widget. It sends every backend call through the
:class:`~tracktray.desktop.tasks.TaskBridge` on the account's own lane (so clicks reach
the server in order and the UI thread never waits), keeps the last known
:class:`~tracktray.domain.Status` and :class:`~tracktray.domain.TrackerTree`, and says
what changed through signals the tray, the menu and the notifier listen to.

Two of its jobs live in their own modules, mixed into the one :class:`Session` the rest
of the widget uses: opening and closing the account with its generation guard
(``account_opening.py``), and clicks through the journal (``journal_sending.py``): each
click is written with its time, then sent in click order. Until the server confirms,
:attr:`Session.status` is the last confirmed status with the unsent clicks applied
(``projection.py``), and :attr:`Session.unsent` says what is still waiting; the journal
is sent again after every successful poll, so clicks made while the server was away land
with their own times.

Polling: ``status`` at open, every poll interval, right after each action (in the same
worker task), and whenever :meth:`poll_now` is called (menu about to show, network back).
The interval's timer is the account lane's own (:meth:`TaskBridge.schedule`): the worker
wakes, asks, and wakes the Qt thread only when the answer changes what is drawn
(``polling.py``): a resting widget wakes one thread once per interval. Failures to reach
the server back off exponentially with jitter up to five minutes; the first success
restores the normal interval.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from tracktray.accounts import Backend, Capability
from tracktray.api import TrackTrayError
from tracktray.desktop.account_opening import (
    AccountOpening,
    default_open_backend,
)
from tracktray.desktop.account_opening import JournalRead as JournalRead
from tracktray.desktop.account_opening import OpenBackend as OpenBackend  # others import it here
from tracktray.desktop.account_opening import SecretLookup as SecretLookup
from tracktray.desktop.backoff import Backoff
from tracktray.desktop.benchhooks import answer_drawn, phase
from tracktray.desktop.failures import Notice, Phase, describe_failure
from tracktray.desktop.journal_sending import JournalSending, Outcome
from tracktray.desktop.polling import (
    TREE_MAX_AGE_S,
    PollParts,
    Rider,
    poll_work,
    resting_key,
    resting_poll,
)
from tracktray.desktop.projection import project
from tracktray.desktop.tasks import TaskBridge
from tracktray.desktop.text import change_notice
from tracktray.domain import Status, TrackerTree
from tracktray.i18n import _
from tracktray.store.journal import Journal, JournalEntry

if TYPE_CHECKING:
    from tracktray.accounts.replay import Outcome as SentOutcome
    from tracktray.store.settings import AccountConfig

__all__ = ["Notice", "Phase", "Session", "default_open_backend"]

log = logging.getLogger(__name__)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Session(AccountOpening, JournalSending, QObject):
    #: anything the tray or the menu shows may have changed
    changed = Signal()
    #: a :class:`Notice` to show
    notice = Signal(object)
    #: a poll finished, successfully or not (tests and the update check listen)
    polled = Signal(bool)
    #: an action of this widget started or switched to a tracker: (account id, tracker id)
    tracker_used = Signal(str, int)

    def __init__(
        self,
        bridge: TaskBridge,
        *,
        data_dir: Path,
        secret_lookup: SecretLookup,
        open_backend: OpenBackend = default_open_backend,
        poll_interval_s: float = 60.0,
        backoff: Backoff | None = None,
        journal: Journal | None = None,
        clock: Callable[[], dt.datetime] = _utc_now,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self.journal = journal if journal is not None else Journal(data_dir)
        self._clock = clock
        self._data_dir = data_dir
        self._secret_lookup = secret_lookup
        self._open_backend = open_backend
        self._backoff = backoff or Backoff()
        self._poll_interval_s = poll_interval_s
        self.account: AccountConfig | None = None
        self.backend: Backend | None = None
        #: the last status the server confirmed
        self.server_status: Status | None = None
        #: this account's clicks the server has not confirmed yet, in click order
        self.unsent: list[JournalEntry] = []
        #: backends nobody holds: opened on a worker and not yet taken, or closing on
        #: their lane. The bridge drops queued work at quit, so quit closes these too.
        self._loose: list[Backend] = []
        self._sending = 0
        #: who waits to hear how an entry ended, by entry id
        self._outcomes: dict[int, Outcome] = {}
        #: the server_status is the one remembered from the last run, not yet confirmed
        self._status_is_remembered = False
        #: when the server last confirmed server_status: (generation, monotonic time, the
        #: answer that confirmed it); a resting poll confirms it on the worker
        #: (:meth:`_confirm`)
        self._confirmed: tuple[int, float, Status] | None = None
        #: what a click would mean in the status last written to disk
        self._saved_key: tuple[object, ...] | None = None
        self._results: dict[int, Callable[[SentOutcome], None]] = {}
        self.tree: TrackerTree = TrackerTree()
        self.phase = Phase.OPENING
        #: a plain sentence about what is wrong (offline, signed out), else ""
        self.problem = ""
        #: the tracker this widget last started on this account (the click's target)
        self.last_tracker_id: int | None = None
        self._pending_actions = 0
        #: clicks recorded while the account opened (no backend yet), sent once it opens
        self._deferred_clicks = 0
        #: a click made while the account opened with no status known: made at the first
        #: answer (:meth:`toggle`)
        self._click_when_known = False
        self._poll_in_flight = False
        self._tree_fetched_at: float | None = None
        # Every open() starts a new generation; outcomes of an older one are ignored,
        # so a slow answer from the previous account never lands on the new one.
        self._generation = 0
        self._riders: list[Rider] = []
        #: the lane whose timer holds the next poll (the account's)
        self._scheduled_lane: str | None = None

    # -- state the views read ----------------------------------------------------------

    @property
    def status(self) -> Status | None:
        """What the person sees: the confirmed status with the unsent clicks applied."""
        if not self.unsent:
            return self.server_status
        return project(self.server_status, self.unsent, self.tree)

    def standing_status(self) -> Status | None:
        """The server's last status while it stands as the tray draws it, else None.

        It stands while the account answered its last poll or action, nothing of it
        waits to be sent or for an answer, and the server confirmed it within one poll
        interval — the tray draws it as the truth until the next poll. What is returned
        is the last confirming answer: the drawn status as of that later fetch (equal to
        it but for the time of fetching, or, while a block runs, its totals grown by
        the time between: :func:`~tracktray.desktop.polling.resting_key`).
        """
        confirmed, status = self._confirmed, self.server_status
        if (
            confirmed is None
            or status is None
            or confirmed[0] != self._generation
            or self.phase is not Phase.READY
            or self.unsent
            or self.waiting
            or self._status_is_remembered
            or time.monotonic() - confirmed[1] > self._poll_interval_s
        ):
            return None
        return confirmed[2]

    def _confirm(self, generation: int, answer: Status) -> None:
        """A resting poll (on the account's worker) got the status drawn once more —
        unless an action's answer replaced what is drawn meanwhile."""
        drawn = self.server_status
        if generation != self._generation or drawn is None:
            return
        if drawn.replace(fetched_at=answer.fetched_at) == answer or (
            resting_key(answer) == resting_key(drawn)
        ):
            self._confirmed = (generation, time.monotonic(), answer)

    @property
    def waiting(self) -> bool:
        """An action was sent and its answer has not come back yet."""
        return self._pending_actions > 0

    @property
    def capabilities(self) -> Capability:
        return self.backend.capabilities if self.backend is not None else Capability.NONE

    @property
    def can_track(self) -> bool:
        return (
            Capability.TRACK in self.capabilities
            and self.status is not None
            and self.phase in (Phase.READY, Phase.OFFLINE)
        )

    @property
    def poll_interval_s(self) -> float:
        return self._poll_interval_s

    @poll_interval_s.setter
    def poll_interval_s(self, seconds: float) -> None:
        """A new interval takes effect now: the lane's timer is set anew (a resting
        worker would otherwise go on with the old one)."""
        changed = seconds != self._poll_interval_s
        self._poll_interval_s = seconds
        if changed and self._scheduled_lane is not None and not self._poll_in_flight:
            self._schedule(seconds)

    @property
    def next_poll_in_ms(self) -> int | None:
        """Milliseconds until the next scheduled poll (None when none is scheduled)."""
        lane = self._scheduled_lane
        return self._bridge.due_in_ms(lane) if lane is not None else None

    def start_target(self) -> tuple[int | None, str] | None:
        """What a click on Start starts: the tracker last used here, else the default."""
        last = self.tree.get(self.last_tracker_id) if self.last_tracker_id else None
        if last is not None and last.trackable:
            return last.id, last.name
        if self.status is not None and self.status.default_tracker is not None:
            default = self.status.default_tracker
            return default.id, default.name
        return None

    # -- polling -------------------------------------------------------------------------

    def poll_now(self) -> None:
        """Ask for ``status`` now, unless a poll is already on its way."""
        backend, account = self.backend, self.account
        if backend is None or account is None or self._poll_in_flight:
            return
        if self.phase is Phase.SIGNED_OUT:
            return  # asking again with the same wrong password helps nobody
        self._poll_in_flight = True
        work, done, failed, _ = self._poll(self._generation, backend, self._tree_is_stale())
        self._bridge.run(account.id, work, done, failed)

    def _poll(self, generation: int, backend: Backend, want_tree: bool) -> PollParts:
        """One poll's work (for the worker) and its two endings (for the Qt thread), and
        the riders' results once the work ran."""
        rode: list[tuple[Rider, Any]] = []
        work = poll_work(backend, list(self._riders), want_tree, rode)

        def deliver_riders() -> None:
            for rider, value in rode:  # filled on the worker before this task ended
                rider[1](value)

        def done(result: tuple[Status, TrackerTree | None]) -> None:
            phase("poll-delivered")
            deliver_riders()
            self._poll_in_flight = False
            status, tree = result
            if self.waiting:
                # an action's answer will replace this soon; keep the icon on "waiting"
                self._accept(status, tree, announce=False)
            else:
                self._accept(status, tree, announce=True)
            answer_drawn()
            self._schedule(self.poll_interval_s)
            self.polled.emit(True)
            if self.unsent and not self._sending and not self.waiting:
                self._send()  # the server is back: what was clicked meanwhile goes now

        def failed(exc: Exception) -> None:
            deliver_riders()
            self._poll_in_flight = False
            self._on_failure(exc)
            self.polled.emit(False)

        return work, self._guard(generation, done), self._guard(generation, failed), rode

    def ride_along(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], None],
        news: Callable[[Any], bool] = lambda _result: True,
    ) -> None:
        """Run ``work`` on the account's worker with every poll and ``done(result)`` on
        the Qt thread with the poll's answer: a periodic check that costs no thread hop
        and no wake-up of its own. A resting poll stays on its worker unless ``news``
        says a result is worth handing over."""
        self._riders.append((work, done, news))

    def refresh_tree(self) -> None:
        """Fetch the tree with the next poll (after trackers were managed)."""
        self._tree_fetched_at = None
        self.poll_now()

    def _tree_is_stale(self) -> bool:
        fetched = self._tree_fetched_at
        return fetched is None or time.monotonic() - fetched > TREE_MAX_AGE_S

    def _schedule(self, delay_s: float) -> None:
        """The next poll in ``delay_s`` seconds, on the account lane's own timer; then one
        every interval, handed to the Qt thread only when it changes something."""
        backend, account = self.backend, self.account
        if backend is None or account is None:
            return
        generation = self._generation
        status = self.server_status
        resting = self.phase is Phase.READY and not self.unsent and not self.waiting
        timed = resting_poll(
            current=lambda: generation == self._generation,
            poll=lambda want_tree: self._poll(generation, backend, want_tree),
            # what is drawn now, compared with on the worker (None: hand each over)
            drawn=resting_key(status) if resting and status is not None else None,
            tree=self.tree,
            tree_fetched_at=self._tree_fetched_at,
            interval=self.poll_interval_s,
            deliver=self._bridge.deliver,
            confirmed=lambda answer: self._confirm(generation, answer),
        )
        self._scheduled_lane = account.id
        self._bridge.schedule(account.id, max(0.001, delay_s), timed)

    def _unschedule(self) -> None:
        lane, self._scheduled_lane = self._scheduled_lane, None
        if lane is not None:
            self._bridge.schedule(lane, None)

    # -- actions -------------------------------------------------------------------------

    def toggle(self) -> None:
        """The left click: stop when running, else start the last used (or default) tracker.

        Ignored while an action is on its way: what a click means depends on the answer
        (a quick double click must not send "start" twice and earn a refusal).
        """
        if self.waiting:
            return
        if self.status is None and self.phase is Phase.OPENING and self.account is not None:
            # The account opens with no status remembered to click on: the click means
            # what its first answer says and is made then (the icon waits meanwhile).
            self._click_when_known = True
            self._pending_actions += 1
            self.changed.emit()
            return
        if self.status is not None and self.status.running is not None:
            self.stop()
        else:
            target = self.start_target()
            self.start(target[0] if target else None)

    def start(self, tracker_id: int | None = None) -> None:
        self.record("start", {"tracker_id": tracker_id})

    def stop(self, description: str = "") -> None:
        self.record("stop", {"description": description})

    def switch(self, tracker_id: int | None = None, description: str = "") -> None:
        self.record("switch", {"tracker_id": tracker_id, "description": description})

    def run_on_backend(
        self,
        work: Callable[[Backend], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[Exception], None],
    ) -> None:
        """Any other backend call (tracker management, update check) on the account lane."""
        backend, account = self.backend, self.account
        if backend is None or account is None:
            on_failure(TrackTrayError(_("No account is open yet.")))
            return
        generation = self._generation
        self._bridge.run(
            account.id,
            lambda: work(backend),
            self._guard(generation, on_success),
            self._guard(generation, on_failure),
        )

    # -- outcomes ------------------------------------------------------------------------

    def _accept(self, status: Status, tree: TrackerTree | None, *, announce: bool) -> None:
        if announce and not self._status_is_remembered:
            sentence = change_notice(self.server_status, status)
            if sentence is not None:
                self.notice.emit(Notice(_("Changed elsewhere"), sentence))
        self._status_is_remembered = False
        self.server_status = status
        self._confirmed = (self._generation, time.monotonic(), status)
        self._remember(status)
        if tree is not None:
            self.tree = tree
            self._tree_fetched_at = time.monotonic()
        self.phase = Phase.READY
        self.problem = ""
        self._backoff.succeeded()
        self.changed.emit()
        if self._take_back_early_click():
            self.toggle()  # the click made before anything was known, now it is

    def _take_back_early_click(self) -> bool:
        """Whether a click waits for the first answer (:meth:`toggle`); it no longer does."""
        clicked, self._click_when_known = self._click_when_known, False
        if clicked:
            self._pending_actions -= 1
        return clicked

    def _on_failure(self, exc: Exception) -> None:
        early_click = self._take_back_early_click()
        # clicks written while the account opened stay in the journal, shown as not yet
        # sent, and go when it opens; the icon no longer waits for them (none once open)
        self._pending_actions -= self._deferred_clicks
        self._deferred_clicks = 0
        self._report_failure(exc)
        if early_click:
            self.toggle()  # refused now, with the reason: the person hears why

    def _report_failure(self, exc: Exception) -> None:
        label = self.account.shown_label if self.account is not None else _("the account")
        failure = describe_failure(
            exc,
            label=label,
            opened=self.backend is not None,
            was_signed_out=self.phase is Phase.SIGNED_OUT,
        )
        self.phase, self.problem = failure.phase, failure.problem
        if failure.notice is not None:
            self.notice.emit(failure.notice)
        self._unschedule()
        if failure.retry:
            delay = max(self._backoff.failed(), failure.retry_after or 0.0)
            if self.backend is not None:
                self._schedule(delay)
            elif self.account is not None:
                account, generation = self.account, self._generation
                QTimer.singleShot(
                    round(delay * 1000), self, lambda: self._reopen(account, generation)
                )
        self.changed.emit()

    def _guard(self, generation: int, callback: Callable[[Any], None]) -> Callable[[Any], None]:
        """Drop outcomes that belong to an account that is no longer active."""

        def guarded(value: Any) -> None:
            if generation == self._generation:
                callback(value)

        return guarded
