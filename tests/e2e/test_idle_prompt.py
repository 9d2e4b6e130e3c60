"""The real coming-back prompt on a real (virtual) desktop, and the tray answering while
it is open.

``tracktray`` runs in its own process on Xvfb with trayer; its idle time comes from the X
server (MIT-SCREEN-SAVER), so "away" is the X server seeing no input and "back" is a real
pointer move through XTest (``xdotool``). The away threshold is 2 s, which only the
settings file can say (the dialog offers whole minutes), so the test takes seconds.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.screen import screen_changes, tray_changed
from tests.e2e.test_widget import Home, Widget, click_the_tray_icon, home, start_widget
from tests.support.desktop_env import DesktopSession, wait_for
from tracktray.desktop.idle import IdleUnavailable
from tracktray.desktop.idle.x11 import X11Idle
from tracktray.store.settings import Preferences, Settings, SettingsStore

__all__ = ["home", "start_widget"]

pytestmark = pytest.mark.slow


def _windows_named(desktop: DesktopSession, name: str) -> list[str]:
    found = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", name],
        env=desktop.env(),
        capture_output=True,
        text=True,
        check=False,
    )
    return found.stdout.split()


def test_coming_back_shows_the_prompt_and_the_tray_still_answers_while_it_is_open(
    desktop: DesktopSession,
    home: Home,
    start_widget: Callable[[], Widget],
    artifacts: Path,
    qapp: Any,
) -> None:
    try:
        X11Idle(desktop.display).close()  # what the widget will choose
    except IdleUnavailable as exc:
        pytest.skip(f"{exc} Install libxss1: run scripts/install-system-packages")
    SettingsStore(home.config_dir).save(
        Settings(preferences=Preferences(local_notice_shown=True, idle_after_s=2))
    )
    widget = start_widget()
    wait_for(lambda: widget.seen("status-drawn"), "the widget's first status", timeout=30)
    stopped = desktop.screenshot(artifacts / "idle-tray-stopped.png")
    click_the_tray_icon(desktop, widget, stopped)  # starts General
    wait_for(lambda: widget.seen("icon-confirmed", after="click"), "the running icon", 10)

    # Hands off: the X server's idle time grows until the widget counts the person away.
    wait_for(lambda: widget.seen("idle-away"), "the widget to notice the absence", 15)
    assert not widget.seen("prompt-away"), "no prompt while the person is away"
    before = desktop.screenshot(artifacts / "idle-before-return.png")
    subprocess.run(["xdotool", "mousemove", "600", "500"], env=desktop.env(), check=True)
    wait_for(lambda: widget.seen("prompt-away"), "the coming-back prompt", 15)
    wait_for(lambda: bool(_windows_named(desktop, "^Welcome back$")), "the prompt's window", 10)
    shot = desktop.screenshot(artifacts / "idle-prompt.png")
    assert screen_changes(before, shot) > 2000, "the prompt is not on the screen"

    # The prompt is open and not modal: a click on the tray icon stops the block.
    click_the_tray_icon(desktop, widget, shot)
    wait_for(lambda: widget.seen("icon-confirmed", after="prompt-away"), "the tray's answer", 10)
    after = desktop.screenshot(artifacts / "idle-prompt-tray-clicked.png")
    assert tray_changed(shot, after), "the icon did not change while the prompt was open"
    status = json.loads(home.tracktray("status", "--json"))
    assert status["running"] is None
    assert _windows_named(desktop, "^Welcome back$"), "the prompt stays until answered"
