"""The only way the widget shows a window: non-modal, no nested event loop, in front.

``QDialog`` and ``QMessageBox`` are easy to make modal by accident (``exec()``, the static
question and text-input helpers of ``QMessageBox`` and ``QInputDialog``, and ``QMessageBox`` is
application-modal by default even when shown with ``show()``). A modal window, or a
nested event loop, leaves the tray icon dead while it is open and throws the person's
clicks away. So every window goes through :func:`present`, which clears the modality
before showing; answers arrive through callbacks (:func:`confirm`).

:class:`Windows` keeps the open windows by kind, replaces one of a kind with the newer
one, and closes the windows bound to an account when another account becomes active (an
Attendances window must not go on talking to a closed client).
``tests/desktop/test_no_modal.py`` fails when a modal widget or ``exec()`` appears
anywhere else in the desktop package.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from tracktray.i18n import _

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

__all__ = ["Windows", "confirm", "present"]


def present(window: QWidget) -> None:
    """Show ``window`` without modality, in front, with the keyboard focus."""
    # not at start-up: ``Qt`` builds ~100 enums when first used
    from PySide6.QtCore import Qt

    from tracktray.desktop.windows import place_centred

    window.setWindowModality(Qt.WindowModality.NonModal)
    if not window.isVisible():
        place_centred(window)  # clear of the panel and its tray, where the person looks
    window.show()
    window.raise_()
    window.activateWindow()


def confirm(
    parent: QWidget | None,
    title: str,
    question: str,
    answer: Callable[[bool], None],
    *,
    yes: str | None = None,
) -> QMessageBox:
    """Ask a yes/no question in a non-modal box; ``answer`` gets the choice (False if closed)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(
        QMessageBox.Icon.Question, title, question, QMessageBox.StandardButton.NoButton, parent
    )
    # a parented box would be a sheet of its parent; a separate window stays non-modal
    box.setWindowFlag(Qt.WindowType.Window, True)
    yes_button = box.addButton(yes or _("Yes"), QMessageBox.ButtonRole.YesRole)
    box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    answered: list[bool] = []

    def finished(_result: int) -> None:
        if not answered:
            answered.append(True)
            answer(box.clickedButton() is yes_button)

    box.finished.connect(finished)
    present(box)
    return box


@dataclass
class _Open:
    window: QWidget
    account_id: str | None


class Windows(QObject):
    """The windows the app has open, one per kind (tests reach them through ``dialogs``)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._open: dict[str, _Open] = {}

    @property
    def by_kind(self) -> dict[str, QWidget]:
        return {key: entry.window for key, entry in self._open.items()}

    def show(self, key: str, window: QWidget, *, account_id: str | None = None) -> None:
        """Show ``window`` as the one of kind ``key`` (closing an older one of that kind)."""
        old = self._open.pop(key, None)
        if old is not None and old.window is not window:
            old.window.close()
        self._open[key] = _Open(window, account_id)
        window.destroyed.connect(lambda *_: self._forget(key, window))
        present(window)

    def close_bound(self, *, keep_account: str | None) -> None:
        """Close the windows bound to an account other than ``keep_account``."""
        for key, entry in list(self._open.items()):
            if entry.account_id is not None and entry.account_id != keep_account:
                self._open.pop(key, None)
                entry.window.close()

    def close_all(self) -> None:
        for entry in list(self._open.values()):
            entry.window.close()
        self._open.clear()

    def _forget(self, key: str, window: QWidget) -> None:
        entry = self._open.get(key)
        if entry is not None and entry.window is window:
            del self._open[key]
