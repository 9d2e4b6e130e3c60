"""The "Away and reminders" section of Settings: what it shows, what it saves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from pytestqt.qtbot import QtBot

from tests.desktop.harness import Harness
from tests.desktop.idle_harness import StandInIdle, idle_source
from tracktray.desktop.commands import Command, Kind
from tracktray.desktop.idle.choose import IdleChoice
from tracktray.desktop.settings_dialog import SettingsDialog
from tracktray.store.settings import Preferences, Settings

__all__ = ["idle_source"]

MakeApp = Callable[..., Harness]


def test_where_no_backend_works_settings_says_so_plainly(qtbot: QtBot) -> None:
    choice = IdleChoice(None, ("No X display can be opened (not an X11 session).",))
    dialog = SettingsDialog(Preferences(), idle_explanation=choice.explanation, lock_events=False)
    qtbot.addWidget(dialog)
    section = dialog.idle
    assert section.explanation.text() == (
        "TrackTray cannot tell when you are away on this computer. "
        "No X display can be opened (not an X11 session)."
    )
    assert not section.ask_when_back.isEnabled()
    assert not section.remind.isEnabled()
    assert not section.stop_on_lock.isEnabled() and not section.stop_on_sleep.isEnabled()
    assert section.forgotten.isEnabled(), "the forgotten timer needs no idle time"


def test_the_section_edits_and_saves_the_idle_preferences(
    make_app: MakeApp, idle_source: StandInIdle, qtbot: QtBot
) -> None:
    h = make_app(Settings(preferences=Preferences(local_notice_shown=True)))
    h.wait_ready()
    h.wait_idle()
    h.app.dispatch(Command(Kind.SETTINGS))
    dialog = h.app.dialogs["settings"]
    assert isinstance(dialog, SettingsDialog) and not dialog.isModal()
    section = dialog.idle
    assert section.explanation.text() == (
        "Idle time comes from stand-in. Lock and sleep are heard from: stand-in lock and sleep."
    )
    assert section.ask_when_back.isChecked() and section.idle_after.value() == 10
    assert section.forgotten.isChecked() and section.forgotten_after.value() == 9
    assert not section.remind.isChecked()
    assert [box.isChecked() for box in section.day_boxes] == [True] * 5 + [False] * 2
    section.idle_after.setValue(15)
    assert section.stop_on_sleep.isEnabled()
    section.stop_on_sleep.setChecked(True)
    section.forgotten_after.setValue(11)
    section.remind.setChecked(True)
    section.remind_after.setValue(30)
    section.day_boxes[5].setChecked(True)
    section.work_start.setTime(section.work_start.time().fromString("08:30", "HH:mm"))
    dialog.accept()
    h.wait_idle()
    saved = h.store.load().preferences
    assert (saved.idle_after_s, saved.stop_on_sleep, saved.forgotten_after_s) == (900, True, 39600)
    assert (saved.reminder_enabled, saved.reminder_after_s) == (True, 1800)
    assert (saved.work_days, saved.work_start, saved.work_end) == (0b0111111, "08:30", "18:00")
    assert h.app.idle.tracker.threshold_s == 900
    assert h.app.idle.reminders.hours.start == dt.time(8, 30)


def test_a_value_set_in_the_file_survives_a_save_that_did_not_touch_it(
    make_app: MakeApp, idle_source: StandInIdle
) -> None:
    h = make_app(Settings(preferences=Preferences(local_notice_shown=True, idle_after_s=90)))
    h.wait_ready()
    h.wait_idle()
    h.app.dispatch(Command(Kind.SETTINGS))
    dialog = h.app.dialogs["settings"]
    assert isinstance(dialog, SettingsDialog)
    assert dialog.idle.idle_after.value() == 2  # 90 s shows as 2 min
    dialog.accept()
    h.wait_idle()
    assert h.store.load().preferences.idle_after_s == 90
