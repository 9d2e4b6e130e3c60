"""Local mode's tracker management: add, rename, move under a parent, archive.

Local accounts keep their trackers in the in-process engine, so the widget is the place
to edit them (a server's trackers are managed on the server). Each change runs on the
account's lane through :meth:`Session.run_on_backend` and the list redraws from the
tree the engine returns; a refusal shows the engine's own sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracktray.accounts import Backend
from tracktray.desktop.session import Session
from tracktray.domain import TrackerTree

__all__ = ["ManageTrackersDialog", "TrackerManager"]


@runtime_checkable
class TrackerManager(Protocol):
    """The extra methods of an account with ``Capability.MANAGE_TRACKERS``."""

    def add_tracker(self, name: str, parent_id: int | None = None) -> int: ...

    def rename_tracker(self, tracker_id: int, name: str) -> None: ...

    def move_tracker(self, tracker_id: int, new_parent_id: int | None) -> None: ...

    def archive_tracker(self, tracker_id: int) -> None: ...


class ManageTrackersDialog(QDialog):
    #: a change finished: (True, "") or (False, the sentence shown)
    finished_change = Signal(bool, str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Manage trackers")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._session = session
        self.list = QListWidget()
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.add_button = QPushButton("Add…")
        self.rename_button = QPushButton("Rename…")
        self.move_button = QPushButton("Move under…")
        self.archive_button = QPushButton("Archive")
        self.add_button.clicked.connect(self._on_add)
        self.rename_button.clicked.connect(self._on_rename)
        self.move_button.clicked.connect(self._on_move)
        self.archive_button.clicked.connect(self._on_archive)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.rename_button, self.move_button, self.archive_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.show_tree(session.tree)
        # a bound slot: Qt disconnects it when the dialog is deleted (a lambda would
        # outlive the dialog and touch a deleted widget)
        session.changed.connect(self._on_session_changed)

    def _on_session_changed(self) -> None:
        self.show_tree(self._session.tree)

    def show_tree(self, tree: TrackerTree) -> None:
        selected = self.selected_id()
        self.list.clear()
        for tracker in tree:
            item = QListWidgetItem("    " * tracker.depth + tracker.name)
            item.setData(Qt.ItemDataRole.UserRole, tracker.id)
            self.list.addItem(item)
            if tracker.id == selected:
                self.list.setCurrentItem(item)

    def selected_id(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    # -- the four changes (public so tests and the buttons share one road) ---------------

    def add_tracker(self, name: str, parent_id: int | None = None) -> None:
        self._change(lambda m: m.add_tracker(name, parent_id))

    def rename_tracker(self, tracker_id: int, name: str) -> None:
        self._change(lambda m: m.rename_tracker(tracker_id, name))

    def move_tracker(self, tracker_id: int, new_parent_id: int | None) -> None:
        self._change(lambda m: m.move_tracker(tracker_id, new_parent_id))

    def archive_tracker(self, tracker_id: int) -> None:
        self._change(lambda m: m.archive_tracker(tracker_id))

    def _change(self, call: Callable[[TrackerManager], Any]) -> None:
        def work(backend: Backend) -> TrackerTree:
            if not isinstance(backend, TrackerManager):
                raise TypeError("this account's trackers are managed on its server")
            call(backend)
            return backend.trackers()

        def done(tree: TrackerTree) -> None:
            self.message.setText("")
            self._session.tree = tree
            self._session.refresh_tree()
            self.show_tree(tree)
            self.finished_change.emit(True, "")

        def failed(exc: Exception) -> None:
            self.message.setText(str(exc))
            self.finished_change.emit(False, str(exc))

        self._session.run_on_backend(work, done, failed)

    # -- buttons -------------------------------------------------------------------------

    def _on_add(self) -> None:
        name, ok = QInputDialog.getText(self, "Add tracker", "Name of the new tracker:")
        if ok and name.strip():
            self.add_tracker(name.strip(), self.selected_id())

    def _on_rename(self) -> None:
        tracker_id = self.selected_id()
        tracker = self._session.tree.get(tracker_id) if tracker_id is not None else None
        if tracker is None:
            self.message.setText("Choose a tracker first.")
            return
        name, ok = QInputDialog.getText(self, "Rename tracker", "New name:", text=tracker.name)
        if ok and name.strip():
            self.rename_tracker(tracker.id, name.strip())

    def _on_move(self) -> None:
        tracker_id = self.selected_id()
        if tracker_id is None:
            self.message.setText("Choose a tracker first.")
            return
        others = [t for t in self._session.tree if t.id != tracker_id]
        choices = ["(top level)", *(t.display_path for t in others)]
        ids: list[int | None] = [None, *(t.id for t in others)]
        name, ok = QInputDialog.getItem(self, "Move tracker", "Move under:", choices, 0, False)
        if ok:
            self.move_tracker(tracker_id, ids[choices.index(name)])

    def _on_archive(self) -> None:
        tracker_id = self.selected_id()
        if tracker_id is None:
            self.message.setText("Choose a tracker first.")
            return
        self.archive_tracker(tracker_id)
