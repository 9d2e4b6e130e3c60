"""The widget's windows on a real desktop: opened from the real menu, driven with the
keyboard, and the tray icon clicked while each is open (it must answer: no window is
modal). Screenshots of each window are kept in ``test-artifacts/``.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.screen import screen_changes, tray_pixels
from tests.e2e.test_widget import (
    Home,
    Widget,
    click_the_tray_icon,
    home,
    open_block,
    start_widget,
)
from tests.support.desktop_env import DesktopSession, wait_for
from tracktray.domain import ReportQuery

__all__ = ["home", "start_widget"]  # fixtures shared with test_widget

pytestmark = pytest.mark.slow


def xdotool(desktop: DesktopSession, *args: str) -> str:
    done = subprocess.run(
        ["xdotool", *args], env=desktop.env(), capture_output=True, text=True, check=False
    )
    return done.stdout.strip() if done.returncode == 0 else ""


def window_id(desktop: DesktopSession, title: str) -> str:
    """The X window titled ``title`` (a regular expression, whole title) once it is mapped
    ("" until then)."""
    found = xdotool(desktop, "search", "--onlyvisible", "--name", f"^{title}$")
    return found.splitlines()[0] if found else ""


def open_from_menu(
    desktop: DesktopSession, widget: Widget, shot: Path, steps_up: int, title: str
) -> str:
    """Right-click the icon, walk up ``steps_up`` entries from the bottom, press Return."""
    count, (left, top, right, bottom) = tray_pixels(shot)
    assert count >= 50, f"no icon in the tray area of {shot}"
    desktop.click((left + right) // 2, (top + bottom) // 2, button=3)
    wait_for(lambda: widget.seen("menu-shown"), "the menu", 10)
    xdotool(desktop, "key", *(["Up"] * steps_up), "Return")
    found: list[str] = []

    def shown() -> bool:
        found.append(window_id(desktop, title))
        return bool(found[-1])

    wait_for(shown, title, 10)
    return found[-1]


def settled_screenshot(desktop: DesktopSession, path: Path, baseline: Path) -> None:
    """A screenshot once a window is drawn and has stopped changing (data loaded)."""
    previous: list[Path] = []

    def settled() -> bool:
        shot = desktop.screenshot(path.with_name(f"{len(previous) % 2}-{path.name}"))
        done = (
            bool(previous)
            and screen_changes(baseline, shot) > 5000
            and screen_changes(previous[-1], shot) == 0
        )
        previous.append(shot)
        return done

    wait_for(settled, f"{path.name} to settle", 15)
    previous[-1].replace(path)
    for leftover in previous[:-1]:
        leftover.unlink(missing_ok=True)


def click_the_tray_icon_again(
    desktop: DesktopSession, widget: Widget, shot: Path, clicks_before: int
) -> None:
    """Like :func:`click_the_tray_icon`, for a widget that has been clicked before."""
    count, (left, top, right, bottom) = tray_pixels(shot)
    assert count >= 50, f"no icon in the tray area of {shot}"
    desktop.click((left + right) // 2, (top + bottom) // 2)
    wait_for(lambda: events(widget).count("click") > clicks_before, "the click to arrive", 10)


def test_manage_trackers_is_driven_with_the_keyboard_while_the_tray_answers(
    desktop: DesktopSession,
    home: Home,
    start_widget: Callable[[], Widget],
    artifacts: Path,
    qapp: object,
) -> None:
    widget = start_widget()
    wait_for(lambda: widget.seen("status-drawn"), "the widget's first status", timeout=30)
    shot = desktop.screenshot(artifacts / "manage-trackers-before.png")
    # from the bottom: Quit, Check for updates, Settings…, Manage trackers…
    window = open_from_menu(desktop, widget, shot, 4, "Manage trackers")

    xdotool(desktop, "windowfocus", "--sync", window)
    before = desktop.screenshot(artifacts / "manage-trackers-open.png")
    xdotool(desktop, "key", "alt+a")  # Add…: the inline panel, its name field focused
    panel = artifacts / "manage-trackers-add.png"
    wait_for(lambda: screen_changes(before, desktop.screenshot(panel)) > 3000, "the panel", 10)
    xdotool(desktop, "type", "--delay", "20", "Clients")
    xdotool(desktop, "key", "Return")

    def added() -> bool:
        listed = json.loads(home.tracktray("trackers", "--json"))
        return "Clients" in [t["path"] for t in listed]

    wait_for(added, "the new top-level tracker", 10)
    desktop.screenshot(artifacts / "manage-trackers.png")

    # the window is still open, and the tray answers a click: the timer starts
    assert window_id(desktop, "Manage trackers") == window
    click_the_tray_icon(desktop, widget, shot)
    wait_for(lambda: widget.seen("icon-confirmed", after="click"), "the running icon", 10)
    status = json.loads(home.tracktray("status", "--json"))
    assert status["running"]["tracker"]["name"] == "General"
    assert window_id(desktop, "Manage trackers") == window


def events(widget: Widget) -> list[str]:
    try:
        lines = widget.events.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    return [line.partition(" ")[2] for line in lines]


def test_add_time_free_time_and_reports_on_screen_while_the_tray_answers(
    desktop: DesktopSession,
    home: Home,
    start_widget: Callable[[], Widget],
    artifacts: Path,
    qapp: object,
) -> None:
    # a week with some time in it, so the reports window has something to draw
    home.tracktray("trackers", "--json")  # creates the local profile and "General"
    for days_ago, start, stop in (
        (1, "09:00", "12:30"),
        (2, "08:15", "11:00"),
        (3, "13:00", "17:45"),
    ):
        day = (dt.date.today() - dt.timedelta(days=days_ago)).isoformat()
        home.tracktray("add", f"{day} {start}", f"{day} {stop}", "-m", "writing é")
    home.tracktray("addfree", "4", "--date", (dt.date.today() - dt.timedelta(days=4)).isoformat())
    widget = start_widget()
    wait_for(lambda: widget.seen("status-drawn"), "the widget's first status", timeout=30)
    tray = desktop.screenshot(artifacts / "windows-before.png")
    # from the bottom: Quit, Check for updates, Settings…, Manage trackers…, Account ▸,
    # Free time…, Add time…, Reports…
    for title, steps, shot in (
        ("Add time", 7, "add-time.png"),
        ("Free time", 6, "free-time.png"),
        ("Reports", 8, "reports.png"),
    ):
        window = open_from_menu(desktop, widget, tray, steps, title)
        settled_screenshot(desktop, artifacts / shot, tray)
        clicks = events(widget).count("click")
        confirmed = events(widget).count("icon-confirmed")
        click_the_tray_icon_again(desktop, widget, tray, clicks)

        def answered(seen: int = confirmed) -> bool:
            return events(widget).count("icon-confirmed") > seen

        wait_for(answered, "the icon's answer", 10)
        assert window_id(desktop, title) == window, f"{title} closed by a click on the tray"
        xdotool(desktop, "windowclose", window)


def test_local_history_is_sent_to_a_server_account_from_its_window(
    desktop: DesktopSession,
    home: Home,
    start_widget: Callable[[], Widget],
    trackmypeople_server: Any,
    artifacts: Path,
    qapp: object,
) -> None:
    day = (dt.date.today() - dt.timedelta(days=3)).isoformat()
    home.tracktray("add", f"{day} 09:00", f"{day} 10:30", "-m", "local morning")
    home.tracktray("add", f"{day} 14:00", f"{day} 15:00", "-m", "local afternoon")
    person = trackmypeople_server.new_user()
    home.tracktray(
        "accounts", "add", "--url", trackmypeople_server.api_url, "--user", person.username,
        "--ca", str(trackmypeople_server.ca_file), "--password-stdin", stdin=person.password,
    )  # fmt: skip
    widget = start_widget()
    wait_for(lambda: widget.seen("status-drawn"), "the widget's first status", timeout=30)
    tray = desktop.screenshot(artifacts / "send-history-before.png")
    # from the bottom: Quit, Check for updates, Settings…, Account ▸, Send local history…
    window = open_from_menu(desktop, widget, tray, 5, "Send local history to .*")
    # the title says "— loading…" until the preview is drawn
    wait_for(lambda: window_id(desktop, "Send local history to [^—]*") == window, "preview", 15)
    preview = artifacts / "send-history.png"
    settled_screenshot(desktop, preview, tray)

    # "General" is not on the server: choose Acme in its box (focused first; typing picks)
    xdotool(desktop, "windowfocus", "--sync", window)
    xdotool(desktop, "type", "--delay", "30", "Acme")
    chosen = artifacts / "send-history-chosen.png"
    wait_for(lambda: screen_changes(preview, desktop.screenshot(chosen)) > 200, "the choice", 10)
    xdotool(desktop, "key", "alt+s")

    def on_the_server() -> list[str]:
        blocks = trackmypeople_server.engine.report(person.profile_id, ReportQuery())
        return sorted(b.description for b in blocks)

    wait_for(lambda: len(on_the_server()) == 2, "the blocks on the server", 15)
    assert on_the_server() == ["local afternoon", "local morning"]
    settled_screenshot(desktop, artifacts / "send-history-sent.png", tray)

    clicks = events(widget).count("click")
    click_the_tray_icon_again(desktop, widget, tray, clicks)
    wait_for(lambda: open_block(trackmypeople_server, person) is not None, "the click's block", 15)
    assert window_id(desktop, "Send local history to .*") == window


def test_the_sign_in_window_shows_a_certificate_error_whole(
    desktop: DesktopSession,
    home: Home,
    start_widget: Callable[[], Widget],
    trackmypeople_server: Any,
    artifacts: Path,
    qapp: object,
) -> None:
    person = trackmypeople_server.new_user()
    widget = start_widget()
    wait_for(lambda: widget.seen("status-drawn"), "the widget's first status", timeout=30)
    tray = desktop.screenshot(artifacts / "sign-in-before.png")
    count, (left, top, right, bottom) = tray_pixels(tray)
    assert count >= 50
    desktop.click((left + right) // 2, (top + bottom) // 2, button=3)
    wait_for(lambda: widget.seen("menu-shown"), "the menu", 10)
    # from the bottom: Quit, Check for updates, Settings…, Manage trackers…, Account ▸;
    # in Account: This computer, Add server account…
    xdotool(desktop, "key", "Up", "Up", "Up", "Up", "Up", "Right", "Down", "Return")
    found: list[str] = []

    def shown() -> bool:
        found.append(window_id(desktop, "Sign in to a server"))
        return bool(found[-1])

    wait_for(shown, "the sign-in window", 10)
    window = found[-1]
    xdotool(desktop, "windowfocus", "--sync", window)
    # the username field has the focus; the URL is the field before it
    xdotool(desktop, "key", "shift+Tab", "ctrl+a")
    xdotool(desktop, "type", "--delay", "10", trackmypeople_server.api_url)
    xdotool(desktop, "key", "Tab")
    xdotool(desktop, "type", "--delay", "10", person.username)
    xdotool(desktop, "key", "Tab")
    xdotool(desktop, "type", "--delay", "10", person.password)
    before = desktop.screenshot(artifacts / "sign-in-typed.png")
    xdotool(desktop, "key", "alt+t")  # Test connection, with no CA file: an unknown issuer
    shot = artifacts / "sign-in-certificate-error.png"
    wait_for(lambda: screen_changes(before, desktop.screenshot(shot)) > 3000, "the message", 15)
    settled_screenshot(desktop, shot, tray)
    clicks = events(widget).count("click")
    click_the_tray_icon_again(desktop, widget, tray, clicks)
    wait_for(lambda: widget.seen("icon-confirmed", after="click"), "the running icon", 10)
    assert window_id(desktop, "Sign in to a server") == window
