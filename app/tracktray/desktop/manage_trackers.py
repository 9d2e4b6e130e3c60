"""Local mode's tracker management: add, rename, move under a parent, archive, restore.

Local accounts keep their trackers in the in-process engine, so the widget is the place
to edit them (a server's trackers are managed on the server). The window is a plain
non-modal window: its questions are asked in an inline panel
(:class:`~tracktray.desktop.tracker_editor.TrackerEditor`), never in a modal prompt, so the
tray answers clicks while it is open. Each change runs on the account's lane through
:meth:`Session.run_on_backend` and both lists redraw from what the engine returns; a
refusal shows the engine's own sentence. Archiving asks first and can be undone from the
*Archived* list.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracktray.accounts import Backend, TrackerManager
from tracktray.desktop.session import Session
from tracktray.desktop.tracker_editor import EditMode, TrackerEditor
from tracktray.desktop.windows import place_centred
from tracktray.domain import Tracker, TrackerTree
from tracktray.i18n import _, ngettext

__all__ = ["ManageTrackersDialog", "TrackerManager", "archive_sentence"]


def archive_sentence(
    tree: TrackerTree, tracker: Tracker, *, running_id: int | None, default_id: int | None
) -> str:
    """What archiving ``tracker`` does, said before it is done."""
    doomed = _subtree(tree, tracker.id)
    subs = len(doomed) - 1
    question = (
        ngettext(
            "Archive “{tracker}” and its {count} sub-tracker?",
            "Archive “{tracker}” and its {count} sub-trackers?",
            subs,
        )
        if subs
        else _("Archive “{tracker}”?")
    ).format(tracker=tracker.display_path, count=subs)
    parts = [
        question
        + " "
        + _(
            "It leaves the menu; its recorded time stays in reports, and Restore below "
            "brings it back."
        )
    ]
    if running_id is not None and running_id in doomed:
        parts.append(
            _(
                "It is running now: the block keeps running until you stop or switch, "
                "and it cannot be started again until it is restored."
            )
        )
    if default_id is not None and default_id in doomed:
        heir = next((t for t in tree if t.id not in doomed and t.trackable), None)
        parts.append(
            _("It is your default tracker: “{display_path}” becomes the default.").format(
                display_path=heir.display_path
            )
            if heir is not None
            else _("It is your default tracker and no tracker is left: add one to start again.")
        )
    return " ".join(parts)


def _subtree(tree: TrackerTree, tracker_id: int) -> set[int]:
    out = {tracker_id}
    for t in tree:  # tree order: a parent comes before its children
        if t.parent_id in out:
            out.add(t.id)
    return out


class ManageTrackersDialog(QWidget):
    #: a change finished: (True, "") or (False, the sentence shown)
    finished_change = Signal(bool, str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(_("Manage trackers"))
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(440, 480)
        place_centred(self)
        self._session = session
        self._archived = TrackerTree()
        self._archive_target: int | None = None
        self.list = QListWidget()
        self.list.itemDoubleClicked.connect(lambda _item: self.begin_rename())
        self.add_button = QPushButton(_("&Add…"))
        self.rename_button = QPushButton(_("&Rename…"))
        self.move_button = QPushButton(_("&Move under…"))
        self.archive_button = QPushButton(_("Ar&chive…"))
        self.add_button.clicked.connect(self.begin_add)
        self.rename_button.clicked.connect(self.begin_rename)
        self.move_button.clicked.connect(self.begin_move)
        self.archive_button.clicked.connect(self.begin_archive)
        self.editor = TrackerEditor(self)
        self.editor.answered.connect(self._on_answered)
        self.archived_label = QLabel(_("Archived"))
        self.archived_list = QListWidget()
        self.archived_list.setMaximumHeight(110)
        self.restore_button = QPushButton(_("Re&store"))
        self.restore_button.clicked.connect(self._on_restore)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.close_button = QPushButton(_("C&lose"))
        self.close_button.clicked.connect(self.close)

        buttons = QHBoxLayout()
        for button in (self.add_button, self.rename_button, self.move_button, self.archive_button):
            buttons.addWidget(button)
        restore_row = QHBoxLayout()
        restore_row.addWidget(self.archived_label, 1)
        restore_row.addWidget(self.restore_button)
        closing = QHBoxLayout()
        closing.addStretch(1)
        closing.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.editor)
        layout.addLayout(restore_row)
        layout.addWidget(self.archived_list)
        layout.addWidget(self.message)
        layout.addLayout(closing)
        self.show_tree(session.tree)
        self.show_archived(TrackerTree())
        # a bound slot: Qt disconnects it when the dialog is deleted (a lambda would
        # outlive the dialog and touch a deleted widget)
        session.changed.connect(self._on_session_changed)
        self._change(None)  # fetch the archived list (and a fresh tree) off the Qt thread

    def _on_session_changed(self) -> None:
        self.show_tree(self._session.tree)

    def show_tree(self, tree: TrackerTree) -> None:
        selected = self.selected_id()
        self.list.clear()
        for tracker in tree:
            item = QListWidgetItem("    " * tracker.depth + tracker.name)
            item.setData(Qt.ItemDataRole.UserRole, tracker.id)
            item.setToolTip(tracker.display_path)
            self.list.addItem(item)
            if tracker.id == selected:
                self.list.setCurrentItem(item)

    def show_archived(self, archived: TrackerTree) -> None:
        self._archived = archived
        self.archived_list.clear()
        for tracker in archived:
            item = QListWidgetItem(tracker.display_path)
            item.setData(Qt.ItemDataRole.UserRole, tracker.id)
            self.archived_list.addItem(item)
        empty = not len(archived)
        self.archived_label.setText(
            _("Archived: none")
            if empty
            else _("Archived ({archived})").format(archived=len(archived))
        )
        self.archived_list.setVisible(not empty)
        self.restore_button.setEnabled(not empty)

    def selected_id(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def select(self, tracker_id: int | None) -> None:
        """Select ``tracker_id`` in the list (None: nothing selected)."""
        self.list.setCurrentRow(-1)
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == tracker_id:
                self.list.setCurrentItem(item)

    def _selected(self) -> Tracker | None:
        tracker_id = self.selected_id()
        tracker = self._session.tree.get(tracker_id) if tracker_id is not None else None
        if tracker is None:
            self.message.setText(_("Choose a tracker in the list first."))
        return tracker

    # -- the questions (the buttons, and tests, start here) ----------------------------

    def begin_add(self) -> None:
        """Ask for a name; the new tracker goes at the top level unless another parent is
        chosen in the "Under" box."""
        self.message.setText("")
        self.editor.ask_add(self._session.tree, None)

    def begin_rename(self) -> None:
        tracker = self._selected()
        if tracker is not None:
            self.editor.ask_rename(tracker)

    def begin_move(self) -> None:
        tracker = self._selected()
        if tracker is None:
            return
        below = _subtree(self._session.tree, tracker.id)
        self.editor.ask_move(tracker, [t for t in self._session.tree if t.id not in below])

    def begin_archive(self) -> None:
        tracker = self._selected()
        if tracker is None:
            return
        status = self._session.status
        running = status.running.tracker.id if status and status.running else None
        default = status.default_tracker.id if status and status.default_tracker else None
        self._archive_target = tracker.id
        self.editor.ask_archive(
            archive_sentence(self._session.tree, tracker, running_id=running, default_id=default)
        )

    def _on_answered(self, mode: EditMode, name: str, parent_id: int | None) -> None:
        selected = self.selected_id()
        if mode is EditMode.ADD:
            self.add_tracker(name, parent_id)
        elif mode is EditMode.RENAME and selected is not None:
            self.rename_tracker(selected, name)
        elif mode is EditMode.MOVE and selected is not None:
            self.move_tracker(selected, parent_id)
        elif mode is EditMode.ARCHIVE and self._archive_target is not None:
            self.archive_tracker(self._archive_target)

    def _on_restore(self) -> None:
        item = self.archived_list.currentItem()
        if item is None:
            self.message.setText(_("Choose an archived tracker first."))
            return
        self.restore_tracker(int(item.data(Qt.ItemDataRole.UserRole)))

    # -- the changes (public so tests and the buttons share one road) ---------------

    def add_tracker(self, name: str, parent_id: int | None = None) -> None:
        self._change(lambda m: m.add_tracker(name, parent_id))

    def rename_tracker(self, tracker_id: int, name: str) -> None:
        self._change(lambda m: m.rename_tracker(tracker_id, name))

    def move_tracker(self, tracker_id: int, new_parent_id: int | None) -> None:
        self._change(lambda m: m.move_tracker(tracker_id, new_parent_id))

    def archive_tracker(self, tracker_id: int) -> None:
        self._change(lambda m: m.archive_tracker(tracker_id))

    def restore_tracker(self, tracker_id: int) -> None:
        self._change(lambda m: m.restore_tracker(tracker_id))

    def _change(self, call: Callable[[TrackerManager], Any] | None) -> None:
        def work(backend: Backend) -> tuple[TrackerTree, TrackerTree]:
            if not isinstance(backend, TrackerManager):
                raise TypeError("this account's trackers are managed on its server")
            if call is not None:
                call(backend)
            return backend.trackers(), backend.archived_trackers()

        def done(trees: tuple[TrackerTree, TrackerTree]) -> None:
            if not shiboken6.isValid(self):
                return  # closed while the engine worked
            tree, archived = trees
            self.message.setText("")
            if call is not None:
                self._session.tree = tree
                self._session.refresh_tree()  # the status too: the default may have moved
            self.show_tree(tree)
            self.show_archived(archived)
            if call is not None:
                self.finished_change.emit(True, "")

        def failed(exc: Exception) -> None:
            if not shiboken6.isValid(self):
                return
            self.message.setText(str(exc))
            if call is not None:
                self.finished_change.emit(False, str(exc))

        self._session.run_on_backend(work, done, failed)
