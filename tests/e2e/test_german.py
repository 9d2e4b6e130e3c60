"""The widget in German on a real desktop (Xvfb + trayer), chosen in Settings ▸ Language:
the menu, the sign-in window and Settings, with screenshots in ``test-artifacts/``
(``de-menu.png``, ``de-sign-in.png``, ``de-settings.png``) for a person to look at.
The windows' German titles prove the catalog and the Settings choice reached the real
program; the tray is clicked while each window is open (it must answer).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.screen import screen_changes, tray_pixels
from tests.e2e.test_dialogs import (
    click_the_tray_icon_again,
    events,
    settled_screenshot,
    window_id,
    xdotool,
)
from tests.e2e.test_widget import Home, Widget, home, start_widget
from tests.support.desktop_env import DesktopSession, wait_for
from tracktray.store.settings import Preferences, Settings, SettingsStore

__all__ = ["home", "start_widget"]  # fixtures shared with test_widget

pytestmark = pytest.mark.slow


def open_menu(desktop: DesktopSession, widget: Widget, tray: Path) -> None:
    count, (left, top, right, bottom) = tray_pixels(tray)
    assert count >= 50, f"no icon in the tray area of {tray}"
    shown = events(widget).count("menu-shown")
    desktop.click((left + right) // 2, (top + bottom) // 2, button=3)
    wait_for(lambda: events(widget).count("menu-shown") > shown, "the menu", 10)


def wait_window(desktop: DesktopSession, title: str) -> str:
    found: list[str] = []

    def mapped() -> bool:
        found.append(window_id(desktop, title))
        return bool(found[-1])

    wait_for(mapped, title, 10)
    return found[-1]


def test_menu_sign_in_and_settings_in_german(
    desktop: DesktopSession,
    home: Home,
    start_widget: Callable[[], Widget],
    artifacts: Path,
    qapp: object,
) -> None:
    SettingsStore(home.config_dir).save(Settings(preferences=Preferences(language="de")))
    widget = start_widget()
    wait_for(lambda: widget.seen("status-drawn"), "the widget's first status", timeout=30)
    tray = desktop.screenshot(artifacts / "de-before.png")

    open_menu(desktop, widget, tray)
    menu = artifacts / "de-menu.png"
    wait_for(lambda: screen_changes(tray, desktop.screenshot(menu)) > 3000, "the menu drawn", 10)
    settled_screenshot(desktop, menu, tray)
    xdotool(desktop, "key", "Escape")

    # from the bottom: Beenden, Nach Updates suchen, Einstellungen…, Tracker verwalten…,
    # Konto ▸; in Konto: Dieser Computer, Serverkonto hinzufügen…
    open_menu(desktop, widget, tray)
    xdotool(desktop, "key", "Up", "Up", "Up", "Up", "Up", "Right", "Down", "Return")
    sign_in = wait_window(desktop, "An einem Server anmelden")
    settled_screenshot(desktop, artifacts / "de-sign-in.png", tray)
    clicks = events(widget).count("click")
    click_the_tray_icon_again(desktop, widget, tray, clicks)
    assert window_id(desktop, "An einem Server anmelden") == sign_in
    xdotool(desktop, "windowclose", sign_in)

    open_menu(desktop, widget, tray)
    xdotool(desktop, "key", "Up", "Up", "Up", "Return")
    settings = wait_window(desktop, "TrackTray-Einstellungen")
    settled_screenshot(desktop, artifacts / "de-settings.png", tray)
    clicks = events(widget).count("click")
    click_the_tray_icon_again(desktop, widget, tray, clicks)
    assert window_id(desktop, "TrackTray-Einstellungen") == settings
    xdotool(desktop, "windowclose", settings)


def test_add_time_free_time_and_reports_in_german(
    desktop: DesktopSession,
    home: Home,
    start_widget: Callable[[], Widget],
    artifacts: Path,
    qapp: object,
) -> None:
    SettingsStore(home.config_dir).save(Settings(preferences=Preferences(language="de")))
    home.tracktray("add", "yesterday 09:00", "yesterday 12:30", "-m", "Planung")
    widget = start_widget()
    wait_for(lambda: widget.seen("status-drawn"), "the widget's first status", timeout=30)
    tray = desktop.screenshot(artifacts / "de-windows-before.png")
    # from the bottom: Beenden, Nach Updates suchen, Einstellungen…, Tracker verwalten…,
    # Konto ▸, Abwesenheit…, Zeit nachtragen…, Berichte…
    for title, steps, shot in (
        ("Zeit nachtragen", 7, "de-add-time.png"),
        ("Abwesenheit", 6, "de-free-time.png"),
        ("Berichte", 8, "de-reports.png"),
    ):
        open_menu(desktop, widget, tray)
        xdotool(desktop, "key", *(["Up"] * steps), "Return")
        window = wait_window(desktop, title)
        settled_screenshot(desktop, artifacts / shot, tray)
        xdotool(desktop, "windowclose", window)
