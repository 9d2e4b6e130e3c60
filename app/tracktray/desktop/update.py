"""Widget updates: the protocol's version string, when to ask the server, what to show.

- :func:`platform_version_string` builds ``checkVersion``'s ``<Platform>_Qt-<version>``.
- :class:`UpdateChecker` decides WHEN: at start and then at most once a day (the time of
  the last answer is kept in ``Preferences.last_update_check``), and always when the
  person picks "Check for updates". The call itself runs on the account's lane through
  the session's ``run_on_backend`` (the task bridge): never on the UI thread.
- :class:`UpdateDialog` asks WHAT to do with a newer release: Download (opens the page in
  the browser), Later, or Skip this version (remembered in ``Preferences.skipped_version``,
  so automatic checks stop offering it; a manual check still shows it).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import logging
import sys
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

import tracktray
from tracktray.contracts.backend import Backend, Capability
from tracktray.domain import UpdateCheck
from tracktray.domain.parsing import format_widget_version
from tracktray.store.settings import Preferences

__all__ = ["UpdateChecker", "UpdateChoice", "UpdateDialog", "platform_version_string"]

_log = logging.getLogger(__name__)

CHECK_INTERVAL = dt.timedelta(days=1)


def platform_version_string(
    version: str = tracktray.__version__, platform: str = sys.platform
) -> str:
    """``Linux_Qt-0.1.0``, ``Windows_Qt-0.1.0`` or ``Mac_Qt-0.1.0`` (protocol format)."""
    return format_widget_version(version, platform)


class UpdateChoice(enum.Enum):
    DOWNLOAD = "download"
    LATER = "later"
    SKIP = "skip"


def _release_name(check: UpdateCheck) -> str:
    """What identifies an offered release: its version, else its download address."""
    return check.version or check.url or ""


class UpdateDialog(QMessageBox):
    """Download / Later / Skip this version for one offered release."""

    def __init__(self, check: UpdateCheck, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._url = check.url
        self.setIcon(QMessageBox.Icon.Information)
        self.setWindowTitle("tracktray update")
        newer = f"tracktray {check.version}" if check.version else "A newer tracktray"
        self.setText(f"{newer} is available. You have version {tracktray.__version__}.")
        if check.url:
            self.setInformativeText(f"Download it from {check.url}")
        self.download_button = self.addButton("Download", QMessageBox.ButtonRole.AcceptRole)
        self.later_button = self.addButton("Later", QMessageBox.ButtonRole.RejectRole)
        self.skip_button = self.addButton(
            "Skip this version", QMessageBox.ButtonRole.DestructiveRole
        )
        self.setDefaultButton(self.download_button)
        self.setEscapeButton(self.later_button)
        self.choice = UpdateChoice.LATER
        self.buttonClicked.connect(self._on_button_clicked)

    def _on_button_clicked(self, button: QAbstractButton) -> None:
        if button is self.download_button:
            self.choice = UpdateChoice.DOWNLOAD
            if self._url:
                QDesktopServices.openUrl(QUrl(self._url))
        elif button is self.skip_button:
            self.choice = UpdateChoice.SKIP
        else:
            self.choice = UpdateChoice.LATER

    @classmethod
    def ask(
        cls,
        check: UpdateCheck,
        parent: QWidget | None,
        answer: Callable[[UpdateChoice], None],
    ) -> None:
        """Show the dialog and return at once; ``answer`` gets the choice when it is made.

        Never ``exec()``: the offer comes from a poll's callback, and a nested event loop
        there would let later callbacks run inside this one. (Tests replace this method.)
        """
        dialog = cls(check, parent)
        _show_without_waiting(dialog, lambda: answer(dialog.choice))

    @classmethod
    def inform(cls, text: str, parent: QWidget | None = None) -> None:
        """Answer a manual check that found nothing (tests replace this method)."""
        box = QMessageBox(QMessageBox.Icon.Information, "tracktray update", text)
        if parent is not None:
            box.setParent(parent, box.windowFlags())
        _show_without_waiting(box, lambda: None)


#: parentless dialogs being shown; Qt does not own them, so Python must keep them alive
_showing: set[QMessageBox] = set()


def _show_without_waiting(box: QMessageBox, on_finished: Callable[[], None]) -> None:
    _showing.add(box)

    def finished(_result: int) -> None:
        _showing.discard(box)
        box.deleteLater()
        on_finished()

    box.finished.connect(finished)
    box.show()
    box.raise_()
    box.activateWindow()


class RunOnBackend(Protocol):
    """``Session.run_on_backend``: run ``work(backend)`` on the account's lane."""

    def __call__(
        self,
        work: Callable[[Backend], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[Exception], None],
    ) -> None: ...


class UpdateNotifier(Protocol):
    def notify(
        self,
        title: str,
        body: str,
        *,
        actions: tuple[tuple[str, str], ...] = (),
        on_action: Callable[[str], None] | None = None,
    ) -> None: ...


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _check(version: str) -> Callable[[Backend], UpdateCheck | None]:
    def work(backend: Backend) -> UpdateCheck | None:
        if Capability.CHECK_VERSION not in backend.capabilities:
            return None  # local mode and servers without widget releases
        return backend.check_version(version)

    return work


class UpdateChecker(QObject):
    """Asks the server for a newer widget when it is due, and offers what it finds."""

    #: a check finished: the newer release, or ``None`` when up to date / not offered
    checked = Signal(object)
    #: a check could not be made (the sentence says why); it is tried again later
    failed = Signal(str)

    def __init__(
        self,
        run_on_backend: RunOnBackend,
        *,
        preferences: Callable[[], Preferences],
        save_preferences: Callable[[Preferences], None],
        notifier: UpdateNotifier | None = None,
        dialog_parent: Callable[[], QWidget | None] = lambda: None,
        clock: Callable[[], dt.datetime] = _utc_now,
        version: str | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._run_on_backend = run_on_backend
        self._preferences = preferences
        self._save_preferences = save_preferences
        self.notifier = notifier
        self._dialog_parent = dialog_parent
        self._clock = clock
        self.version = version or platform_version_string()
        self._in_flight = False

    def is_due(self) -> bool:
        """True at first start and once the last answer is a day old (or in the future)."""
        last = _parse_time(self._preferences().last_update_check)
        if last is None:
            return True
        elapsed = self._clock() - last
        return elapsed >= CHECK_INTERVAL or elapsed < dt.timedelta(0)

    def check_if_due(self) -> None:
        """Cheap; call it at start and after every successful poll."""
        if self.is_due():
            self._start(manual=False)

    def check_now(self) -> None:
        """ "Check for updates" in the menu: always asks, always answers."""
        self._start(manual=True)

    def _start(self, *, manual: bool) -> None:
        if self._in_flight:
            return
        self._in_flight = True
        self._run_on_backend(
            _check(self.version),
            lambda result: self._on_answer(result, manual=manual),
            lambda exc: self._on_failure(exc, manual=manual),
        )

    def _on_answer(self, result: UpdateCheck | None, *, manual: bool) -> None:
        self._in_flight = False
        prefs = dataclasses.replace(
            self._preferences(), last_update_check=self._clock().isoformat()
        )
        self._save_preferences(prefs)
        newer = result if result is not None and not result.up_to_date else None
        self.checked.emit(newer)
        if newer is None:
            if manual:
                UpdateDialog.inform(
                    f"You have the newest tracktray, version {tracktray.__version__}."
                    if result is not None
                    else "This account's server does not offer tracktray updates.",
                    self._dialog_parent(),
                )
            return
        if not manual and _release_name(newer) == prefs.skipped_version:
            return
        self._offer(newer, automatic=not manual)

    def _on_failure(self, exc: Exception, *, manual: bool) -> None:
        self._in_flight = False
        _log.info("update check failed: %s", exc)
        self.failed.emit(str(exc))
        if manual:
            UpdateDialog.inform(f"Could not check for updates: {exc}", self._dialog_parent())

    def _offer(self, check: UpdateCheck, *, automatic: bool) -> None:
        if automatic and self.notifier is not None:
            url = check.url

            def on_action(key: str) -> None:
                if key == "download" and url:
                    QDesktopServices.openUrl(QUrl(url))

            self.notifier.notify(
                "tracktray update",
                f"tracktray {check.version} is available."
                if check.version
                else "A newer tracktray is available.",
                actions=(("download", "Download"),),
                on_action=on_action,
            )

        def remember(choice: UpdateChoice) -> None:
            if choice is UpdateChoice.SKIP:
                self._save_preferences(
                    dataclasses.replace(self._preferences(), skipped_version=_release_name(check))
                )

        UpdateDialog.ask(check, self._dialog_parent(), remember)


def _parse_time(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None  # a hand-edited file: check again rather than never
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
