"""The active account as the widget sees it: its backend, last status, tree, and the poller.

:class:`Session` owns no widget. It sends every backend call through the
:class:`~tracktray.desktop.tasks.TaskBridge` on the account's own lane (so clicks reach
the server in order and the UI thread never waits), keeps the last known
:class:`~tracktray.domain.Status` and :class:`~tracktray.domain.TrackerTree`, and says
what changed through signals the tray, the menu and the notifier listen to.

Actions go through the journal (``store/journal.py``): each click is written with its
time on the ``journal`` lane, then the account's lane sends every waiting entry in click
order (``accounts/outbox.py``). Until the server confirms, :attr:`Session.status` is the
last confirmed status with the unsent clicks applied (``projection.py``), and
:attr:`Session.unsent` says what is still waiting; the journal is sent again after every
successful poll, so clicks made while the server was away land with their own times.

Polling: ``status`` at open, every poll interval, right after each action (in the same
worker task), and whenever :meth:`poll_now` is called (menu about to show, network back).
The interval's timer is the account lane's own (:meth:`TaskBridge.schedule`): the worker
wakes, asks, and wakes the Qt thread only when the answer changes what is drawn
(``polling.py``): a resting widget wakes one thread once per interval. Failures to reach
the server back off exponentially with jitter up to five minutes; the first success
restores the normal interval.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from tracktray.accounts import Backend, Capability
from tracktray.accounts.kinds import kind_of
from tracktray.api import AuthenticationFailed, TrackTrayError
from tracktray.desktop.backoff import Backoff
from tracktray.desktop.benchhooks import phase
from tracktray.desktop.failures import Notice, Phase, describe_failure
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
from tracktray.store.last_status import status_from_data, status_to_data

if TYPE_CHECKING:
    from tracktray.accounts.outbox import SendReport
    from tracktray.accounts.replay import Outcome as SentOutcome
    from tracktray.store.settings import AccountConfig

__all__ = ["Notice", "Phase", "Session", "default_open_backend"]

log = logging.getLogger(__name__)

#: journal writes have their own lane: a click is on disk even while the account's lane
#: waits on a slow server
JOURNAL_LANE = "journal"


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


#: hears how a recorded entry ended: (state, sentence)
Outcome = Callable[[str, str], None]
OpenBackend = Callable[["AccountConfig", "str | None", Path], Backend]
SecretLookup = Callable[[str], "str | None"]


def default_open_backend(account: AccountConfig, secret: str | None, data_dir: Path) -> Backend:
    # Imported here: the factory pulls in httpx and SQLAlchemy, which the widget needs
    # only once an account is opened (and which are slow to import).
    from tracktray.accounts.factory import open_backend

    backend: Backend = open_backend(account, secret, data_dir=data_dir)
    return backend


class Session(QObject):
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

    # -- opening and closing -------------------------------------------------------------

    def open(self, account: AccountConfig, secret: str | None = None) -> None:
        """Make ``account`` the active one; ``secret`` saves a keyring read after sign-in."""
        self.close()
        self._generation += 1
        generation = self._generation
        self.account = account
        self.phase = Phase.OPENING
        self.problem = ""
        self.changed.emit()

        def work() -> Backend:
            password = secret
            if password is None and kind_of(account).signs_in:
                password = self._secret_lookup(account.id)
                if password is None:
                    raise AuthenticationFailed(
                        _("No password is saved for {label}; sign in to use it.").format(
                            label=account.shown_label
                        )
                    )
            phase("backend-opening")
            backend = self._open_backend(account, password, self._data_dir)
            phase("backend-opened")
            self._loose.append(backend)
            return backend

        def opened(backend: Backend) -> None:
            phase("backend-delivered")
            self._forget_loose(backend)
            if generation != self._generation:
                self._close_later(account.id, backend)
                return
            self.backend = backend
            self.poll_now()

        def unsent_loaded(found: tuple[list[JournalEntry], Status | None]) -> None:
            entries, last_known = found
            known = {e.id for e in entries}
            # a click made since the read is kept (placeholder or already written)
            self.unsent = entries + [e for e in self.unsent if e.id == 0 or e.id not in known]
            if self.server_status is None and last_known is not None:
                # until the server answers, draw (and let clicks mean) what it last said
                self.server_status = last_known
                self._saved_key = _status_key(last_known)
                self._status_is_remembered = True
            self.changed.emit()

        # the clicks a killed widget or an offline CLI left behind show at once, on the
        # status the server last confirmed
        journal = self.journal

        def read_journal() -> tuple[list[JournalEntry], Status | None]:
            phase("journal-reading")
            found = (
                journal.unfinished(account.id),
                status_from_data(journal.last_status(account.id)),
            )
            phase("journal-read")
            return found

        # The backend opens once the journal is read: its imports (httpx and TLS, or the
        # local read path) would otherwise compete for the GIL with the read that shows
        # the remembered status, the first thing a start shows.
        def open_backend() -> None:
            self._bridge.run(account.id, work, opened, self._guard(generation, self._on_failure))

        def journal_read(found: tuple[list[JournalEntry], Status | None]) -> None:
            unsent_loaded(found)
            open_backend()

        def journal_failed(exc: Exception) -> None:
            self._on_journal_failure(exc)
            open_backend()

        self._bridge.run(
            JOURNAL_LANE,
            read_journal,
            self._guard(generation, journal_read),
            self._guard(generation, journal_failed),
        )

    def close(self) -> None:
        """Forget the active account; its backend is closed on its own lane."""
        self._generation += 1
        self._unschedule()
        backend, self.backend = self.backend, None
        if backend is not None and self.account is not None:
            self._close_later(self.account.id, backend)
        self.server_status = None
        self._status_is_remembered = False
        self._saved_key = None
        self.unsent = []
        self.tree = TrackerTree()
        self._tree_fetched_at = None
        self._pending_actions = 0
        self._poll_in_flight = False
        self._sending = 0

    def detach_backend(self) -> Backend | None:
        """Forget the account and hand its backend to the caller to close (at quit)."""
        backend, self.backend = self.backend, None
        self.close()
        return backend

    def detach_loose_backends(self) -> list[Backend]:
        """At quit, once the bridge has stopped: the backends whose opening or closing
        work it dropped, for the caller to close."""
        loose, self._loose = self._loose, []
        return loose

    def _close_later(self, lane: str, backend: Backend) -> None:
        """Close ``backend`` on its lane, after the work already queued there."""
        self._loose.append(backend)

        def close() -> None:
            backend.close()
            self._forget_loose(backend)

        self._bridge.run(lane, close)

    def _forget_loose(self, backend: Backend) -> None:
        # list.remove is atomic under the GIL; the close runs on a worker thread
        with contextlib.suppress(ValueError):
            self._loose.remove(backend)

    def sign_out(self) -> None:
        """Close the account and show it signed out (the app forgets the password)."""
        account = self.account
        self.close()
        self.phase = Phase.SIGNED_OUT
        self.problem = (
            _("Signed out of {label}.").format(label=account.shown_label)
            if account is not None
            else _("Signed out.")
        )
        self.changed.emit()

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

    def record(
        self,
        kind: str,
        args: dict[str, Any],
        *,
        needs_tracking: bool = True,
        on_outcome: Outcome | None = None,
        on_result: Callable[[SentOutcome], None] | None = None,
    ) -> None:
        """A click: written to the journal with its time, then sent in click order.

        The icon waits at once; the menu shows the clicked state (marked "not yet sent")
        until the server confirms. ``needs_tracking`` is False for entries that do not
        need a known status (attendance edits). ``on_outcome(state, sentence)`` hears
        once how it ended: ``done``, ``refused``, or ``waiting`` (kept for later);
        ``on_result`` hears the same end when the server decided it, with what the call
        returned (the added block) or the refusal itself (an overlap names its block).
        """
        account = self.account
        if account is None or self.backend is None or (needs_tracking and not self.can_track):
            why = self.problem or _("The account is not open yet.")
            self.notice.emit(Notice(_("Not connected"), why))
            return
        clicked_at = self._clock()
        generation = self._generation
        self._pending_actions += 1
        placeholder = JournalEntry(0, account.id, kind, args, clicked_at, "widget")
        self.unsent.append(placeholder)
        self.changed.emit()  # the icon turns to "waiting" at once
        journal = self.journal

        def write() -> JournalEntry:
            return journal.append(account.id, kind, args, clicked_at=clicked_at, source="widget")

        def written(entry: JournalEntry) -> None:
            self.unsent = [entry if e is placeholder else e for e in self.unsent]
            if on_outcome is not None:
                self._outcomes[entry.id] = on_outcome
            if on_result is not None:
                self._results[entry.id] = on_result
            self._send(counted=True)

        def not_written(exc: Exception) -> None:
            if on_outcome is not None:
                on_outcome("refused", str(exc))
            self._pending_actions -= 1
            self.unsent = [e for e in self.unsent if e is not placeholder]
            self._on_journal_failure(exc)
            self.changed.emit()

        self._bridge.run(
            JOURNAL_LANE,
            write,
            self._guard(generation, written),
            self._guard(generation, not_written),
        )

    def _send(self, *, counted: bool = False) -> None:
        """Send every waiting entry of the account (on its lane), then fetch the status."""
        # Sending (the replay rules of both server families) is imported with the first
        # click, not at start-up: a start shows the remembered status without it.
        from tracktray.accounts.outbox import SendReport, send_waiting
        from tracktray.desktop.sent import tell, tracker_used

        backend, account = self.backend, self.account
        if backend is None or account is None:
            return
        generation = self._generation
        self._sending += 1
        journal, clock = self.journal, self._clock

        def work() -> tuple[SendReport, Status | None]:
            report = send_waiting(journal, account.id, backend, clock=clock)
            if report.stopped_by is not None:
                return report, None
            return report, backend.status()  # the poll right after every action

        def done(result: tuple[SendReport, Status | None]) -> None:
            report, status = result
            if counted:
                self._pending_actions -= 1
            self._sending -= 1
            self.unsent = report.waiting + [e for e in self.unsent if e.id == 0]
            told = tell(account.shown_label, report, status, clicked=counted)
            for notice in told.notices:
                self.notice.emit(notice)
            for target in told.switch_to:
                self.switch(target)
            self._finished(report)
            if status is not None:
                self._accept(status, None, announce=False)
                used = tracker_used(report, status)
                if used is not None:
                    self.last_tracker_id = used
                    self.tracker_used.emit(account.id, used)
                self._schedule(self.poll_interval_s)
            elif report.stopped_by is not None:
                self._on_failure(report.stopped_by)

        def failed(exc: Exception) -> None:
            if counted:
                self._pending_actions -= 1
            self._sending -= 1
            self._finished(SendReport(stopped_by=TrackTrayError(str(exc))))
            self._on_failure(exc)

        self._bridge.run(
            account.id, work, self._guard(generation, done), self._guard(generation, failed)
        )

    def _finished(self, report: SendReport) -> None:
        """Tell the callers of :meth:`record` how their entries ended (once each)."""
        for entry, outcome in report.sent:
            callback = self._outcomes.pop(entry.id, None)
            if callback is not None:
                callback(outcome.state, outcome.sentence)
            result = self._results.pop(entry.id, None)
            if result is not None:
                result(outcome)
        if report.stopped_by is not None:
            kept = _("{error} It is kept and will be sent when the server is back.").format(
                error=report.stopped_by
            )
            for entry_id in list(self._outcomes):
                self._outcomes.pop(entry_id)("waiting", kept)

    def _remember(self, status: Status) -> None:
        """Keep the confirmed status on disk when what a click would mean has changed
        (not on every poll: the file is written only when a block starts, stops...)."""
        key = _status_key(status)
        if key == self._saved_key or self.account is None:
            return
        self._saved_key = key
        account_id, journal, data = self.account.id, self.journal, status_to_data(status)
        self._bridge.run(
            JOURNAL_LANE,
            lambda: journal.save_status(account_id, data),
            on_failure=self._on_journal_failure,
        )

    def _on_journal_failure(self, exc: Exception) -> None:
        self.notice.emit(Notice(_("The journal could not be written"), str(exc)))

    # -- outcomes ------------------------------------------------------------------------

    def _accept(self, status: Status, tree: TrackerTree | None, *, announce: bool) -> None:
        if announce and not self._status_is_remembered:
            sentence = change_notice(self.server_status, status)
            if sentence is not None:
                self.notice.emit(Notice(_("Changed elsewhere"), sentence))
        self._status_is_remembered = False
        self.server_status = status
        self._remember(status)
        if tree is not None:
            self.tree = tree
            self._tree_fetched_at = time.monotonic()
        self.phase = Phase.READY
        self.problem = ""
        self._backoff.succeeded()
        self.changed.emit()

    def _on_failure(self, exc: Exception) -> None:
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
                account = self.account
                QTimer.singleShot(round(delay * 1000), self, lambda: self._reopen(account))
        self.changed.emit()

    def _reopen(self, account: AccountConfig) -> None:
        if self.account is account and self.backend is None:
            self.open(account)

    def _guard(self, generation: int, callback: Callable[[Any], None]) -> Callable[[Any], None]:
        """Drop outcomes that belong to an account that is no longer active."""

        def guarded(value: Any) -> None:
            if generation == self._generation:
                callback(value)

        return guarded


def _status_key(status: Status) -> tuple[object, ...]:
    """What a click means in ``status``: the running block, its pause, the default."""
    running = status.running
    default = status.default_tracker.id if status.default_tracker is not None else None
    if running is None:
        return (None, default)
    return (running.tracker.id, running.started_at, running.paused, default)
