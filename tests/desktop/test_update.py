"""Update checks: the version string, when the server is asked, what the person sees.

The releases come from the engine's HTTPS server through the real TrackMyPeople client;
the call runs through the real task bridge (on a worker thread, answer on the Qt thread),
as ``Session.run_on_backend`` does.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QWidget
from pytestqt.qtbot import QtBot

from tests.support.clock import FakeClock
from tests.support.https_server import TmpServer, start_tmp_server
from tests.support.org import TestUser
from tracktray.accounts.local import open_local_backend
from tracktray.api._http import make_http_client
from tracktray.api.trackmypeople import TrackMyPeopleClient
from tracktray.contracts.backend import Backend
from tracktray.desktop.notify import Notifier
from tracktray.desktop.tasks import TaskBridge
from tracktray.desktop.update import (
    UpdateChecker,
    UpdateChoice,
    UpdateDialog,
    platform_version_string,
)
from tracktray.domain import UpdateCheck
from tracktray.store.settings import Preferences

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
RELEASE_URL = "https://downloads.tracktray.example/tracktray-0.2.0"


@pytest.mark.parametrize(
    ("platform", "expected"),
    [("linux", "Linux_Qt-0.1.0"), ("win32", "Windows_Qt-0.1.0"), ("darwin", "Mac_Qt-0.1.0")],
)
def test_the_version_string_follows_the_protocol(platform: str, expected: str) -> None:
    assert platform_version_string(platform=platform) == expected
    assert platform_version_string("1.2.3", platform) == expected.replace("0.1.0", "1.2.3")


# -- the dialog ----------------------------------------------------------------------


class UrlCatcher(QObject):
    """Receives what QDesktopServices.openUrl would hand to the browser."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toString())


@pytest.fixture
def browser(qtbot: QtBot) -> Iterator[UrlCatcher]:
    catcher = UrlCatcher()
    QDesktopServices.setUrlHandler("https", catcher, "open")
    yield catcher
    QDesktopServices.unsetUrlHandler("https")


def shown_dialog(qtbot: QtBot, check: UpdateCheck) -> UpdateDialog:
    dialog = UpdateDialog(check)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_download_opens_the_release_page_in_the_browser(qtbot: QtBot, browser: UrlCatcher) -> None:
    dialog = shown_dialog(qtbot, UpdateCheck(False, RELEASE_URL, "0.2.0"))
    assert dialog.text() == "tracktray 0.2.0 is available. You have version 0.1.0."
    assert [b.text() for b in dialog.buttons()] == ["Download", "Later", "Skip this version"]
    dialog.download_button.click()
    assert dialog.choice is UpdateChoice.DOWNLOAD
    assert browser.opened == [RELEASE_URL]


@pytest.mark.parametrize(
    ("button", "choice"), [("later_button", UpdateChoice.LATER), ("skip_button", UpdateChoice.SKIP)]
)
def test_later_and_skip_open_nothing(
    qtbot: QtBot, browser: UrlCatcher, button: str, choice: UpdateChoice
) -> None:
    dialog = shown_dialog(qtbot, UpdateCheck(False, RELEASE_URL))
    assert dialog.text().startswith("A newer tracktray is available.")
    getattr(dialog, button).click()
    assert dialog.choice is choice
    assert browser.opened == []


def test_ask_returns_at_once_and_the_choice_arrives_when_clicked(
    qtbot: QtBot, browser: UrlCatcher
) -> None:
    answers: list[UpdateChoice] = []
    UpdateDialog.ask(UpdateCheck(False, RELEASE_URL, "0.2.0"), None, answers.append)
    # No nested event loop: ask() has returned and the dialog waits on screen.
    [dialog] = [w for w in QApplication.topLevelWidgets() if isinstance(w, UpdateDialog)]
    assert dialog.isVisible() and answers == []
    dialog.skip_button.click()
    qtbot.waitUntil(lambda: answers == [UpdateChoice.SKIP])
    qtbot.waitUntil(lambda: not dialog.isVisible())


# -- the checker -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TmpServer]:
    """A server of our own: these tests change its release table."""
    server = start_tmp_server(tmp_path_factory.mktemp("update-server"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def person(server: TmpServer) -> TestUser:
    return server.new_user()


def tmp_client(server: TmpServer, person: TestUser, url: str | None = None) -> Backend:
    return TrackMyPeopleClient(
        url or server.api_url,
        person.username,
        person.password,
        http=make_http_client(str(server.ca_file)),
        owns_http=True,
    )


@dataclasses.dataclass
class World:
    """A checker wired as the app wires it, and what the person saw."""

    checker: UpdateChecker
    accounts: list[Backend]
    clock: FakeClock
    prefs: list[Preferences]
    asked: list[UpdateCheck]
    told: list[str]
    answers: list[UpdateChoice]
    answered: list[object]

    def run_check(self, qtbot: QtBot, call: Callable[[], None]) -> Any:
        with qtbot.waitSignal(self.checker.checked, timeout=10_000) as blocker:
            call()
        return blocker.args[0]


@pytest.fixture
def world(
    qtbot: QtBot, server: TmpServer, person: TestUser, monkeypatch: pytest.MonkeyPatch
) -> Iterator[World]:
    server.engine.set_release("Linux_Qt", "0.2.0", RELEASE_URL)
    bridge = TaskBridge()
    # The account in use; a test may switch it (local mode, a server that is down).
    accounts = [tmp_client(server, person)]

    def run_on_backend(
        work: Callable[[Backend], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[Exception], None],
    ) -> None:
        backend = accounts[-1]
        bridge.run("account", lambda: work(backend), on_success, on_failure)

    prefs = [Preferences()]
    asked: list[UpdateCheck] = []
    told: list[str] = []
    answers = [UpdateChoice.LATER]

    def ask(
        check: UpdateCheck, parent: QWidget | None, answer: Callable[[UpdateChoice], None]
    ) -> None:
        asked.append(check)
        answer(answers[0])

    monkeypatch.setattr(UpdateDialog, "ask", ask)
    monkeypatch.setattr(UpdateDialog, "inform", lambda text, parent=None: told.append(text))
    clock = FakeClock(NOW)
    checker = UpdateChecker(
        run_on_backend,
        preferences=lambda: prefs[-1],
        save_preferences=prefs.append,
        clock=clock,
        version="Linux_Qt-0.1.0",
    )
    answered: list[object] = []
    checker.checked.connect(answered.append)
    yield World(checker, accounts, clock, prefs, asked, told, answers, answered)
    bridge.shutdown()
    for account in accounts:
        account.close()


def test_at_first_start_a_newer_release_is_offered(qtbot: QtBot, world: World) -> None:
    found = world.run_check(qtbot, world.checker.check_if_due)
    assert isinstance(found, UpdateCheck)
    assert (found.up_to_date, found.url) == (False, RELEASE_URL)
    assert world.asked == [found]
    assert world.prefs[-1].last_update_check == NOW.isoformat()
    assert world.prefs[-1].skipped_version is None  # "Later" remembers nothing


def test_the_server_is_asked_at_most_once_a_day(qtbot: QtBot, world: World) -> None:
    world.run_check(qtbot, world.checker.check_if_due)
    world.clock.advance(hours=23, minutes=59)
    with qtbot.assertNotEmitted(world.checker.checked, wait=100):
        world.checker.check_if_due()
    world.clock.advance(minutes=1)
    world.run_check(qtbot, world.checker.check_if_due)
    assert len(world.answered) == 2
    assert len(world.asked) == 2


def test_a_skipped_version_is_not_offered_again_until_asked(qtbot: QtBot, world: World) -> None:
    world.answers[0] = UpdateChoice.SKIP
    world.run_check(qtbot, world.checker.check_if_due)
    # The TrackMyPeople answer carries only the address; it names the release.
    assert world.prefs[-1].skipped_version == RELEASE_URL

    world.clock.advance(days=2)
    assert world.run_check(qtbot, world.checker.check_if_due) is not None  # still newer...
    assert len(world.asked) == 1  # ...but not offered again

    world.run_check(qtbot, world.checker.check_now)  # "Check for updates" shows it anyway
    assert len(world.asked) == 2


def test_a_release_newer_than_the_skipped_one_is_offered(
    qtbot: QtBot, world: World, server: TmpServer
) -> None:
    world.prefs.append(Preferences(skipped_version=RELEASE_URL))
    newer_url = RELEASE_URL.replace("0.2.0", "0.3.0")
    server.engine.set_release("Linux_Qt", "0.3.0", newer_url)
    world.run_check(qtbot, world.checker.check_if_due)
    assert [c.url for c in world.asked] == [newer_url]


def test_check_for_updates_answers_when_up_to_date(qtbot: QtBot, world: World) -> None:
    world.checker.version = "Linux_Qt-0.2.0"
    assert world.run_check(qtbot, world.checker.check_now) is None
    assert world.told == ["You have the newest tracktray, version 0.1.0."]
    assert world.asked == []


def test_automatic_checks_stay_silent_when_up_to_date(qtbot: QtBot, world: World) -> None:
    world.checker.version = "Linux_Qt-0.2.0"
    assert world.run_check(qtbot, world.checker.check_if_due) is None
    assert world.told == [] and world.asked == []


def test_local_mode_says_it_offers_no_updates_when_asked(
    qtbot: QtBot, world: World, tmp_path: Path
) -> None:
    world.accounts.append(open_local_backend(tmp_path / "data"))
    assert world.run_check(qtbot, world.checker.check_now) is None
    assert world.told == ["This account's server does not offer tracktray updates."]
    assert world.asked == []


def test_a_failed_check_is_retried_and_explained_only_when_asked(
    qtbot: QtBot, world: World, server: TmpServer, person: TestUser
) -> None:
    closed = socket.create_server(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now: connection refused, as when the server is down
    world.accounts.append(tmp_client(server, person, f"https://127.0.0.1:{port}/api/"))
    with qtbot.waitSignal(world.checker.failed, timeout=15_000):
        world.checker.check_if_due()
    assert world.told == [] and world.prefs[-1].last_update_check is None
    assert world.checker.is_due()  # the next poll tries again

    with qtbot.waitSignal(world.checker.failed, timeout=15_000):
        world.checker.check_now()
    assert len(world.told) == 1
    assert world.told[0].startswith("Could not check for updates: ")
    assert "Traceback" not in world.told[0], world.told


def test_a_clock_set_back_or_a_garbled_date_checks_again(world: World) -> None:
    world.prefs.append(Preferences(last_update_check="not a date"))
    assert world.checker.is_due()
    world.prefs.append(Preferences(last_update_check=(NOW + dt.timedelta(days=3)).isoformat()))
    assert world.checker.is_due()
    world.prefs.append(Preferences(last_update_check=(NOW - dt.timedelta(hours=2)).isoformat()))
    assert not world.checker.is_due()


def test_an_automatic_find_also_notifies_with_a_download_action(
    qtbot: QtBot, world: World, browser: UrlCatcher
) -> None:
    tray = QSystemTrayIcon()
    notifier = Notifier(platform="win32")  # the balloon road: no bus needed
    notifier.set_fallback_tray(tray)
    world.checker.notifier = notifier
    with qtbot.waitSignal(notifier.delivered, timeout=5000):
        world.checker.check_if_due()
    with qtbot.waitSignal(notifier.action_invoked) as blocker:
        tray.messageClicked.emit()  # the person clicks the notification
    assert blocker.args == ["download"]
    assert browser.opened == [RELEASE_URL]
