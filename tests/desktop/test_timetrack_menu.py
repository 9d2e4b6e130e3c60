"""Pause/Resume and the attendance clock in the menu, offered by capability only."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from tracktray.accounts import Capability
from tracktray.desktop.commands import Command, Kind
from tracktray.desktop.menu import MenuModel, build_menu, find_action
from tracktray.desktop.timetrack_menu import TimeTrackMenu, timetrack_menu
from tracktray.domain import RunningBlock, Status, TrackerRef
from tracktray.domain.model import AttendanceClock

NOW = dt.datetime(2026, 11, 23, 11, 0, tzinfo=dt.UTC)


@pytest.fixture
def menu(qtbot: QtBot) -> QMenu:
    m = QMenu()
    qtbot.addWidget(m)
    return m


def texts(menu: QMenu) -> list[str]:
    return [a.text() for a in menu.actions() if not a.isSeparator()]


def status(*, paused: bool = False, clocked_in: bool = True) -> Status:
    running = RunningBlock(TrackerRef(2, "Acme / Website"), NOW - dt.timedelta(hours=1),
                           paused=paused)  # fmt: skip
    clock = AttendanceClock(NOW - dt.timedelta(hours=2)) if clocked_in else None
    return Status(3600, running, None, NOW, attendance=clock, attendance_day_s=7200)


def test_no_entries_for_an_account_without_the_capabilities() -> None:
    assert timetrack_menu(Capability.TRACK | Capability.DESCRIBE, status(), NOW) is None


def test_running_timer_offers_pause_and_clock_out(menu: QMenu) -> None:
    caps = Capability.TRACK | Capability.PAUSE | Capability.ATTENDANCE
    model = MenuModel(
        header="h", today="Today: 1 h", running_id=2, running_name="Acme / Website",
        can_track=True, timetrack=timetrack_menu(caps, status(), NOW + dt.timedelta(minutes=30)),
    )  # fmt: skip
    seen: list[Command] = []
    build_menu(menu, model, seen.append)
    items = texts(menu)
    assert items[1:3] == ["Stop Acme / Website", "Pause"]
    assert "Clock out (at work 2 h 30 min)" in items
    assert items.index("Clock out (at work 2 h 30 min)") == items.index("Today: 1 h") + 1
    action = find_action(menu, Command(Kind.PAUSE))
    assert action is not None and action.isEnabled()
    action.trigger()
    assert seen == [Command(Kind.PAUSE)]


def test_paused_timer_offers_resume_and_clocked_out_offers_clock_in(menu: QMenu) -> None:
    caps = Capability.TRACK | Capability.PAUSE | Capability.ATTENDANCE
    current = status(paused=True, clocked_in=False)
    model = MenuModel(
        header="h", today="t", running_id=2, running_name="Acme / Website", can_track=True,
        timetrack=timetrack_menu(caps, current, NOW),
    )  # fmt: skip
    build_menu(menu, model, lambda c: None)
    items = texts(menu)
    assert "Resume" in items and "Pause" not in items
    assert "Clock in (at work today: 2 h)" in items
    assert "Attendances…" in items


def test_entries_are_disabled_while_tracking_is_not_possible(menu: QMenu) -> None:
    model = MenuModel(
        header="h", today="t", running_id=2, running_name="x", can_track=False,
        timetrack=TimeTrackMenu(can_pause=True, running=True, keeps_attendance=True),
    )  # fmt: skip
    build_menu(menu, model, lambda c: None)
    pause = find_action(menu, Command(Kind.PAUSE))
    clock_in = find_action(menu, Command(Kind.CLOCK_IN))
    window = find_action(menu, Command(Kind.ATTENDANCES))
    assert pause is not None and not pause.isEnabled()
    assert clock_in is not None and not clock_in.isEnabled()
    assert window is not None and window.isEnabled()
