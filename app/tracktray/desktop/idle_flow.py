"""Away, forgotten, not tracking: what idle readings and lock / sleep events lead to.

:class:`IdleFlow` sits between the :class:`~tracktray.desktop.idle.watch.IdleWatch`
(readings on a worker), the :class:`~tracktray.desktop.session.Session` (what runs) and
the person (prompts and one quiet notification). It decides when the next reading is
due: while a block runs, when the idle time could first reach the threshold (at least a
minute later); while nothing runs, only if the not-tracking reminder is on and it is
working time; otherwise never — a stopped widget wakes no more than before.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from tracktray.accounts import Capability
from tracktray.desktop import benchhooks
from tracktray.desktop.away_actions import discard_idle, ignored_at, move_idle, stop_at
from tracktray.desktop.away_text import reminder_text
from tracktray.desktop.failures import Notice
from tracktray.desktop.idle.away import MIN_CHECK_S, Away, AwayTracker, next_check_in
from tracktray.desktop.idle.reminder_rules import ReminderRules
from tracktray.desktop.idle.watch import IdleWatch
from tracktray.desktop.idle_prefs import reminder_rules_from
from tracktray.desktop.session import Session
from tracktray.domain import RunningBlock
from tracktray.i18n import _
from tracktray.store.settings import Preferences

__all__ = ["IdleFlow"]

log = logging.getLogger(__name__)

#: the reminder is offered once, after this many days of use
OFFER_AFTER_DAYS = 3
#: a reading this soon after a lock / sleep event tells when the person left
_EVENT_READING_S = 5.0


@dataclass(frozen=True)
class _Block:
    tracker_id: int
    tracker_name: str
    started_at: dt.datetime


class IdleFlow(QObject):
    #: a prompt was shown: "away" or "forgotten" (tests and the e2e test wait on it)
    prompted = Signal(str)
    #: the not-tracking reminder was sent
    reminded = Signal()

    def __init__(
        self,
        session: Session,
        watch: IdleWatch,
        *,
        clock: Callable[[], dt.datetime],
        notify: Callable[..., None],
        show_dialog: Callable[[str, QWidget, str], None],
        floor_s: float = MIN_CHECK_S,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._watch = watch
        self._clock = clock
        self._notify = notify
        self._show_dialog = show_dialog
        self._floor_s = floor_s
        self.preferences = Preferences()
        self.tracker = AwayTracker(self.preferences.idle_after_s)
        self.reminders: ReminderRules = reminder_rules_from(self.preferences)
        self._block: _Block | None = None
        self._forgotten_asked: set[_Block] = set()
        self._stopped_for_event: set[_Block] = set()
        self._prompt_open: str | None = None
        #: a lock / sleep / shutdown that began: (kind, monotonic time, stop the block)
        self._event: tuple[str, float, bool] | None = None
        self._offer: tuple[Callable[..., None], Callable[[], None]] | None = None
        self._offered = False
        #: accounts whose server ignored ``at`` once (the prompt says so next time)
        self.ignores_at: set[str] = set()
        session.changed.connect(self._on_session_changed)
        watch.reading.connect(self._on_reading)
        watch.session_event.connect(self._on_session_event)
        # the backend was chosen, or a reading failed: the schedule goes on from here
        watch.probed.connect(lambda _text: self._reschedule(idle_s=0.0))
        watch.failed.connect(lambda _text: self._reschedule(idle_s=0.0))
        watch.no_reading.connect(self._on_no_reading)
        session.notice.connect(self._on_notice)

    # -- configuration ---------------------------------------------------------------

    def apply(self, preferences: Preferences) -> None:
        self.preferences = preferences
        self.tracker.threshold_s = float(preferences.idle_after_s)
        self.reminders = reminder_rules_from(preferences)
        self._reschedule(idle_s=0.0)

    @property
    def _wanted(self) -> bool:
        prefs = self.preferences
        return prefs.idle_detection or prefs.forgotten_prompt

    # -- what runs -------------------------------------------------------------------

    def _on_session_changed(self) -> None:
        block = _running_block(self._session)
        if block == self._block:
            if block is None and self._watch.next_reading_in_ms is None:
                self._reschedule(idle_s=0.0)  # the account just opened: the reminder may start
            return
        self._block = block
        if block is not None and self._offer is not None:
            self.offer_reminder_once(*self._offer)  # a widget may run for days
        self.tracker.reset()
        self.reminders.reset()
        self._reschedule(idle_s=0.0)

    def person_is_here(self) -> None:
        """The person touched the widget: if they were away, find out now."""
        if self.tracker.away:
            self._watch.read_now()

    # -- readings --------------------------------------------------------------------

    def _on_reading(self, idle_s: float) -> None:
        now = self._clock()
        event, self._event = self._event, None
        if event is not None and time.monotonic() - event[1] < _EVENT_READING_S:
            since = self.tracker.went(now, idle_s, event[0])  # back to the last input
            if event[2] and self._block is not None:
                self._stop_for_event(self._block, since)
                return
        if self._block is not None:
            self._on_reading_while_running(now, idle_s, self._block)
        elif (
            self.preferences.reminder_enabled
            and self._can_remind()
            and self.reminders.observe(now.astimezone(), idle_s, gone=self.tracker.gone)
        ):
            self._remind()
        self._reschedule(idle_s)

    def _on_reading_while_running(self, now: dt.datetime, idle_s: float, block: _Block) -> None:
        was_away = self.tracker.away
        away = self.tracker.observe(now, idle_s)
        if self.tracker.away and not was_away:
            benchhooks.emit("idle-away")
        if self._forgotten_due(now, block):
            self._ask_forgotten(block, self.tracker.away_since or self.tracker.last_input, now)
            return
        if away is not None and self.preferences.idle_detection and self._prompt_open is None:
            self._ask_away(block, away)

    def _on_no_reading(self) -> None:
        """No idle backend here: the forgotten timer still goes by the clock alone."""
        now, block = self._clock(), self._block
        if block is not None and self._forgotten_due(now, block):
            self._ask_forgotten(block, None, now)
        self._reschedule(idle_s=0.0)

    def _forgotten_due(self, now: dt.datetime, block: _Block) -> bool:
        prefs = self.preferences
        if not prefs.forgotten_prompt or block in self._forgotten_asked:
            return False
        if (now - block.started_at).total_seconds() < prefs.forgotten_after_s:
            return False
        self._forgotten_asked.add(block)
        return True

    def _reschedule(self, idle_s: float) -> None:
        now = self._clock()
        block = self._block
        if block is not None and self._wanted and not _paused(self._session):
            forgotten = self.preferences.forgotten_prompt and block not in self._forgotten_asked
            until_limit = self.preferences.forgotten_after_s - (
                (now - block.started_at).total_seconds()
            )
            no_idle = self._watch.choice is not None and not self._watch.available
            if no_idle or not self.preferences.idle_detection:
                # only the forgotten timer, when it is due (its reading, if any, tells
                # the last activity)
                self._watch.schedule(max(self._floor_s, until_limit) if forgotten else None)
                return
            delay = next_check_in(self.tracker, idle_s, self._floor_s)
            if forgotten:
                delay = min(delay, max(min(self._floor_s, delay), until_limit))
            self._watch.schedule(delay)
        elif block is None and self.preferences.reminder_enabled and self._can_remind():
            self._watch.schedule(self.reminders.next_check_in(now.astimezone(), self._floor_s))
        else:
            self._watch.schedule(None)

    def _can_remind(self) -> bool:
        return Capability.TRACK in self._session.capabilities

    # -- lock, sleep, shutdown -------------------------------------------------------

    def _on_session_event(self, kind: str, starting: bool) -> None:
        now = self._clock()
        if not starting:
            self.tracker.came_back()
            self._watch.read_now()
            return
        since = self.tracker.went(now, 0.0, kind)
        prefs = self.preferences
        stop = {"lock": prefs.stop_on_lock, "sleep": prefs.stop_on_sleep}.get(
            kind, prefs.stop_on_shutdown
        )
        if self._watch.available:
            # the reading right after the event says when the person left; stop there
            self._event = (kind, time.monotonic(), stop)
            self._watch.read_now()
        elif stop and self._block is not None:
            self._stop_for_event(self._block, since)

    def _stop_for_event(self, block: _Block, since: dt.datetime) -> None:
        # logind and the screen saver may both report one lock: stop the block once
        if block not in self._stopped_for_event:
            self._stopped_for_event.add(block)
            stop_at(self._session, max(since, block.started_at))

    # -- prompts ---------------------------------------------------------------------

    def _ask_away(self, block: _Block, away: Away) -> None:
        since = max(away.since, block.started_at)
        account = self._session.account
        note = ""
        if account is not None and account.id in self.ignores_at:
            note = _(
                "This server ignored the end time TrackTray asked for last time: it will "
                "end the block when it gets the request, and TrackTray will show you "
                "where to correct it."
            )
        from tracktray.desktop.away_prompt import AwayChoice, AwayPrompt  # on first use

        prompt = AwayPrompt(
            Away(since, away.until, away.reason),
            tracker_name=block.tracker_name,
            tree=self._session.tree,
            current_id=block.tracker_id,
            cut_note=note,
        )

        def chosen(choice: AwayChoice, other_id: int | None) -> None:
            self._prompt_open = None
            if _running_block(self._session) != block:
                return  # stopped or switched meanwhile (tray click, another device)
            if choice is AwayChoice.STOP:
                stop_at(self._session, since)
            elif choice is AwayChoice.DISCARD:
                discard_idle(self._session, since, block.tracker_id)
            elif choice is AwayChoice.MOVE and other_id is not None:
                move_idle(self._session, since, other_id, block.tracker_id)

        prompt.chosen.connect(chosen)
        self._prompt_open = "away"
        self._show_dialog("away", prompt, self._account_id())
        benchhooks.emit("prompt-away")
        self.prompted.emit("away")

    def _account_id(self) -> str:
        """The account a prompt acts on: it closes (as Keep) when another becomes active."""
        account = self._session.account
        return account.id if account is not None else ""

    def _ask_forgotten(self, block: _Block, last: dt.datetime | None, now: dt.datetime) -> None:
        last = max(last, block.started_at) if last is not None else None
        from tracktray.desktop.forgotten_prompt import ForgottenPrompt  # on first use

        prompt = ForgottenPrompt(
            tracker_name=block.tracker_name,
            started_at=block.started_at,
            last_activity=last,
            now=now,
        )

        def chosen(stop: bool, at: dt.datetime | None) -> None:
            self._prompt_open = None
            if stop and _running_block(self._session) == block:
                stop_at(self._session, at or self._clock())

        prompt.chosen.connect(chosen)
        self._prompt_open = "forgotten"
        self._show_dialog("forgotten", prompt, self._account_id())
        benchhooks.emit("prompt-forgotten")
        self.prompted.emit("forgotten")

    def _on_notice(self, notice: Notice) -> None:
        """A cut was sent and the server ignored its time: the next prompt says so."""
        account = self._session.account
        if account is not None and ignored_at().search(notice.body):
            self.ignores_at.add(account.id)

    # -- the not-tracking reminder ---------------------------------------------------

    def offer_reminder_once(
        self, update: Callable[..., None], open_settings: Callable[[], None]
    ) -> None:
        """After a few days of use, offer the reminder once (it is off by default)."""
        self._offer = (update, open_settings)
        prefs = self.preferences
        if self._offered or prefs.reminder_offered or prefs.reminder_enabled:
            return
        today = self._clock().astimezone().date()
        if prefs.first_used_on is None:
            self.preferences = dataclasses.replace(prefs, first_used_on=today.isoformat())
            update(first_used_on=today.isoformat())
            return
        try:
            first = dt.date.fromisoformat(prefs.first_used_on)
        except ValueError:
            first = today
        if (today - first).days < OFFER_AFTER_DAYS:
            return
        self._offered = True
        update(reminder_offered=True)
        self._notify(
            _("Remind you when nothing is tracked?"),
            _(
                "TrackTray can remind you, during the working hours you set, when you have been "
                "working for a while and no timer runs. It is off until you turn it on."
            ),
            actions=[("reminder-setup", _("Set up reminders…"))],
            on_action=lambda key: open_settings() if key == "reminder-setup" else None,
        )

    def _remind(self) -> None:
        target = self._session.start_target()
        minutes = int(self.reminders.after_s // 60)
        title, body = reminder_text(target[1] if target else None, minutes)
        actions = [("start-last", f"Start {target[1]}")] if target else []
        tracker_id = target[0] if target else None

        def on_action(key: str) -> None:
            status = self._session.status
            if key == "start-last" and status is not None and status.running is None:
                self._session.start(tracker_id)

        self._notify(title, body, actions=actions, on_action=on_action)
        self.reminded.emit()


def _running_block(session: Session) -> _Block | None:
    running: RunningBlock | None = session.status.running if session.status else None
    if running is None:
        return None
    return _Block(running.tracker.id, running.tracker.name, running.started_at)


def _paused(session: Session) -> bool:
    status = session.status
    return bool(status and status.running and status.running.paused)
