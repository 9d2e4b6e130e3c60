"""The real widget on a real (virtual) desktop: visible in the tray, a click starts a block.

``tracktray`` runs as a person runs it — its own process, Qt on X11 (Xvfb), its icon
docked in a real tray host (trayer), notifications to a real service (dunst). The test
looks at the screen (screenshots kept in ``test-artifacts/``), clicks with the X pointer
(xdotool), and asks the server — or ``tracktray status`` in local mode — what was
recorded. The app's bench event file says when it is ready: no sleeps.
"""

from __future__ import annotations

import dataclasses
import json
import signal
import ssl
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.screen import NOTIFY_CALLS, screen_changes, tray_changed, tray_pixels
from tests.support.desktop_env import DesktopSession, bus_monitor, wait_for
from tracktray.store.settings import Preferences, SettingsStore

pytestmark = pytest.mark.slow


def tracktray_command() -> list[str]:
    """The installed console script, as a person would type ``tracktray``."""
    script = Path(sys.executable).parent / "tracktray"
    if script.is_file():
        return [str(script)]
    return [
        sys.executable,
        "-c",
        "import sys; from tracktray.cli.main import main; sys.exit(main())",
    ]


@dataclass
class Widget:
    proc: subprocess.Popen[bytes]
    events: Path
    log: Path

    def seen(self, event: str, *, after: str | None = None) -> bool:
        """Whether the app reported ``event`` (since its first ``after`` event, if given)."""
        if self.proc.poll() is not None:
            raise AssertionError(f"tracktray exited with {self.proc.returncode}:\n{self.output()}")
        try:
            lines = self.events.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return False
        events = [line.partition(" ")[2] for line in lines]
        if after is not None:
            if after not in events:
                return False
            events = events[events.index(after) + 1 :]
        return event in events

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@dataclass
class Home:
    """One person's tracktray folders and the environment their programs run in."""

    config_dir: Path
    data_dir: Path
    env: dict[str, str]

    def tracktray(self, *args: str, stdin: str = "") -> str:
        done = subprocess.run(
            [*tracktray_command(), "--config-dir", str(self.config_dir),
             "--data-dir", str(self.data_dir), *args],
            input=stdin, env=self.env, capture_output=True, text=True, timeout=30, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout


@pytest.fixture
def home(desktop: DesktopSession, tmp_path: Path) -> Home:
    desktop.dunstctl("close-all")  # a clean screen: no notification of an earlier test
    runtime = tmp_path / "run"  # its own single-instance lock and socket
    runtime.mkdir(mode=0o700)
    env = desktop.env(
        XDG_CONFIG_HOME=str(tmp_path / "xdg-config"),
        XDG_DATA_HOME=str(tmp_path / "xdg-data"),
        XDG_RUNTIME_DIR=str(runtime),
        TRACKTRAY_TEST_KEYRING=str(tmp_path / "keyring.json"),
        TRACKTRAY_BENCH_EVENTS=str(tmp_path / "events.log"),
    )
    return Home(tmp_path / "config", tmp_path / "data", env)


@pytest.fixture
def start_widget(home: Home, tmp_path: Path) -> Iterator[Callable[[], Widget]]:
    started: list[Widget] = []

    def start() -> Widget:
        log = tmp_path / "tracktray.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [*tracktray_command(), "--config-dir", str(home.config_dir),
                 "--data-dir", str(home.data_dir)],
                env=home.env, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        started.append(Widget(proc, Path(home.env["TRACKTRAY_BENCH_EVENTS"]), log))
        return started[-1]

    yield start
    for widget in started:
        if widget.proc.poll() is None:
            widget.proc.send_signal(signal.SIGTERM)  # the app quits cleanly on SIGTERM
            try:
                widget.proc.wait(10)
            except subprocess.TimeoutExpired:
                widget.proc.kill()
                widget.proc.wait(5)
        assert widget.proc.returncode == 0, widget.output()
        assert "Traceback" not in widget.output()


def click_the_tray_icon(desktop: DesktopSession, widget: Widget, shot: Path) -> None:
    """Find the icon in the screenshot, as a person would, and click it."""
    count, (left, top, right, bottom) = tray_pixels(shot)
    assert count >= 50, f"no icon in the tray area of {shot}"
    assert right - left <= 40 and bottom - top <= 40, "something bigger than a tray icon"
    desktop.click((left + right) // 2, (top + bottom) // 2)
    try:
        wait_for(lambda: widget.seen("click"), "the click to reach the widget", timeout=10)
    except TimeoutError:
        desktop.screenshot(shot.with_name(f"click-lost-{shot.name}"))
        raise


def test_first_run_local_mode_a_click_starts_the_timer_and_a_notice_says_where_time_is(
    desktop: DesktopSession,
    home: Home,
    start_widget: Callable[[], Widget],
    artifacts: Path,
    qapp: Any,
) -> None:
    with bus_monitor(desktop.bus_address, NOTIFY_CALLS) as notifications:
        widget = start_widget()
        wait_for(lambda: widget.seen("status-drawn"), "the widget's first status", timeout=30)
        stopped = desktop.screenshot(artifacts / "tray-local-stopped.png")
        click_the_tray_icon(desktop, widget, stopped)
        wait_for(
            lambda: widget.seen("icon-confirmed", after="click") and bool(notifications),
            "the notice",
            10,
        )
    running = desktop.screenshot(artifacts / "tray-local-running.png")
    assert tray_changed(stopped, running), "the icon did not change when the timer started"

    summaries = [message.body[3] for message in notifications]
    assert "TrackTray keeps your time on this computer" in summaries
    status = json.loads(home.tracktray("status", "--json"))
    assert status["account"]["kind"] == "local"
    assert status["running"]["tracker"]["name"] == "General"


def test_an_everyday_start_draws_the_remembered_status_first_and_keeps_an_early_click(
    desktop: DesktopSession,
    home: Home,
    start_widget: Callable[[], Widget],
    artifacts: Path,
    qapp: Any,
) -> None:
    first = start_widget()
    wait_for(lambda: first.seen("status-drawn"), "the widget's first status", timeout=30)
    click_the_tray_icon(desktop, first, desktop.screenshot(artifacts / "everyday-first.png"))
    wait_for(lambda: first.seen("icon-confirmed", after="click"), "the block started", 10)
    first.proc.send_signal(signal.SIGTERM)
    assert first.proc.wait(10) == 0

    first.events.unlink()
    home.env["TRACKTRAY_BENCH_PHASES"] = "1"
    widget = start_widget()
    wait_for(lambda: widget.seen("status-drawn"), "the remembered status", timeout=30)
    shot = artifacts / "everyday-first-stage.png"
    # the tray host docks the icon on its own time: a screenshot shows it soon after
    wait_for(lambda: tray_pixels(desktop.screenshot(shot))[0] >= 50, "the icon docked", 10)
    # the icon shows before the app's own modules are loaded; a click then is kept and
    # handed to the app when it takes the icon over (the "click" event is the app's)
    click_the_tray_icon(desktop, widget, shot)
    # ... and it does what it meant on the remembered status: the running block stops
    wait_for(lambda: widget.seen("icon-confirmed", after="click"), "the early click sent", 15)
    events = [line.partition(" ")[2] for line in widget.events.read_text().splitlines()]
    assert events.index("status-drawn") < events.index("phase app-loaded")
    assert events.index("phase tray-built") < events.index("click")
    assert events.count("icon-shown") == events.count("status-drawn") == 1


def test_a_second_start_shows_the_first_ones_menu_and_exits(
    desktop: DesktopSession, home: Home, start_widget: Callable[[], Widget], artifacts: Path
) -> None:
    widget = start_widget()
    wait_for(lambda: widget.seen("status-drawn"), "the widget's first status", timeout=30)
    before = desktop.screenshot(artifacts / "second-start-before.png")
    second = subprocess.run(
        [*tracktray_command(), "--config-dir", str(home.config_dir),
         "--data-dir", str(home.data_dir)],
        env=home.env, capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert second.returncode == 0, second.stderr
    menu = artifacts / "second-start-menu.png"
    wait_for(
        lambda: screen_changes(before, desktop.screenshot(menu)) > 2000,  # a menu: ~150×200
        "the first one's menu on screen",
        10,
    )


def open_block(trackmypeople_server: Any, person: Any) -> dict[str, Any] | None:
    """What the server reports as running for ``person`` (its own HTTPS API)."""
    context = ssl.create_default_context(cafile=str(trackmypeople_server.ca_file))
    with httpx.Client(verify=context, timeout=5) as client:
        answer = client.post(
            trackmypeople_server.api_url + "status.json", auth=(person.username, person.password)
        )
    answer.raise_for_status()
    block = answer.json().get("last_block")
    return block if isinstance(block, dict) else None


def add_server_account(home: Home, trackmypeople_server: Any, person: Any) -> None:
    """``tracktray accounts add``, the password on stdin, kept by the real Secret Service."""
    home.env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.SecretService.Keyring"
    home.tracktray(
        "accounts", "add", "--url", trackmypeople_server.api_url, "--user", person.username,
        "--ca", str(trackmypeople_server.ca_file), "--password-stdin", stdin=person.password,
    )  # fmt: skip
    settings = (home.config_dir / "settings.json").read_text(encoding="utf-8")
    assert person.username in settings and person.password not in settings


def test_the_icon_is_in_the_tray_and_a_click_starts_a_block_on_the_server(
    secret_service: DesktopSession,
    desktop: DesktopSession,
    home: Home,
    start_widget: Callable[[], Widget],
    trackmypeople_server: Any,
    artifacts: Path,
    qapp: Any,
) -> None:
    person = trackmypeople_server.new_user()
    add_server_account(home, trackmypeople_server, person)
    widget = start_widget()
    wait_for(lambda: widget.seen("status-drawn"), "the widget's first status", timeout=30)
    assert open_block(trackmypeople_server, person) is None

    stopped = desktop.screenshot(artifacts / "tray-stopped.png")
    # trayer gives the icon an area taller than wide: the glyph is square in it, drawn
    # from the PNG of its size (Qt's SVG module is never loaded: ~0.7 MiB at rest)
    _, (left, top, right, bottom) = tray_pixels(stopped)
    assert abs((right - left) - (bottom - top)) <= 2, "the icon is stretched"
    maps = Path(f"/proc/{widget.proc.pid}/maps").read_text(encoding="utf-8")
    assert "libQt6Svg" not in maps and "libqsvg" not in maps
    click_the_tray_icon(desktop, widget, stopped)
    wait_for(lambda: open_block(trackmypeople_server, person) is not None, "the server's block", 15)
    block = open_block(trackmypeople_server, person)
    assert block is not None
    assert int(block["tracker"]["Id"]) == person.trackers["Acme/Website"]  # the default

    wait_for(lambda: widget.seen("icon-confirmed", after="click"), "the running icon", 10)
    running = desktop.screenshot(artifacts / "tray.png")
    assert tray_changed(stopped, running), "the icon did not change when the timer started"


def test_a_wrong_password_notifies_and_its_sign_in_action_opens_the_dialog(
    secret_service: DesktopSession,
    desktop: DesktopSession,
    home: Home,
    start_widget: Callable[[], Widget],
    trackmypeople_server: Any,
    artifacts: Path,
) -> None:
    person = trackmypeople_server.new_user()
    add_server_account(home, trackmypeople_server, person)
    trackmypeople_server.engine.update_user(person.profile_id, password="changed on the server")
    with bus_monitor(desktop.bus_address, NOTIFY_CALLS) as notifications:
        widget = start_widget()
        wait_for(lambda: bool(notifications), "the signed-out notification", timeout=30)
    _app, _id, _icon, summary, _body, actions, _hints, _timeout = notifications[0].body
    assert summary.startswith("Signed out of ")
    assert actions[2:] == ["sign-in", "Sign in"]
    wait_for(lambda: desktop.dunstctl("count", "displayed") == "1", "dunst to show it", 10)

    before = desktop.screenshot(artifacts / "signed-out.png")
    desktop.dunstctl("action", "0")  # the person clicks the notification
    dialog = artifacts / "sign-in-from-notification.png"
    wait_for(
        lambda: screen_changes(before, desktop.screenshot(dialog)) > 2000,
        "the sign-in dialog on screen",
        10,
    )
    assert widget.proc.poll() is None


def test_a_block_started_with_the_cli_shows_in_the_tray_and_as_a_notification(
    desktop: DesktopSession,
    home: Home,
    start_widget: Callable[[], Widget],
    trackmypeople_server: Any,
    artifacts: Path,
    qapp: Any,
) -> None:
    person = trackmypeople_server.new_user()
    home.tracktray(
        "accounts", "add", "--url", trackmypeople_server.api_url, "--user", person.username,
        "--ca", str(trackmypeople_server.ca_file), "--password-stdin", stdin=person.password,
    )  # fmt: skip
    store = SettingsStore(home.config_dir)
    settings = store.load()  # a short poll, so "within one poll" is quick to see
    store.save(dataclasses.replace(settings, preferences=Preferences(poll_interval_s=1)))
    widget = start_widget()
    wait_for(lambda: widget.seen("status-drawn"), "the widget's first status", timeout=30)
    stopped = desktop.screenshot(artifacts / "cli-before.png")
    assert tray_pixels(stopped)[0] >= 50

    with bus_monitor(desktop.bus_address, NOTIFY_CALLS) as notifications:
        home.tracktray("start")  # "another device": the command line, same account
        wait_for(lambda: bool(notifications), "the widget to notice the change", timeout=15)
    bodies = [message.body[4] for message in notifications]
    assert "Started Website on another device" in " ".join(bodies)
    after = artifacts / "cli-after.png"
    wait_for(lambda: tray_changed(stopped, desktop.screenshot(after)), "the running icon", 10)
