"""The update offer: a plain, non-modal window (never a QMessageBox, never ``exec()``).

``QMessageBox`` is application-modal by default even when shown with ``show()``: while
it is open the tray icon ignores clicks. This window is an ordinary top-level widget with
``Qt.NonModal`` set explicitly, so the tray keeps answering while the offer waits.

It offers Download (opens the release page; when no browser can open it, the window
says so and offers to copy the link), Later, and Skip this version. When the widget can
install the release itself (a verified download, see ``update_install``), Download says
"Install on quit" instead and the choice is :attr:`UpdateChoice.INSTALL`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

import tracktray
from tracktray.domain import UpdateCheck
from tracktray.i18n import N_, _

__all__ = ["UpdateChoice", "UpdateDialog", "release_name"]

NO_BROWSER = N_(
    "No web browser could open the download page. Copy the link and open it in a browser "
    "on this or another computer."
)


class UpdateChoice(enum.Enum):
    DOWNLOAD = "download"
    INSTALL = "install"
    LATER = "later"
    SKIP = "skip"


def release_name(check: UpdateCheck) -> str:
    """What identifies an offered release: its version, else its download address."""
    return check.version or check.url or ""


def _open_in_browser(url: str) -> bool:
    return QDesktopServices.openUrl(QUrl(url))


#: parentless offer windows being shown; Qt does not own them, so Python keeps them alive
_showing: set[QWidget] = set()


class UpdateDialog(QWidget):
    """Download / Later / Skip this version for one offered release (non-modal)."""

    #: the window closed; the choice is in :attr:`choice`
    finished = Signal(object)

    def __init__(
        self,
        check: UpdateCheck | None,
        parent: QWidget | None = None,
        *,
        message: str | None = None,
        can_install: bool = False,
        note: str | None = None,
        open_url: Callable[[str], bool] = _open_in_browser,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.setWindowTitle(_("tracktray update"))
        self._url = check.url if check is not None else None
        self._open_url = open_url
        self.choice = UpdateChoice.LATER
        self._done = False

        if check is None:
            text = message or ""
        else:
            newer = f"tracktray {check.version}" if check.version else _("A newer tracktray")
            text = _("{newer} is available. You have version {version}.").format(
                newer=newer, version=tracktray.__version__
            )
        self._text = QLabel(text)
        self._text.setWordWrap(True)
        details = (
            _("Download it from {url}").format(url=self._url)
            if check is not None and self._url
            else ""
        )
        if can_install:
            details = _(
                "tracktray downloads it in the background, checks its signature, and "
                "installs it when you quit. Nothing restarts without asking."
            )
        self._details = QLabel(note or details)
        self._details.setWordWrap(True)
        self._details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._details.setVisible(bool(self._details.text()))
        self.problem = QLabel("")
        self.problem.setWordWrap(True)
        self.problem.hide()

        row = QHBoxLayout()
        row.addStretch(1)
        self._buttons: list[QPushButton] = []
        self.download_button = self._button(
            row, _("Install on quit") if can_install else _("Download")
        )
        self.copy_button = self._button(row, _("Copy link"))
        self.copy_button.hide()
        self.later_button = self._button(row, _("Later") if check is not None else _("OK"))
        self.skip_button = self._button(row, _("Skip this version"))
        if check is None:  # only a message: one button
            self.download_button.hide()
            self.skip_button.hide()
            self.later_button.setDefault(True)
        else:
            self.download_button.setDefault(True)
        self._can_install = can_install
        self.download_button.clicked.connect(self._on_download)
        self.copy_button.clicked.connect(self._on_copy)
        self.later_button.clicked.connect(lambda: self._finish(UpdateChoice.LATER))
        self.skip_button.clicked.connect(lambda: self._finish(UpdateChoice.SKIP))

        layout = QVBoxLayout(self)
        layout.addWidget(self._text)
        layout.addWidget(self._details)
        layout.addWidget(self.problem)
        layout.addLayout(row)

    def _button(self, row: QHBoxLayout, label: str) -> QPushButton:
        button = QPushButton(label, self)
        row.addWidget(button)
        self._buttons.append(button)
        return button

    # -- what tests and people read --------------------------------------------------------

    def text(self) -> str:
        return self._text.text()

    def details(self) -> str:
        """The line under the offer: where to get it, or how it will be installed."""
        return self._details.text()

    def buttons(self) -> list[QPushButton]:
        """The buttons on offer, left to right (hidden ones left out)."""
        return [b for b in self._buttons if not b.isHidden()]

    # -- choices ----------------------------------------------------------------------------

    def _on_download(self) -> None:
        if self._can_install:
            self._finish(UpdateChoice.INSTALL)
            return
        if self._url and not self._open_url(self._url):
            # No browser (a bare server, a broken xdg-open): say so, keep the window, and
            # let the person take the link elsewhere.
            self.problem.setText(_(NO_BROWSER))
            self.problem.show()
            self.copy_button.show()
            self.copy_button.setDefault(True)
            return
        self._finish(UpdateChoice.DOWNLOAD)

    def _on_copy(self) -> None:
        if self._url:
            QGuiApplication.clipboard().setText(self._url)
            self.problem.setText(_("The link is copied: {url}").format(url=self._url))

    def _finish(self, choice: UpdateChoice) -> None:
        self.choice = choice
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._done:
            self._done = True
            self.finished.emit(self.choice)
        super().closeEvent(event)

    # -- showing ----------------------------------------------------------------------------

    @classmethod
    def ask(
        cls,
        check: UpdateCheck,
        parent: QWidget | None,
        answer: Callable[[UpdateChoice], None],
        *,
        can_install: bool = False,
        note: str | None = None,
    ) -> UpdateDialog:
        """Show the offer and return at once; ``answer`` gets the choice when it is made.

        Only ever called because the person asked (the menu entry, Check for updates, the
        notification's action): an automatic check never opens a window by itself.
        """
        dialog = cls(check, parent, can_install=can_install, note=note)
        _show(dialog, answer)
        return dialog

    @classmethod
    def inform(cls, text: str, parent: QWidget | None = None) -> UpdateDialog:
        """Answer a manual check that found nothing (same non-modal window, one button)."""
        dialog = cls(None, parent, message=text)
        _show(dialog, lambda _choice: None)
        return dialog


def _center(window: QWidget) -> None:
    """Centre on the screen, away from the tray (a desktop without a window manager would
    put it at the top left, over a tray docked there)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    window.adjustSize()
    frame = window.frameGeometry()
    frame.moveCenter(screen.availableGeometry().center())
    window.move(frame.topLeft())


def _show(dialog: UpdateDialog, answer: Callable[[UpdateChoice], None]) -> None:
    _showing.add(dialog)

    def finished(choice: UpdateChoice) -> None:
        _showing.discard(dialog)
        dialog.deleteLater()
        answer(choice)

    dialog.finished.connect(finished)
    _center(dialog)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
