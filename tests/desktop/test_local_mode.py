"""First run on a fresh machine: local mode at once, one click to start, one to stop."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from tests.desktop.harness import Harness
from tracktray.accounts.local import open_local_backend
from tracktray.desktop.commands import Command, Kind
from tracktray.desktop.controller import LOCAL_NOTICE
from tracktray.desktop.describe import DescribePrompt
from tracktray.desktop.fallback import NO_TRAY_SENTENCE
from tracktray.desktop.icons import TrayState
from tracktray.desktop.menu import find_action
from tracktray.domain import ReportQuery
from tracktray.store.settings import Preferences, Settings

MakeApp = Callable[..., Harness]


def test_fresh_machine_starts_local_mode_and_a_click_tracks(
    make_app: MakeApp, tmp_path: Path
) -> None:
    h = make_app()
    h.wait_ready()
    assert h.state is TrayState.STOPPED
    assert h.app.session.account is not None and h.app.session.account.kind == "local"
    h.wait_notice("stored on this computer")
    assert "tracktray accounts add" in LOCAL_NOTICE.body
    assert "Not tracking" in h.app.view.icon.toolTip()

    h.click()
    assert h.state_now() is TrayState.WAITING, "the icon answers the click at once"
    h.wait_state(TrayState.RUNNING)
    tooltip = h.app.view.icon.toolTip()
    assert "General since" in tooltip and "Today:" in tooltip

    h.click()
    h.wait_state(TrayState.STOPPED)
    h.wait_idle()
    # the engine kept one closed block on the starter tracker
    blocks = open_local_backend(tmp_path / "data").report(ReportQuery())
    assert [(b.tracker_id, b.time_out is not None) for b in blocks] == [(1, True)]
    saved = h.store.load().preferences
    assert saved.local_notice_shown
    assert saved.last_tracker == {"local": 1}


def test_the_local_notice_is_shown_only_once(make_app: MakeApp) -> None:
    first = make_app()
    first.wait_ready()
    first.wait_idle()
    first.app.shutdown()
    second = make_app()
    second.wait_ready()
    second.wait_idle()
    assert not any("stored on this computer" in n.body for n in second.notices)


def test_switching_through_the_tree_menu_and_stopping_with_a_description(
    make_app: MakeApp, tmp_path: Path, qtbot: QtBot
) -> None:
    backend = open_local_backend(tmp_path / "data")
    acme = backend.add_tracker("Acme")
    design = backend.add_tracker("Design", acme)
    h = make_app()
    h.wait_ready()
    menu = h.app.view.menu

    h.open_menu()
    find_action(menu, Command(Kind.START, design)).trigger()  # type: ignore[union-attr]
    h.wait_state(TrayState.RUNNING)
    h.wait_ready()
    assert h.app.session.status is not None and h.app.session.status.running is not None
    assert h.app.session.status.running.tracker.id == design

    h.open_menu()
    # the running tracker is checked in the tree, and now also listed as recent
    running_entries = [a for a in _all_actions(menu) if a.data() == Command(Kind.SWITCH, design)]
    assert len(running_entries) == 2 and all(a.isChecked() for a in running_entries)
    find_action(menu, Command(Kind.SWITCH, 1)).trigger()  # type: ignore[union-attr]
    qtbot.waitUntil(
        lambda: (
            h.app.session.status is not None
            and h.app.session.status.running is not None
            and h.app.session.status.running.tracker.id == 1
        )
    )
    h.wait_idle()
    assert h.store.load().preferences.recent_trackers["local"][:2] == [1, design]

    h.open_menu()
    find_action(menu, Command(Kind.STOP_DESCRIBED)).trigger()  # type: ignore[union-attr]
    prompt = h.app.dialogs["describe"]
    assert isinstance(prompt, DescribePrompt) and not prompt.isModal()
    prompt.description.setText("Wrote the plan")
    prompt.ok_button.click()
    h.wait_state(TrayState.STOPPED)
    blocks = backend.report(ReportQuery())
    assert [(b.tracker_id, b.description) for b in blocks] == [
        (design, ""),
        (1, "Wrote the plan"),
    ]


def test_a_change_on_another_device_appears_after_a_poll_and_a_refusal_explains_itself(
    make_app: MakeApp, tmp_path: Path
) -> None:
    h = make_app(Settings(preferences=_fast_polls()))
    h.wait_ready()
    other = open_local_backend(tmp_path / "data")  # another program on the same data
    other.start()
    h.wait_notice("Started General on another device")
    h.wait_state(TrayState.RUNNING)

    other.stop()
    h.wait_notice("Stopped General on another device")
    h.wait_state(TrayState.STOPPED)

    # our state is now stale on purpose: the other side starts, we click Start at once
    h.app.session._unschedule()
    other.start()
    h.app.session.start(1)
    # the click had nothing left to do: one sentence says why, not "the server said no"
    explained = h.wait_notice("General was already running (it was started elsewhere).")
    assert explained.title == "Nothing to do"
    h.wait_state(TrayState.RUNNING)  # and the status after the refusal shows the truth


def test_without_a_system_tray_a_small_window_offers_the_same_controls(
    make_app: MakeApp, qtbot: QtBot
) -> None:
    h = make_app(tray_available=False)
    h.wait_ready()
    window = h.app.view.window
    assert window is not None and window.isVisible()
    assert window.why_label.text() == NO_TRAY_SENTENCE
    assert window.menu_button.menu() is h.app.view.menu
    window.toggle_button.click()
    h.wait_state(TrayState.RUNNING)
    qtbot.waitUntil(lambda: window.toggle_button.text() == "Stop")
    assert window.header_label.text().startswith("General — since")


def _fast_polls() -> Preferences:
    return dataclasses.replace(Preferences(), poll_interval_s=1, local_notice_shown=True)


def _all_actions(menu: QMenu) -> list:  # type: ignore[type-arg]
    found = []
    for action in menu.actions():
        found.append(action)
        sub = action.menu()
        if isinstance(sub, QMenu):
            found.extend(_all_actions(sub))
    return found


def test_switch_with_a_description_picks_the_next_tracker_in_a_small_box(
    make_app: MakeApp, tmp_path: Path, qtbot: QtBot
) -> None:
    backend = open_local_backend(tmp_path / "data")
    support = backend.add_tracker("Support")
    h = make_app()
    h.wait_ready()
    h.click()
    h.wait_state(TrayState.RUNNING)
    h.wait_ready()
    h.app.dispatch(Command(Kind.SWITCH_DESCRIBED))
    prompt = h.app.dialogs["describe"]
    assert isinstance(prompt, DescribePrompt) and prompt.tracker_box is not None
    # the running tracker is not offered; typing a name that matches nothing keeps the box
    assert prompt.tracker_box.findText("General") == -1
    prompt.tracker_box.setEditText("Nothing like it")
    prompt.ok_button.click()
    assert prompt.isVisible()
    prompt.tracker_box.setEditText("Support")
    prompt.description.setText("Answered the phone")
    prompt.ok_button.click()
    qtbot.waitUntil(
        lambda: (
            h.app.session.server_status is not None
            and h.app.session.server_status.running is not None
            and h.app.session.server_status.running.tracker.id == support
        )
    )
    blocks = backend.report(ReportQuery(include_open=True))
    assert [(b.tracker_id, b.description) for b in blocks] == [
        (1, "Answered the phone"),
        (support, ""),
    ]


def test_a_double_click_starts_once(make_app: MakeApp, tmp_path: Path) -> None:
    h = make_app()
    h.wait_ready()
    h.click()
    h.click()  # the answer to the first is not back yet
    h.wait_state(TrayState.RUNNING)
    h.wait_idle()
    assert not any("said no" in n.title for n in h.notices)
    assert len(open_local_backend(tmp_path / "data").report(ReportQuery(include_open=True))) == 1


def test_every_command_the_menu_can_carry_has_one_handler(make_app: MakeApp) -> None:
    """The one dispatch table covers every kind: a new command without a handler would
    be a menu entry that silently does nothing."""
    from tracktray.desktop.commands import Kind

    h = make_app(Settings(preferences=_fast_polls()))
    h.wait_ready()
    assert set(h.app._commands) == set(Kind)
