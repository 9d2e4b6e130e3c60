"""Reads the idle time on a worker when asked to, and passes lock / sleep events on.

:class:`IdleWatch` owns no rule: its owner (:mod:`tracktray.desktop.idle_flow`) says when
the next reading is due (:meth:`IdleWatch.schedule`, one single-shot timer, nothing
scheduled while no block runs) and decides what a reading means. The backend is chosen
once at start, on the ``idle`` lane of the task bridge, where every reading runs too:
a D-Bus round trip or an X request never blocks the Qt thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, QTimer, Signal

from tracktray.desktop.idle._source import IdleUnavailable
from tracktray.desktop.idle.choose import IdleChoice, choose_source
from tracktray.desktop.tasks import TaskBridge
from tracktray.i18n import _

if TYPE_CHECKING:
    from tracktray.desktop.idle.session_events import EventCallback

__all__ = ["IDLE_LANE", "IdleWatch"]

log = logging.getLogger(__name__)

IDLE_LANE = "idle"


class Listener(Protocol):
    def start(self) -> list[str]: ...

    def close(self) -> None: ...


ListenerFactory = Callable[["EventCallback"], Listener]


def session_listener(on_event: EventCallback) -> Listener:
    """The lock / sleep listener on the session and system buses (D-Bus loads here, on
    the idle lane, rather than with the widget's first status)."""
    from tracktray.desktop.idle.session_events import SessionEventListener

    return SessionEventListener(on_event)


class IdleWatch(QObject):
    #: backend chosen (or none works): the explanation for Settings
    probed = Signal(str)
    #: one idle reading, in seconds since the last input (on the Qt thread)
    reading = Signal(float)
    #: a lock / sleep / shutdown event: (kind, starting)
    session_event = Signal(str, bool)
    #: the backend stopped answering (one sentence)
    failed = Signal(str)
    #: a reading was due but no backend works here (the clock-only rules still apply)
    no_reading = Signal()

    _from_listener = Signal(str, bool)

    def __init__(
        self,
        bridge: TaskBridge,
        *,
        choose: Callable[[], IdleChoice] = choose_source,
        listener: ListenerFactory | None = session_listener,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._choose = choose
        self._make_listener = listener
        self._listener: Listener | None = None
        self.choice: IdleChoice | None = None
        #: what lock / sleep events are heard from, e.g. ["logind sleep", "logind lock"]
        self.event_sources: list[str] = []
        self._in_flight = False
        self._closed = False
        #: a reading was asked for before the backend was chosen: take it once it is
        self._read_when_probed = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.read_now)
        # The listener emits on its own thread: an automatic connection queues that to
        # this object's thread (it compares the emitting thread with the receiver's). No
        # explicit ``Qt.ConnectionType``: the first use of PySide6's ``Qt`` namespace
        # builds all its enums (~20 ms, ~1.3 MiB kept for the whole run).
        self._from_listener.connect(self.session_event)

    @property
    def available(self) -> bool:
        return self.choice is not None and self.choice.source is not None

    @property
    def explanation(self) -> str:
        if self.choice is None:
            return _("Checking how this computer reports idle time…")
        return self.choice.explanation

    def describe(self) -> str:
        """What Settings says about idle detection here, in plain words."""
        text = self.explanation
        if self.choice is None:
            return text
        if self.event_sources:
            heard = ", ".join(self.event_sources)
            return _("{text} Lock and sleep are heard from: {heard}.").format(
                text=text, heard=heard
            )
        return _("{text} This computer reports no lock or sleep events to TrackTray.").format(
            text=text
        )

    @property
    def next_reading_in_ms(self) -> int | None:
        return self._timer.remainingTime() if self._timer.isActive() else None

    def start(self) -> None:
        """Choose the backend and subscribe to session events, on the idle lane."""

        def probe() -> tuple[IdleChoice, Listener | None, list[str]]:
            choice = self._choose()
            listener = None
            sources: list[str] = []
            if self._make_listener is not None:
                listener = self._make_listener(self._from_listener.emit)
                sources = listener.start()
            return choice, listener, sources

        def probed(result: tuple[IdleChoice, Listener | None, list[str]]) -> None:
            self.choice, self._listener, self.event_sources = result
            self.probed.emit(self.explanation)
            if self._read_when_probed:
                self._read_when_probed = False
                self.read_now()

        self._bridge.run(IDLE_LANE, probe, probed)

    def schedule(self, delay_s: float | None) -> None:
        """The next reading in ``delay_s`` seconds; None: no reading until asked again."""
        if delay_s is None or self._closed:
            self._timer.stop()
        else:
            self._timer.start(max(1, round(delay_s * 1000)))

    def read_now(self) -> None:
        """Read the idle time now (unless a reading is on its way or nothing works)."""
        choice = self.choice
        if choice is None:
            # the probe runs once the first status is drawn; the reading follows it
            self._read_when_probed = not self._closed
            return
        if self._in_flight or self._closed:
            return
        source = choice.source
        if source is None:
            self.no_reading.emit()
            return
        self._in_flight = True

        def done(idle_s: float) -> None:
            self._in_flight = False
            self.reading.emit(idle_s)

        def failed(exc: Exception) -> None:
            self._in_flight = False
            log.info("idle reading failed: %s", exc)
            self.failed.emit(str(exc) if isinstance(exc, IdleUnavailable) else repr(exc))

        self._bridge.run(IDLE_LANE, source.idle_seconds, done, failed)

    def close(self) -> None:
        """At quit: no more readings. The listener threads stop now (shutting a socket
        down and joining takes microseconds); the backend is closed on its own lane,
        where a reading may still be running."""
        self._closed = True
        self._timer.stop()
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()
        choice = self.choice
        if choice is not None and choice.source is not None:
            self._bridge.run(IDLE_LANE, choice.source.close)
