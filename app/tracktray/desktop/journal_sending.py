"""Clicks through the journal: written with their time, then sent in click order.

This is the part of :class:`~tracktray.desktop.session.Session` that talks to the
journal (``store/journal.py``) and the outbox (``accounts/outbox.py``); it lives apart
so the session itself keeps to the account's state and its polling. Each click is
written on the ``journal`` lane, so it is on disk even while the account's lane waits on
a slow server; then the account's lane sends every waiting entry in click order and asks
for the status right after. Until the server confirms, the session's
:attr:`~tracktray.desktop.session.Session.unsent` says what is still waiting. The last
confirmed status is written to the journal too (when what a click would mean changed),
so the next start draws it at once.

:class:`JournalSending` is a mixin: it holds no state of its own and works on the
session's attributes, declared below for the type checker only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tracktray.api import TrackTrayError
from tracktray.desktop.failures import Notice, Phase
from tracktray.domain import Status, TrackerTree
from tracktray.i18n import _
from tracktray.store.journal import Journal, JournalEntry
from tracktray.store.last_status import status_to_data

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from tracktray.accounts import Backend
    from tracktray.accounts.outbox import SendReport
    from tracktray.accounts.replay import Outcome as SentOutcome
    from tracktray.desktop.tasks import TaskBridge
    from tracktray.store.settings import AccountConfig

__all__ = ["JOURNAL_LANE", "JournalSending", "Outcome", "status_key"]

#: journal writes have their own lane: a click is on disk even while the account's lane
#: waits on a slow server
JOURNAL_LANE = "journal"

#: hears how a recorded entry ended: (state, sentence)
Outcome = Callable[[str, str], None]


class JournalSending:
    """Recording clicks and sending the journal, for :class:`Session`."""

    if TYPE_CHECKING:  # the session's own, declared for the type checker
        changed: SignalInstance
        notice: SignalInstance
        tracker_used: SignalInstance
        journal: Journal
        account: AccountConfig | None
        backend: Backend | None
        unsent: list[JournalEntry]
        last_tracker_id: int | None
        problem: str
        phase: Phase
        poll_interval_s: float
        _bridge: TaskBridge
        _clock: Callable[[], dt.datetime]
        _generation: int
        _pending_actions: int
        _sending: int
        #: clicks recorded while the account opened, resolved by the first send after
        _deferred_clicks: int
        _outcomes: dict[int, Outcome]
        _results: dict[int, Callable[[SentOutcome], None]]
        _saved_key: tuple[object, ...] | None

        @property
        def can_track(self) -> bool: ...

        @property
        def status(self) -> Status | None: ...

        def switch(self, tracker_id: int | None = None, description: str = "") -> None: ...

        def _accept(self, status: Status, tree: TrackerTree | None, *, announce: bool) -> None: ...

        def _on_failure(self, exc: Exception) -> None: ...

        def _schedule(self, delay_s: float) -> None: ...

        def _guard(
            self, generation: int, callback: Callable[[Any], None]
        ) -> Callable[[Any], None]: ...

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
        # While the account opens (the first answer not in yet, a click made on the status
        # remembered from the last run), the click is kept in the journal like an offline
        # one and sent once the account is open (:meth:`_send` counts it as deferred).
        opening = self.phase is Phase.OPENING and (not needs_tracking or self.status is not None)
        usable = self.backend is not None and (not needs_tracking or self.can_track)
        if account is None or not (usable or opening):
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
            if self.phase is Phase.OPENING:
                # the account is still opening: these clicks wait, drawn as waiting, for it
                self._deferred_clicks += int(counted)
            elif counted:  # it failed to open meanwhile: kept, sent when it opens
                self._pending_actions -= 1
                self.changed.emit()
            return
        # this send resolves the clicks recorded while the account opened, too
        clicks, self._deferred_clicks = int(counted) + self._deferred_clicks, 0
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
            self._pending_actions -= clicks
            self._sending -= 1
            self.unsent = report.waiting + [e for e in self.unsent if e.id == 0]
            told = tell(account.shown_label, report, status, clicked=clicks > 0)
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
            self._pending_actions -= clicks
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
        key = status_key(status)
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


def status_key(status: Status) -> tuple[object, ...]:
    """What a click means in ``status``: the running block, its pause, the default."""
    running = status.running
    default = status.default_tracker.id if status.default_tracker is not None else None
    if running is None:
        return (None, default)
    return (running.tracker.id, running.started_at, running.paused, default)
