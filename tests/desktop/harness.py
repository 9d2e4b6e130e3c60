"""Start the real tray app in a test: isolated stores and directories, notices recorded.

The app runs with its real collaborators (settings file, keyring backend of the test
environment, local engine or HTTPS client) under a temporary directory; only the poll
interval and the backoff are shortened so that waiting for a poll takes a second.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QSystemTrayIcon, QWidget
from pytestqt.qtbot import QtBot

from tracktray.desktop.backoff import Backoff
from tracktray.desktop.controller import TrayApp
from tracktray.desktop.icons import TrayState
from tracktray.desktop.session import Notice, OpenBackend, Phase
from tracktray.desktop.update import UpdateChoice, UpdateDialog
from tracktray.domain import UpdateCheck
from tracktray.store.credentials import CredentialStore
from tracktray.store.settings import Settings, SettingsStore

TRIGGER = QSystemTrayIcon.ActivationReason.Trigger


@dataclass
class Harness:
    app: TrayApp
    qtbot: QtBot
    store: SettingsStore
    notices: list[Notice] = field(default_factory=list)

    def click(self) -> None:
        """A left click on the tray icon, as the panel delivers it."""
        self.app.view.icon.activated.emit(TRIGGER)

    @property
    def state(self) -> TrayState:
        return self.app.view.state

    def state_now(self) -> TrayState:
        """The state read again (mypy keeps a property narrowed across a click)."""
        return self.app.view.state

    def wait_state(self, state: TrayState, timeout: int = 10_000) -> None:
        self.qtbot.waitUntil(lambda: self.state is state, timeout=timeout)

    def wait_ready(self, timeout: int = 15_000) -> None:
        self.qtbot.waitUntil(
            lambda: self.app.session.phase is Phase.READY and not self.app.session.waiting,
            timeout=timeout,
        )

    def wait_idle(self, timeout: int = 10_000) -> None:
        """Every queued task (settings writes included) has finished."""
        self.qtbot.waitUntil(lambda: self.app.bridge.pending == 0, timeout=timeout)

    def wait_notice(self, text: str, timeout: int = 10_000) -> Notice:
        def seen() -> None:
            assert any(text in n.body or text in n.title for n in self.notices), self.notices

        self.qtbot.waitUntil(seen, timeout=timeout)
        return next(n for n in self.notices if text in n.body or text in n.title)

    def open_menu(self) -> None:
        """What happens when the menu is about to show (rebuilt, then a poll)."""
        self.app.view.menu.aboutToShow.emit()


@pytest.fixture
def update_dialogs(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[Any]]:
    """The update dialog stands in: it records what it would ask and answers Later.

    Any server account may be offered an update (the shared test server's release table
    is set by other tests), so every app in a test gets this stand-in.
    """
    seen: dict[str, list[Any]] = {"asked": [], "told": []}

    def ask(
        check: UpdateCheck,
        parent: QWidget | None,
        answer: Callable[[UpdateChoice], None],
        **options: object,
    ) -> None:
        seen["asked"].append(check)
        answer(seen.get("answer", [UpdateChoice.LATER])[-1])

    monkeypatch.setattr(UpdateDialog, "ask", ask)
    monkeypatch.setattr(UpdateDialog, "inform", lambda text, parent=None: seen["told"].append(text))
    return seen


@pytest.fixture
def make_app(
    qtbot: QtBot, tmp_path: Path, update_dialogs: dict[str, list[Any]]
) -> Iterator[object]:
    harnesses: list[Harness] = []

    def make(
        settings: Settings | None = None,
        *,
        credentials: CredentialStore | None = None,
        config_dir: Path | None = None,
        data_dir: Path | None = None,
        tray_available: bool = True,
        clock: Callable[[], dt.datetime] | None = None,
        open_backend: OpenBackend | None = None,
    ) -> Harness:
        store = SettingsStore(config_dir or tmp_path / "config")
        if settings is not None:
            store.save(settings)
        app = TrayApp(
            settings_store=store,
            credentials=credentials or CredentialStore(),
            data_dir=data_dir or tmp_path / "data",
            tray_available=tray_available,
            backoff=Backoff(base_s=0.2, cap_s=1.0),
            quit_app=lambda: None,
            clock=clock or (lambda: dt.datetime.now(dt.UTC)),
            open_backend=open_backend,
        )
        harness = Harness(app, qtbot, store)
        app.announced.connect(harness.notices.append)
        harnesses.append(harness)
        app.start()
        return harness

    yield make
    for harness in harnesses:
        harness.app.shutdown()
