"""'Restart now' on a prepared update never quits over a window that may hold input."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.desktop.harness import Harness
from tracktray.desktop.commands import Command, Kind
from tracktray.desktop.menu import find_action
from tracktray.desktop.update_install import Prepared

MakeApp = Callable[..., Harness]


def test_restart_waits_while_a_window_is_open(
    make_app: MakeApp, qtbot: QtBot, tmp_path: Path
) -> None:
    h = make_app()
    h.wait_ready()
    made_at_start = h.app.updates.installer
    assert made_at_start is None  # it is made when an update is offered
    installer = h.app.updates.installer_for_offer()
    assert installer is not None
    # what a finished background preparation leaves (tests/desktop/test_update_channel.py)
    installer.prepared = Prepared("9.9.9", "folder", tmp_path / "x.tar.xz", tmp_path)
    h.open_menu()
    entry = find_action(h.app.view.menu, Command(Kind.SHOW_UPDATE))
    assert entry is not None and entry.text() == "Restart to update to 9.9.9"

    find_action(h.app.view.menu, Command(Kind.SETTINGS)).trigger()  # type: ignore[union-attr]
    settings = h.app.dialogs["settings"]
    entry.trigger()
    h.wait_notice("The update waits")
    assert not installer.relaunch

    settings.close()
    qtbot.waitUntil(lambda: not settings.isVisible())
    h.app.dispatch(Command(Kind.SHOW_UPDATE))
    assert installer.relaunch  # and the app quits (quit_app); the switch happens then
