"""The update offer window: non-modal, no nested event loop, and a Download that can fail.

The window is the real one (nothing replaced); the end-to-end test in
``tests/e2e/test_update_offer.py`` clicks the real tray icon while it is open.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from tracktray.desktop.update import UpdateChoice, UpdateDialog
from tracktray.desktop.update_offer import NO_BROWSER
from tracktray.domain import UpdateCheck

RELEASE_URL = "https://downloads.tracktray.example/tracktray-0.2.0"


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
    # the stub says bytes; PySide6 itself accepts only a str here
    QDesktopServices.setUrlHandler("https", catcher, "open")  # type: ignore[arg-type]
    yield catcher
    QDesktopServices.unsetUrlHandler("https")


def shown_dialog(qtbot: QtBot, check: UpdateCheck) -> UpdateDialog:
    dialog = UpdateDialog(check)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_the_offer_is_a_plain_non_modal_window(qtbot: QtBot) -> None:
    """Issue 11: a QMessageBox is application-modal even when shown with show()."""
    dialog = shown_dialog(qtbot, UpdateCheck(False, RELEASE_URL, "0.2.0"))
    assert not isinstance(dialog, QMessageBox)
    assert dialog.windowModality() is Qt.WindowModality.NonModal
    assert not dialog.isModal()
    assert QApplication.activeModalWidget() is None


def test_download_opens_the_release_page_in_the_browser(qtbot: QtBot, browser: UrlCatcher) -> None:
    dialog = shown_dialog(qtbot, UpdateCheck(False, RELEASE_URL, "0.2.0"))
    assert dialog.text() == "tracktray 0.2.0 is available. You have version 0.1.0."
    assert [b.text() for b in dialog.buttons()] == ["Download", "Later", "Skip this version"]
    dialog.download_button.click()
    assert dialog.choice is UpdateChoice.DOWNLOAD
    assert browser.opened == [RELEASE_URL]
    assert not dialog.isVisible()


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


def test_a_download_no_browser_could_open_says_so_and_offers_the_link(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 11: Download on a machine with no browser failed silently."""
    # What Qt answers where no browser is configured (no xdg-open, no $BROWSER).
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: False)
    answers: list[UpdateChoice] = []
    dialog = UpdateDialog.ask(UpdateCheck(False, RELEASE_URL, "0.2.0"), None, answers.append)
    qtbot.addWidget(dialog)
    dialog.download_button.click()
    assert dialog.isVisible() and answers == []  # still there, with the way out
    assert dialog.problem.isVisible() and dialog.problem.text() == NO_BROWSER
    assert dialog.copy_button.isVisible()
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == RELEASE_URL
    assert RELEASE_URL in dialog.problem.text()
    dialog.later_button.click()
    qtbot.waitUntil(lambda: answers == [UpdateChoice.LATER])


def test_ask_returns_at_once_and_the_choice_arrives_when_clicked(
    qtbot: QtBot, browser: UrlCatcher
) -> None:
    answers: list[UpdateChoice] = []
    dialog = UpdateDialog.ask(UpdateCheck(False, RELEASE_URL, "0.2.0"), None, answers.append)
    # No nested event loop: ask() has returned and the window waits on screen.
    assert dialog in QApplication.topLevelWidgets()
    assert dialog.isVisible() and answers == []
    dialog.skip_button.click()
    qtbot.waitUntil(lambda: answers == [UpdateChoice.SKIP])
    assert not dialog.isVisible()


def test_a_message_has_one_button(qtbot: QtBot) -> None:
    dialog = UpdateDialog.inform("You have the newest tracktray, version 0.1.0.")
    qtbot.addWidget(dialog)
    assert dialog.windowModality() is Qt.WindowModality.NonModal
    assert [b.text() for b in dialog.buttons()] == ["OK"]
    dialog.later_button.click()
    assert not dialog.isVisible()
