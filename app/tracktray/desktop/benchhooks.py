"""Bench-only instrumentation points; they cost one ``if`` unless a benchmark asks.

``bench/run.py`` needs to know *when* the tray app reaches moments a user notices, and
to drive it without a screen. Set by the bench only:

- ``TRACKTRAY_BENCH_EVENTS=<file>``: :func:`emit` appends ``<monotonic-ns> <event>``
  lines (``time.monotonic_ns()`` is system-wide on Linux, so the bench compares them
  with its own clock). Events the app emits:

  ``icon-shown``      the tray icon was shown (right after ``QSystemTrayIcon.show()``)
  ``status-drawn``    a status from the account is on the icon/menu (first one = ready;
                      on an everyday start it is the last confirmed status, remembered)
  ``status-answered`` the account's own first answer (a poll) is drawn
  ``click``           the user activated the tray icon (or the bench's ``click``)
  ``icon-waiting``    the icon switched to its "request in flight" look after a click
  ``icon-confirmed``  the server's answer to that click is drawn
  ``menu-shown``      the tray menu was built and is about to show
  ``pong <n>``        answer to the bench's ``ping <n>``, on the Qt thread
  ``idle-away``       idle time reached the away threshold while a block runs
  ``prompt-away``     the coming-back prompt is shown (``prompt-forgotten``: the other)

- ``TRACKTRAY_BENCH_PHASES=1`` (with the events file): also ``phase <name>`` lines for
  the moments of a start (interpreter up, Qt imported, QApplication, language, single
  instance, tray built, event loop, settings loaded, journal read, backend opened, poll
  sent/answered/delivered): ``bench/trace_startup.py`` prints them.

- ``TRACKTRAY_BENCH_COMMANDS=<fifo>``: the bench writes one command a line;
  ``tracktray.desktop.benchprobe`` reads them in the Qt event loop: ``click`` (same path
  as a tray click), ``ping <n>``.

Plain Python, no Qt: the writer must not pull anything into start-up.
"""

from __future__ import annotations

import os
import time

EVENTS_ENV = "TRACKTRAY_BENCH_EVENTS"
COMMANDS_ENV = "TRACKTRAY_BENCH_COMMANDS"
PHASES_ENV = "TRACKTRAY_BENCH_PHASES"

_events_path = os.environ.get(EVENTS_ENV) or None
_phases = _events_path is not None and bool(os.environ.get(PHASES_ENV))
_events_fd: int | None = None


def emit(event: str) -> None:
    """Record that ``event`` happened now; does nothing unless the bench asked."""
    if _events_path is None:
        return
    global _events_fd
    if _events_fd is None:
        _events_fd = os.open(_events_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    # one O_APPEND write per line: lines from several threads never interleave
    os.write(_events_fd, f"{time.monotonic_ns()} {event}\n".encode())


_emitted_once: set[str] = set()


def emit_once(event: str) -> None:
    """:func:`emit`, the first time in this process only: the first stage shows the icon
    and the first status (``first_stage.py``), the app taking it over does not again."""
    if _events_path is not None and event not in _emitted_once:
        _emitted_once.add(event)
        emit(event)


_answer_drawn = False


def answer_drawn() -> None:
    """The account answered a poll and the answer is drawn: ``status-answered``, once.

    Apart from ``status-drawn`` because an everyday start first draws the status it
    remembered from the last run, before a server has said anything."""
    global _answer_drawn
    if _events_path is not None and not _answer_drawn:
        _answer_drawn = True
        emit("status-answered")


class DrawnEvents:
    """Turns what the tray draws into the bench's ``status-drawn``, ``icon-waiting`` and
    ``icon-confirmed`` events, keeping the little state that takes (the first status,
    an action in flight) here rather than in the view."""

    def __init__(self) -> None:
        self._action_drawn = False

    def drawn(self, *, changed: bool, action_waiting: bool, has_status: bool) -> None:
        """The tray drew its state; ``changed``: the icon's look changed with it."""
        if _events_path is None:
            return
        # ``action_waiting``: the icon shows its waiting look for a click. Usually the
        # click changed the look; while the account still opens it already had it.
        if action_waiting and not self._action_drawn:
            self._action_drawn = True
            emit("icon-waiting")
        elif changed and not action_waiting and self._action_drawn:
            self._action_drawn = False
            emit("icon-confirmed")
        if has_status:
            emit_once("status-drawn")


def commands_path() -> str | None:
    """The FIFO the bench writes commands to, or None when no bench is driving us."""
    return os.environ.get(COMMANDS_ENV) or None


def phase(name: str) -> None:
    """A start-up phase was reached: ``phase <name>``, written only when
    ``TRACKTRAY_BENCH_PHASES`` is set too (``bench/trace_startup.py``)."""
    if _phases:
        emit(f"phase {name}")
