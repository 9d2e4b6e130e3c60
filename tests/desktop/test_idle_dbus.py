"""The D-Bus idle backends and the session events, against services on a private bus.

Each service is exported with jeepney on a real ``dbus-daemon`` of the test's own, with
the names, paths, interfaces and signatures gnome-shell, KDE and logind use.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator

import pytest
from jeepney import Message
from pytestqt.qtbot import QtBot

from tests.desktop.dbus_services import DBusFailure, FakeService, emit, private_bus
from tests.support.desktop_env import wait_for
from tracktray.desktop.idle import IdleUnavailable
from tracktray.desktop.idle.choose import IdleChoice, choose_source
from tracktray.desktop.idle.dbus_sources import FreedesktopScreenSaverIdle, MutterIdle
from tracktray.desktop.idle.session_events import SessionEventListener
from tracktray.desktop.idle.watch import IdleWatch
from tracktray.desktop.tasks import TaskBridge

__all__ = ["private_bus"]

MUTTER = ("org.gnome.Mutter.IdleMonitor", "GetIdletime")
SCREENSAVER = ("org.freedesktop.ScreenSaver", "GetSessionIdleTime")
LOGIND = "org.freedesktop.login1.Manager"
SESSION_PATH = "/org/freedesktop/login1/session/_342"


@pytest.fixture
def services() -> Iterator[list[FakeService]]:
    started: list[FakeService] = []
    yield started
    for service in started:
        service.close()


def test_mutter_reports_milliseconds_as_seconds(
    private_bus: str, services: list[FakeService]
) -> None:
    idle_ms = [90_500]
    services.append(
        FakeService(
            private_bus, "org.gnome.Mutter.IdleMonitor", {MUTTER: lambda _m: ("t", (idle_ms[0],))}
        )
    )
    source = MutterIdle(private_bus)
    try:
        assert source.idle_seconds() == pytest.approx(90.5)
        idle_ms[0] = 1_200
        assert source.idle_seconds() == pytest.approx(1.2)
    finally:
        source.close()


def test_freedesktop_screensaver_reports_seconds(
    private_bus: str, services: list[FakeService]
) -> None:
    services.append(
        FakeService(
            private_bus, "org.freedesktop.ScreenSaver", {SCREENSAVER: lambda _m: ("u", (42,))}
        )
    )
    source = FreedesktopScreenSaverIdle(private_bus)
    try:
        assert source.idle_seconds() == 42.0
    finally:
        source.close()


def test_a_service_that_refuses_the_method_is_not_chosen_and_the_next_one_is(
    private_bus: str, services: list[FakeService]
) -> None:
    # GNOME Shell owns org.freedesktop.ScreenSaver but answers GetSessionIdleTime with an error
    def refuse(_m: Message) -> tuple[str, tuple[object, ...]]:
        raise DBusFailure("org.freedesktop.DBus.Error.NotSupported")

    services.append(FakeService(private_bus, "org.freedesktop.ScreenSaver", {SCREENSAVER: refuse}))
    services.append(
        FakeService(private_bus, "org.gnome.Mutter.IdleMonitor", {MUTTER: lambda _m: ("t", (5,))})
    )
    choice = choose_source(
        factories=[
            lambda: FreedesktopScreenSaverIdle(private_bus),
            lambda: MutterIdle(private_bus),
        ]
    )
    assert choice.source is not None
    try:
        assert choice.source.name.startswith("GNOME")
        assert choice.refusals == (
            "freedesktop screen saver (KDE and others) cannot tell the idle time: "
            "org.freedesktop.DBus.Error.NotSupported.",
        )
    finally:
        choice.source.close()


def test_no_service_at_all_says_so_plainly(private_bus: str) -> None:
    choice = choose_source(
        factories=[lambda: MutterIdle(private_bus), lambda: FreedesktopScreenSaverIdle(private_bus)]
    )
    assert choice.source is None
    assert choice.explanation.startswith(
        "TrackTray cannot tell when you are away on this computer."
    )
    assert "org.freedesktop.DBus.Error.ServiceUnknown" in choice.explanation


def test_no_bus_is_refused_with_a_sentence(tmp_path: object) -> None:
    with pytest.raises(IdleUnavailable, match="No session bus"):
        MutterIdle("unix:path=/nonexistent/tracktray-test-bus")


def test_the_wayland_session_asks_the_compositor_not_x11() -> None:
    from tracktray.desktop.idle.choose import candidates

    wayland = candidates("linux", {"XDG_SESSION_TYPE": "wayland", "DISPLAY": ":0"})
    x11 = candidates("linux", {"XDG_SESSION_TYPE": "x11", "DISPLAY": ":0"})
    assert [f.__name__ for f in wayland] == ["_mutter", "_screensaver"]
    assert [f.__name__ for f in x11] == ["_x11", "_mutter", "_screensaver"]
    assert [f.__name__ for f in candidates("win32", {})] == ["_windows"]
    assert [f.__name__ for f in candidates("darwin", {})] == ["_macos"]


# -- lock, sleep, shutdown ------------------------------------------------------------


def _logind(bus: str, pid_seen: list[int]) -> FakeService:
    def by_pid(message: Message) -> tuple[str, tuple[object, ...]]:
        pid_seen.append(message.body[0])
        return "o", (SESSION_PATH,)

    return FakeService(bus, "org.freedesktop.login1", {(LOGIND, "GetSessionByPID"): by_pid})


def test_logind_sleep_shutdown_and_our_sessions_lock_reach_the_callback(
    private_bus: str, services: list[FakeService]
) -> None:
    pids: list[int] = []
    services.append(_logind(private_bus, pids))
    events: queue.Queue[tuple[str, bool, str]] = queue.Queue()
    listener = SessionEventListener(
        lambda kind, starting: events.put((kind, starting, threading.current_thread().name)),
        system_bus=private_bus,
        session_bus="unix:path=/nonexistent/tracktray-no-session-bus",
        pid=4242,
    )
    try:
        sources = listener.start()
        assert sources == ["logind sleep", "logind shutdown", "logind lock"]
        assert pids == [4242]
        emit(private_bus, "/org/freedesktop/login1", LOGIND, "PrepareForSleep", "b", True)
        emit(private_bus, "/org/freedesktop/login1", LOGIND, "PrepareForSleep", "b", False)
        # another user's session locking is not ours
        emit(
            private_bus,
            "/org/freedesktop/login1/session/_99",
            "org.freedesktop.login1.Session",
            "Lock",
        )
        emit(private_bus, SESSION_PATH, "org.freedesktop.login1.Session", "Lock")
        emit(private_bus, SESSION_PATH, "org.freedesktop.login1.Session", "Unlock")
        emit(private_bus, "/org/freedesktop/login1", LOGIND, "PrepareForShutdown", "b", True)
        got = [events.get(timeout=5) for _ in range(5)]
        assert [(k, s) for k, s, _ in got] == [
            ("sleep", True),
            ("sleep", False),
            ("lock", True),
            ("lock", False),
            ("shutdown", True),
        ]
        assert all(thread.startswith("tracktray-session-events") for *_, thread in got)
        assert events.empty()
    finally:
        listener.close()


def test_screensaver_active_changed_on_the_session_bus_is_a_lock(
    private_bus: str, services: list[FakeService]
) -> None:
    services.append(FakeService(private_bus, "org.freedesktop.ScreenSaver", {}))
    seen: list[tuple[str, bool]] = []
    listener = SessionEventListener(
        lambda kind, starting: seen.append((kind, starting)),
        system_bus="unix:path=/nonexistent/tracktray-no-system-bus",
        session_bus=private_bus,
    )
    try:
        assert listener.start() == ["org.freedesktop.ScreenSaver lock"]
        emit(
            private_bus,
            "/org/freedesktop/ScreenSaver",
            "org.freedesktop.ScreenSaver",
            "ActiveChanged",
            "b",
            True,
        )
        emit(
            private_bus,
            "/org/freedesktop/ScreenSaver",
            "org.freedesktop.ScreenSaver",
            "ActiveChanged",
            "b",
            False,
        )
        wait_for(lambda: len(seen) == 2, "two ActiveChanged signals")
        assert seen == [("lock", True), ("lock", False)]
    finally:
        listener.close()


def test_without_any_bus_the_listener_hears_nothing_and_says_so() -> None:
    listener = SessionEventListener(
        lambda kind, starting: None,
        system_bus="unix:path=/nonexistent/a",
        session_bus="unix:path=/nonexistent/b",
    )
    assert listener.start() == []
    listener.close()


def test_the_watch_hands_logind_events_to_the_qt_thread_and_settings_can_say_what_it_hears(
    private_bus: str, services: list[FakeService], qtbot: QtBot
) -> None:
    services.append(_logind(private_bus, []))
    bridge = TaskBridge()
    refused = IdleChoice(None, ("No X display can be opened (not an X11 session).",))
    watch = IdleWatch(
        bridge,
        choose=lambda: refused,
        listener=lambda on_event: SessionEventListener(
            on_event, system_bus=private_bus, session_bus="unix:path=/nonexistent/b", pid=1
        ),
    )
    try:
        with qtbot.waitSignal(watch.probed):
            watch.start()
        assert not watch.available
        assert watch.describe() == (
            "TrackTray cannot tell when you are away on this computer. No X display can be "
            "opened (not an X11 session). Lock and sleep are heard from: logind sleep, "
            "logind shutdown, logind lock."
        )
        with qtbot.waitSignal(watch.session_event) as seen:
            emit(private_bus, SESSION_PATH, "org.freedesktop.login1.Session", "Lock")
        assert seen.args == ["lock", True]
        watch.read_now()  # no backend: nothing to read, nothing queued
        assert bridge.pending == 0
    finally:
        watch.close()
        bridge.shutdown()
