"""The real update offer on a real desktop: the tray answers while the offer is open.

Issue 11: a ``QMessageBox`` is application-modal even when shown with ``show()``, so
while the old update box was open, clicks on the tray icon were thrown away. Here the
real widget (its own process, Qt on Xvfb, docked in trayer) finds a newer release on a
real HTTPS engine, says so in a real notification (dunst), the person picks the
notification's action, the real offer window opens, and a click on the tray icon starts
a block on the server while the window stays open.
"""

from __future__ import annotations

import dataclasses
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e import test_widget
from tests.e2e.screen import NOTIFY_CALLS
from tests.e2e.test_widget import Home, Widget, click_the_tray_icon, open_block
from tests.support.desktop_env import DesktopSession, bus_monitor, wait_for
from tracktray import __version__
from tracktray.store.settings import SettingsStore

pytestmark = pytest.mark.slow

OFFER_TITLE = "tracktray update"

# the widget's own fixtures: a person's folders and the widget started in them
home = test_widget.home
start_widget = test_widget.start_widget


@pytest.fixture
def release_on_offer(trackmypeople_server: Any) -> Iterator[str]:
    url = "https://example.org/tracktray-99"
    trackmypeople_server.engine.set_release("Linux_Qt", "99.0.0", url)
    yield url
    # the server is shared: later tests see this widget up to date
    trackmypeople_server.engine.set_release("Linux_Qt", __version__, "https://example.org/current")


def offer_windows(desktop: DesktopSession) -> list[str]:
    found = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", f"^{OFFER_TITLE}$"],
        env=desktop.env(),
        capture_output=True,
        text=True,
        check=False,
    )
    return found.stdout.split()


def test_the_tray_answers_while_the_update_offer_is_open(
    desktop: DesktopSession,
    home: Home,
    start_widget: Callable[[], Widget],
    trackmypeople_server: Any,
    release_on_offer: str,
    artifacts: Path,
    qapp: Any,
) -> None:
    person = trackmypeople_server.new_user()
    home.tracktray(
        "accounts", "add", "--url", trackmypeople_server.api_url, "--user", person.username,
        "--ca", str(trackmypeople_server.ca_file), "--password-stdin", stdin=person.password,
    )  # fmt: skip
    store = SettingsStore(home.config_dir)
    settings = store.load()  # not the very first launch: that one announces nothing
    prefs = dataclasses.replace(settings.preferences, launched_before=True)
    store.save(dataclasses.replace(settings, preferences=prefs))

    with bus_monitor(desktop.bus_address, NOTIFY_CALLS) as notifications:
        widget = start_widget()
        wait_for(
            lambda: any(m.body[3] == OFFER_TITLE for m in notifications),
            "the update notification",
            timeout=30,
        )
    assert offer_windows(desktop) == [], "a window popped up by itself"
    [offer] = [m for m in notifications if m.body[3] == OFFER_TITLE]
    assert offer.body[5][2:] == ["show-update", "Show"]
    wait_for(lambda: desktop.dunstctl("count", "displayed") == "1", "dunst to show it", 10)
    desktop.dunstctl("action", "0")  # the person picks "Show"
    wait_for(lambda: len(offer_windows(desktop)) == 1, "the offer window", 10)
    shot = desktop.screenshot(artifacts / "update-offer-open.png")
    assert open_block(trackmypeople_server, person) is None

    click_the_tray_icon(desktop, widget, shot)  # while the offer is open
    wait_for(lambda: open_block(trackmypeople_server, person) is not None, "the server's block", 15)
    wait_for(lambda: widget.seen("icon-confirmed", after="click"), "the running icon", 10)
    assert len(offer_windows(desktop)) == 1, "the offer should still be open"
    desktop.screenshot(artifacts / "update-offer-tray-answered.png")
