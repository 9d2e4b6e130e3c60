"""The Attendances window against the real engine over HTTPS: a week, add, edit, delete."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QTableWidgetItem
from pytestqt.qtbot import QtBot

from tests.support import timetrack_fixtures
from tests.support.timetrack_fixtures import TimeTrackServer
from tracktray.api.timetrack import TimeTrackClient
from tracktray.desktop.attendance_editor import AttendanceEditor, EntryValues
from tracktray.desktop.attendances import AttendancesWindow
from tracktray.desktop.tasks import TaskBridge

# the plugin's fixture, until tests/conftest.py registers tests.support.timetrack_fixtures
timetrack_server = timetrack_fixtures.timetrack_server

MONDAY = dt.date(2026, 11, 23)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


@pytest.fixture
def client(
    timetrack_server: TimeTrackServer, trackmypeople_server: Any
) -> Iterator[TimeTrackClient]:
    user = trackmypeople_server.new_user(timezone="Europe/Brussels")
    backend = timetrack_server.client(user.username)
    backend.add_attendance(at(MONDAY, 8), at(MONDAY, 16, 30), break_minutes=30)
    tuesday = MONDAY + dt.timedelta(days=1)
    backend.add_attendance(at(tuesday, 9), at(tuesday, 17), notes="dentist at 12")
    backend.add_attendance(at(MONDAY - dt.timedelta(days=3), 9), at(MONDAY - dt.timedelta(3), 12))
    yield backend
    backend.close()


@pytest.fixture
def window(qtbot: QtBot, client: TimeTrackClient) -> Iterator[AttendancesWindow]:
    bridge = TaskBridge()
    with qtbot.waitSignal(bridge.pending_changed, check_params_cb=lambda n: n == 0):
        win = AttendancesWindow(
            lambda work, ok, failed: bridge.run("tt", lambda: work(client), ok, failed),
            today=MONDAY + dt.timedelta(days=2),
        )
    qtbot.addWidget(win)
    win.show()
    yield win
    bridge.shutdown()


def _text(item: QTableWidgetItem | None) -> str:
    assert item is not None
    return item.text()


def cells(window: AttendancesWindow) -> list[list[str]]:
    table = window.table
    return [
        [_text(table.item(r, c)) for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def answer(monkeypatch: pytest.MonkeyPatch, values: EntryValues | None) -> list[EntryValues]:
    shown: list[EntryValues] = []

    def ask(
        title: str,
        suggestion: EntryValues,
        parent: object,
        answer: Callable[[EntryValues | None], None],
    ) -> None:
        shown.append(suggestion)
        answer(values)

    monkeypatch.setattr(AttendanceEditor, "ask", staticmethod(ask))
    return shown


def test_the_week_with_its_total(window: AttendancesWindow) -> None:
    assert window.week == MONDAY
    assert cells(window) == [
        ["Mon 2026-11-23 08:00", "16:30", "0:30", "8:00", "", "manual"],
        ["Tue 2026-11-24 09:00", "17:00", "0:00", "8:00", "dentist at 12", "manual"],
    ]
    assert window.total.text() == "Worked this week: 16:00"


def test_previous_week(qtbot: QtBot, window: AttendancesWindow) -> None:
    with qtbot.waitSignal(window.loaded):
        window.previous.click()
    assert window.week == MONDAY - dt.timedelta(days=7)
    assert [row[0] for row in cells(window)] == ["Fri 2026-11-20 09:00"]
    assert window.total.text() == "Worked this week: 3:00"


def test_add_an_entry(
    qtbot: QtBot,
    window: AttendancesWindow,
    client: TimeTrackClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    wednesday = MONDAY + dt.timedelta(days=2)
    shown = answer(monkeypatch, EntryValues(at(wednesday, 7), at(wednesday, 15), 45, "early"))
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        window.add_button.click()
    assert shown[0].start == at(wednesday, 9)  # the form suggests today, 09:00–17:00
    assert cells(window)[-1] == ["Wed 2026-11-25 07:00", "15:00", "0:45", "7:15", "early", "manual"]
    assert window.total.text() == "Worked this week: 23:15"
    stored = client.attendances(at(wednesday, 0), at(wednesday, 23))
    assert [(e.start, e.break_minutes) for e in stored] == [(at(wednesday, 7), 45)]


def test_a_refused_edit_shows_the_servers_words_and_keeps_the_entry(
    qtbot: QtBot,
    window: AttendancesWindow,
    client: TimeTrackClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window.table.selectRow(0)
    answer(monkeypatch, EntryValues(at(MONDAY, 8), at(MONDAY, 16, 30), 600, ""))
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        window.edit_button.click()
    assert window.message.text() == (
        "The entry could not be changed: The break must be shorter than the attendance itself."
    )
    assert cells(window)[0][2:4] == ["0:30", "8:00"]
    [monday] = client.attendances(at(MONDAY, 0), at(MONDAY, 23))
    assert monday.break_minutes == 30


def test_edit_then_delete(
    qtbot: QtBot,
    window: AttendancesWindow,
    client: TimeTrackClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window.table.selectRow(0)
    answer(monkeypatch, EntryValues(at(MONDAY, 8), at(MONDAY, 17), 30, "fixed"))
    with qtbot.waitSignal(window.changed, timeout=10_000), qtbot.waitSignal(window.loaded):
        window.edit_button.click()
    assert cells(window)[0] == ["Mon 2026-11-23 08:00", "17:00", "0:30", "8:30", "fixed", "manual"]
    window.table.selectRow(1)
    monkeypatch.setattr(
        AttendancesWindow, "confirm_delete", classmethod(lambda cls, e, p, answer: answer(True))
    )
    with qtbot.waitSignal(window.loaded, timeout=10_000):
        window.delete_button.click()
    assert [row[0] for row in cells(window)] == ["Mon 2026-11-23 08:00"]
    assert window.total.text() == "Worked this week: 8:30"
    tuesday = MONDAY + dt.timedelta(days=1)
    assert client.attendances(at(tuesday, 0), at(tuesday, 23)) == []


def test_nothing_selected_means_no_edit_or_delete(window: AttendancesWindow) -> None:
    window.table.clearSelection()
    assert not window.edit_button.isEnabled()
    assert not window.delete_button.isEnabled()


def _open_week(qtbot: QtBot, client: TimeTrackClient) -> tuple[AttendancesWindow, TaskBridge]:
    bridge = TaskBridge()
    with qtbot.waitSignal(bridge.pending_changed, check_params_cb=lambda n: n == 0):
        win = AttendancesWindow(
            lambda work, ok, failed: bridge.run("tt", lambda: work(client), ok, failed),
            today=MONDAY + dt.timedelta(days=2),
        )
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.table.rowCount() == 2)
    return win, bridge


def test_the_week_in_german_and_under_the_pseudo_locale_fits(
    german: None, qtbot: QtBot, client: TimeTrackClient
) -> None:
    from tests.desktop.test_pseudo_locale import cut, untranslated
    from tests.support.pseudo_locale import PseudoTranslations
    from tracktray import i18n

    for language in ("de", "pseudo"):
        if language == "pseudo":
            i18n.install(PseudoTranslations(), "pseudo")
        win, bridge = _open_week(qtbot, client)
        problems = cut(win) + (untranslated(win) if language == "pseudo" else [])
        assert not problems, f"{language}: {problems}"
        if language == "de":
            headers = [win.table.horizontalHeaderItem(c) for c in range(3)]
            assert [h.text() if h else "" for h in headers] == ["Von", "Bis", "Pause"]
            first = win.table.item(0, 0)
            assert first is not None and first.text().startswith("Mo 23.11.2026")
        win.close()
        bridge.shutdown()
