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
from PySide6.QtWidgets import QSystemTrayIcon, QWidget
from pytestqt.qtbot import QtBot

from tests.support.clock import FakeClock
from tests.support.https_server import TrackMyPeopleServer, start_trackmypeople_server
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


# -- the checker -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TrackMyPeopleServer]:
    """A server of our own: these tests change its release table."""
    server = start_trackmypeople_server(tmp_path_factory.mktemp("update-server"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def person(server: TrackMyPeopleServer) -> TestUser:
    return server.new_user()


def trackmypeople_client(
    server: TrackMyPeopleServer, person: TestUser, url: str | None = None
) -> Backend:
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
    account_ids: list[str]
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
    qtbot: QtBot, server: TrackMyPeopleServer, person: TestUser, monkeypatch: pytest.MonkeyPatch
) -> Iterator[World]:
    server.engine.set_release("Linux_Qt", "0.2.0", RELEASE_URL)
    bridge = TaskBridge()
    # The account in use; a test may switch it (local mode, a server that is down).
    accounts = [trackmypeople_client(server, person)]
    account_ids = ["alice"]

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
        check: UpdateCheck,
        parent: QWidget | None,
        answer: Callable[[UpdateChoice], None],
        **options: object,
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
        account_id=lambda: account_ids[-1],
        clock=clock,
        version="Linux_Qt-0.1.0",
    )
    answered: list[object] = []
    checker.checked.connect(answered.append)
    yield World(checker, accounts, account_ids, clock, prefs, asked, told, answers, answered)
    bridge.shutdown()
    for account in accounts:
        account.close()


def test_an_automatic_find_is_a_menu_entry_not_a_window(qtbot: QtBot, world: World) -> None:
    found = world.run_check(qtbot, world.checker.check_if_due)
    assert isinstance(found, UpdateCheck)
    assert (found.up_to_date, found.url) == (False, RELEASE_URL)
    assert world.asked == []  # nothing pops up by itself
    assert world.checker.available == found
    assert world.checker.menu_label() == "Update 0.2.0 available…"
    assert world.prefs[-1].update_checks == {"alice": NOW.isoformat()}

    world.checker.show_offer()  # the menu entry
    assert world.asked == [found]
    assert world.prefs[-1].skipped_version is None  # "Later" remembers nothing
    assert world.checker.available == found  # and the entry stays


def test_the_server_is_asked_at_most_once_a_day(qtbot: QtBot, world: World) -> None:
    world.run_check(qtbot, world.checker.check_if_due)
    world.clock.advance(hours=23, minutes=59)
    with qtbot.assertNotEmitted(world.checker.checked, wait=100):
        world.checker.check_if_due()
    world.clock.advance(minutes=1)
    world.run_check(qtbot, world.checker.check_if_due)
    assert len(world.answered) == 2


def test_each_account_remembers_its_own_check(
    qtbot: QtBot, world: World, server: TrackMyPeopleServer, person: TestUser, tmp_path: Path
) -> None:
    """Issue 11: a manual check in local mode silenced every other account for a day."""
    world.accounts.append(open_local_backend(tmp_path / "data"))
    world.account_ids.append("local")
    world.run_check(qtbot, world.checker.check_now)  # "Check for updates" in local mode
    world.account_ids.append("alice")
    world.accounts.append(trackmypeople_client(server, person))
    assert world.checker.is_due()
    found = world.run_check(qtbot, world.checker.check_if_due)
    assert found is not None and world.checker.available == found

    world.account_ids.append("bob")  # another server account has its own day
    assert world.checker.is_due()
    world.account_ids.append("alice")
    assert not world.checker.is_due()


def test_a_skipped_version_is_not_offered_again_until_asked(qtbot: QtBot, world: World) -> None:
    world.answers[0] = UpdateChoice.SKIP
    world.run_check(qtbot, world.checker.check_if_due)
    world.checker.show_offer()
    # The engine's answer names the version (an extra key; a vendor's names only the URL)
    assert world.prefs[-1].skipped_version == "0.2.0"
    assert world.checker.available is None and world.checker.menu_label() is None

    world.clock.advance(days=2)
    assert world.run_check(qtbot, world.checker.check_if_due) is not None  # still newer...
    assert world.checker.available is None  # ...but not offered again
    assert len(world.asked) == 1

    world.run_check(qtbot, world.checker.check_now)  # "Check for updates" shows it anyway
    assert len(world.asked) == 2


def test_a_release_newer_than_the_skipped_one_is_offered(
    qtbot: QtBot, world: World, server: TrackMyPeopleServer
) -> None:
    world.prefs.append(Preferences(skipped_version=RELEASE_URL))
    newer_url = RELEASE_URL.replace("0.2.0", "0.3.0")
    server.engine.set_release("Linux_Qt", "0.3.0", newer_url)
    world.run_check(qtbot, world.checker.check_if_due)
    assert world.checker.available is not None and world.checker.available.url == newer_url


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
    qtbot: QtBot, world: World, server: TrackMyPeopleServer, person: TestUser
) -> None:
    closed = socket.create_server(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now: connection refused, as when the server is down
    world.accounts.append(trackmypeople_client(server, person, f"https://127.0.0.1:{port}/api/"))
    with qtbot.waitSignal(world.checker.failed, timeout=15_000):
        world.checker.check_if_due()
    assert world.told == [] and world.prefs[-1].update_checks == {}
    assert world.checker.is_due()  # the next poll tries again

    with qtbot.waitSignal(world.checker.failed, timeout=15_000):
        world.checker.check_now()
    assert len(world.told) == 1
    assert world.told[0].startswith("Could not check for updates: ")
    assert "Traceback" not in world.told[0], world.told


def test_a_server_without_a_release_for_us_is_asked_the_next_day_not_at_every_poll(
    qtbot: QtBot, world: World
) -> None:
    # the server keeps releases for Linux only, so it refuses this version: an answer
    world.checker.version = "Windows_Qt-0.1.0"
    with qtbot.waitSignal(world.checker.failed, timeout=10_000):
        world.checker.check_if_due()
    assert world.prefs[-1].update_checks == {"alice": NOW.isoformat()}
    assert not world.checker.is_due()  # the next poll sends no second request
    world.clock.advance(hours=24)
    assert world.checker.is_due()


def test_a_clock_set_back_or_a_garbled_date_checks_again(world: World) -> None:
    def last_check(when: str) -> Preferences:
        return Preferences(update_checks={"alice": when})

    world.prefs.append(last_check("not a date"))
    assert world.checker.is_due()
    world.prefs.append(last_check((NOW + dt.timedelta(days=3)).isoformat()))
    assert world.checker.is_due()
    world.prefs.append(last_check((NOW - dt.timedelta(hours=2)).isoformat()))
    assert not world.checker.is_due()


def notifying(world: World, qtbot: QtBot) -> tuple[QSystemTrayIcon, Notifier]:
    tray = QSystemTrayIcon()
    notifier = Notifier(platform="win32")  # the balloon road: no bus needed
    notifier.set_fallback_tray(tray)
    world.checker.notifier = notifier
    return tray, notifier


def test_an_automatic_find_notifies_once_and_its_action_opens_the_offer(
    qtbot: QtBot, world: World
) -> None:
    tray, notifier = notifying(world, qtbot)
    with qtbot.waitSignal(notifier.delivered, timeout=5000):
        world.checker.check_if_due()
    assert world.asked == []
    with qtbot.waitSignal(notifier.action_invoked) as blocker:
        tray.messageClicked.emit()  # the person clicks the notification
    assert blocker.args == ["show-update"]
    assert len(world.asked) == 1
    assert world.prefs[-1].notified_version == "0.2.0"

    # the next day the same release is still on the menu, but not notified again
    world.clock.advance(days=1)
    with qtbot.assertNotEmitted(notifier.delivered, wait=300):
        world.run_check(qtbot, world.checker.check_if_due)
    assert world.checker.available is not None


def test_nothing_is_announced_at_the_very_first_launch(qtbot: QtBot, world: World) -> None:
    _tray, notifier = notifying(world, qtbot)
    world.checker.first_launch = True
    with qtbot.assertNotEmitted(notifier.delivered, wait=300):
        world.run_check(qtbot, world.checker.check_if_due)
    assert world.asked == [] and world.checker.available is not None
    assert world.prefs[-1].notified_version is None  # announced at the next launch
