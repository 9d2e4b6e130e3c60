"""Every window the widget shows leaves the tray icon answering (real dialogs, real tray).

The real widget runs on Xvfb with its icon docked in trayer (``dialog_driver.py``); for
each window — Settings, Add server account, Switch with a description, Attendances, the
attendance form and the delete question — the test opens the real one, then clicks the
real tray icon with the X pointer while it is open. The app must receive the click (its
``click`` event) and the window must stay non-modal: a modal window or a nested event
loop would swallow the click, which is how the update box and the trackers prompts
froze the tray before (issue 11).
"""

from __future__ import annotations

import os
import selectors
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.screen import tray_pixels
from tests.support.desktop_env import DesktopSession, wait_for
from tests.support.timetrack_fixtures import TimeTrackServer
from tracktray.accounts.timetrack import join_key_secret
from tracktray.store.credentials import CredentialStore
from tracktray.store.settings import (
    LOCAL_ACCOUNT,
    AccountConfig,
    Preferences,
    Settings,
    SettingsStore,
)

pytestmark = pytest.mark.slow

KINDS = ("settings", "sign-in", "describe", "attendances", "attendance-form", "confirm")


class Driver:
    def __init__(self, proc: subprocess.Popen[str], events: Path) -> None:
        self.proc = proc
        self.events = events
        self._selector = selectors.DefaultSelector()
        assert proc.stdout is not None
        self._selector.register(proc.stdout, selectors.EVENT_READ)

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def read(self, timeout: float = 15.0) -> str:
        assert self.proc.stdout is not None
        if not self._selector.select(timeout):
            raise TimeoutError("the driver said nothing")
        line = self.proc.stdout.readline()
        if not line:
            raise AssertionError(f"the driver exited with {self.proc.poll()}")
        return line.strip()

    def close(self) -> None:
        self._selector.close()

    def clicks(self) -> int:
        try:
            lines = self.events.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return 0
        return sum(1 for line in lines if line.endswith(" click"))


@pytest.fixture
def driver(
    desktop: DesktopSession,
    tmp_path: Path,
    trackmypeople_server: Any,
    timetrack_server: TimeTrackServer,
) -> Iterator[Driver]:
    user = trackmypeople_server.new_user(timezone="UTC")
    account = AccountConfig(
        id="tt",
        kind="timetrack",
        label="TimeTrack",
        url=trackmypeople_server.origin,
        username=user.username,
        ca_file=str(trackmypeople_server.ca_file),
    )
    CredentialStore().set("tt", join_key_secret(timetrack_server.key, timetrack_server.secret))
    prefs = Preferences(local_notice_shown=True, notifications=False, poll_interval_s=60)
    SettingsStore(tmp_path / "config").save(
        Settings(accounts=(LOCAL_ACCOUNT, account), active_account_id="tt", preferences=prefs)
    )
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    events = tmp_path / "events.log"
    env = desktop.env(os.environ, XDG_RUNTIME_DIR=str(runtime), TRACKTRAY_BENCH_EVENTS=str(events))
    root = Path(__file__).resolve().parents[2]
    with (tmp_path / "driver.log").open("w") as log_file:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.e2e.dialog_driver", str(tmp_path / "config"),
             str(tmp_path / "data")],
            env=env, cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=log_file, text=True,
        )  # fmt: skip
    driver = Driver(proc, events)
    try:
        assert driver.read(30) == "ready"
        yield driver
    finally:
        if proc.poll() is None:
            driver.send("quit")
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        for stream in (proc.stdin, proc.stdout):
            if stream is not None:
                stream.close()
        driver.close()
        log = (tmp_path / "driver.log").read_text(encoding="utf-8", errors="replace")
        assert "Traceback" not in log, log


def test_the_tray_icon_answers_while_each_real_dialog_is_open(
    desktop: DesktopSession, driver: Driver, tmp_path: Path
) -> None:
    shot = desktop.screenshot(tmp_path / "tray.png")
    wait_for(lambda: tray_pixels(desktop.screenshot(shot))[0] >= 50, "the icon in the tray", 15)
    _count, (left, top, right, bottom) = tray_pixels(shot)
    middle = ((left + right) // 2, (top + bottom) // 2)
    # alternate sides of the icon: two clicks at one spot within the double-click interval
    # reach the app as a double click, which is not a toggle
    spots = [(middle[0] - 6, middle[1]), (middle[0] + 6, middle[1])]
    for n, kind in enumerate(KINDS):
        icon = spots[n % 2]
        driver.send(f"open {kind}")
        assert driver.read() == f"opened {kind} modal=False"
        desktop.screenshot(tmp_path / f"open-{kind}.png")
        before = driver.clicks()
        desktop.click(*icon)

        def clicked(b: int = before) -> bool:
            return driver.clicks() > b

        wait_for(clicked, f"a tray click while {kind} is open", 10)
        driver.send("state")
        state = driver.read()
        assert state.startswith("dialogs="), state
        driver.send("close")
        assert driver.read() == "closed"
