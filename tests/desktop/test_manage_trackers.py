"""Manage trackers (local mode): the real window, driven through its buttons and panel.

No modal prompt is ever shown (the tray keeps answering while the window is open), the
questions are asked inline, archiving asks first and can be undone.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.desktop.harness import Harness
from tracktray.accounts.local import open_local_backend
from tracktray.desktop.commands import Command, Kind
from tracktray.desktop.icons import TrayState
from tracktray.desktop.manage_trackers import ManageTrackersDialog
from tracktray.desktop.menu import find_action
from tracktray.desktop.tracker_editor import EditMode

MakeApp = Callable[..., Harness]
LEFT = Qt.MouseButton.LeftButton


def open_dialog(h: Harness, qtbot: QtBot) -> ManageTrackersDialog:
    h.app.dispatch(Command(Kind.MANAGE_TRACKERS))
    dialog = h.app.dialogs["trackers"]
    assert isinstance(dialog, ManageTrackersDialog)
    qtbot.waitUntil(lambda: dialog.list.count() == len(h.app.session.tree))
    h.wait_idle()
    return dialog


def answer(qtbot: QtBot, dialog: ManageTrackersDialog, press: Callable[[], None]) -> None:
    """Press the panel's confirm button and wait for the engine's answer."""
    with qtbot.waitSignal(dialog.finished_change) as blocker:
        press()
    assert blocker.args == [True, ""], blocker.args


def test_the_window_is_not_modal_and_the_tray_answers_while_it_is_open(
    make_app: MakeApp, qtbot: QtBot
) -> None:
    h = make_app()
    h.wait_ready()
    dialog = open_dialog(h, qtbot)
    assert dialog.isVisible() and not dialog.isModal()
    assert dialog.windowModality() is Qt.WindowModality.NonModal
    qtbot.mouseClick(dialog.add_button, LEFT)
    assert dialog.editor.isVisible() and dialog.editor.mode is EditMode.ADD
    assert QApplication.activeModalWidget() is None
    h.click()  # the tray while the question is open
    h.wait_state(TrayState.RUNNING)
    qtbot.mouseClick(dialog.close_button, LEFT)
    qtbot.waitUntil(lambda: "trackers" not in h.app.dialogs)


def test_add_rename_move_through_the_inline_panel(make_app: MakeApp, qtbot: QtBot) -> None:
    h = make_app()
    h.wait_ready()
    dialog = open_dialog(h, qtbot)
    editor = dialog.editor

    # Add creates a top-level tracker unless a parent is chosen
    dialog.select(h.app.session.tree.find("General").id)
    qtbot.mouseClick(dialog.add_button, LEFT)
    assert editor.parent_box.currentText() == "(top level)"
    qtbot.keyClicks(editor.name_edit, "Acme")
    answer(qtbot, dialog, lambda: qtbot.keyClick(editor.name_edit, Qt.Key.Key_Return))
    acme = h.app.session.tree.find("Acme")
    assert acme.parent_id is None and not editor.isVisible()

    qtbot.mouseClick(dialog.add_button, LEFT)
    editor.choose_parent(acme.id)
    qtbot.keyClicks(editor.name_edit, "Website")
    answer(qtbot, dialog, lambda: qtbot.mouseClick(editor.confirm_button, LEFT))
    website = h.app.session.tree.find("Website")
    assert website.parent_id == acme.id

    # an empty name is refused in a sentence, nothing sent
    qtbot.mouseClick(dialog.add_button, LEFT)
    qtbot.mouseClick(editor.confirm_button, LEFT)
    assert editor.problem.text() == "Type a name first." and editor.isVisible()
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert not editor.isVisible()

    dialog.select(website.id)
    qtbot.mouseClick(dialog.rename_button, LEFT)
    assert editor.name_edit.text() == "Website"
    editor.name_edit.setText("Web site")
    answer(qtbot, dialog, lambda: qtbot.mouseClick(editor.confirm_button, LEFT))

    general = h.app.session.tree.find("General").id
    dialog.select(general)
    qtbot.mouseClick(dialog.move_button, LEFT)
    editor.choose_parent(acme.id)
    answer(qtbot, dialog, lambda: qtbot.mouseClick(editor.confirm_button, LEFT))
    assert [t.display_path for t in h.app.session.tree] == [
        "Acme", "Acme / General", "Acme / Web site"
    ]  # fmt: skip

    # Move offers neither the tracker itself nor its sub-trackers
    dialog.select(acme.id)
    qtbot.mouseClick(dialog.move_button, LEFT)
    offered = [editor.parent_box.itemText(i) for i in range(editor.parent_box.count())]
    assert offered == ["(top level)"]
    editor.cancel()

    # a refusal of the engine is shown in its own words and changes nothing
    with qtbot.waitSignal(dialog.finished_change) as blocker:
        dialog.move_tracker(acme.id, general)
    assert blocker.args[0] is False and dialog.message.text() == blocker.args[1]

    h.open_menu()
    built = h.app.view.built
    assert built is not None and built.switch_menu is not None
    assert find_action(built.switch_menu, Command(Kind.START, website.id)) is not None


def test_archiving_asks_says_what_happens_and_can_be_undone(
    make_app: MakeApp, qtbot: QtBot, tmp_path: Path
) -> None:
    backend = open_local_backend(tmp_path / "data")
    acme = backend.add_tracker("Acme")
    backend.add_tracker("Website", acme)
    backend.close()
    h = make_app()
    h.wait_ready()
    h.click()  # General (the default) runs
    h.wait_state(TrayState.RUNNING)
    h.wait_ready()
    dialog = open_dialog(h, qtbot)
    general = h.app.session.tree.find("General").id

    dialog.select(general)
    qtbot.mouseClick(dialog.archive_button, LEFT)
    question = dialog.editor.question.text()
    assert "Archive “General”?" in question
    assert "It is running now: the block keeps running until you stop" in question
    assert "It is your default tracker: “Acme” becomes the default." in question
    assert general in {t.id for t in h.app.session.tree}, "nothing happens before confirming"
    answer(qtbot, dialog, lambda: qtbot.mouseClick(dialog.editor.confirm_button, LEFT))
    assert general not in {t.id for t in h.app.session.tree}
    assert [dialog.archived_list.item(i).text() for i in range(dialog.archived_list.count())] == [
        "General"
    ]
    # the running block went on; the default moved to Acme
    qtbot.waitUntil(
        lambda: (
            h.app.session.status is not None
            and h.app.session.status.default_tracker is not None
            and h.app.session.status.default_tracker.name == "Acme"
        )
    )
    assert h.app.session.status is not None and h.app.session.status.running is not None

    # archiving a parent takes its sub-trackers along, and says so
    dialog.select(acme)
    qtbot.mouseClick(dialog.archive_button, LEFT)
    assert "Archive “Acme” and its 1 sub-tracker?" in dialog.editor.question.text()
    assert "no tracker is left" in dialog.editor.question.text()
    qtbot.mouseClick(dialog.editor.cancel_button, LEFT)

    # Restore brings it back
    dialog.archived_list.setCurrentRow(0)
    answer(qtbot, dialog, lambda: qtbot.mouseClick(dialog.restore_button, LEFT))
    assert general in {t.id for t in h.app.session.tree}
    assert dialog.archived_list.count() == 0 and not dialog.restore_button.isEnabled()
    assert dialog.archived_label.text() == "Archived: none"


def test_a_tree_of_200_trackers_is_listed_and_managed(
    make_app: MakeApp, qtbot: QtBot, tmp_path: Path
) -> None:
    backend = open_local_backend(tmp_path / "data")
    for group in range(20):
        parent = backend.add_tracker(f"Client {group:02d}")
        for project in range(9):
            backend.add_tracker(f"Project {project}", parent)
    backend.close()
    h = make_app()
    h.wait_ready()
    h.app.session.refresh_tree()
    qtbot.waitUntil(lambda: len(h.app.session.tree) == 201)
    dialog = open_dialog(h, qtbot)
    assert dialog.list.count() == 201
    target = h.app.session.tree.find("Client 19 / Project 8")
    dialog.select(target.id)
    qtbot.mouseClick(dialog.move_button, LEFT)
    assert dialog.editor.parent_box.count() == 201  # top level + 200 others
    dialog.editor.choose_parent(None)
    answer(qtbot, dialog, lambda: qtbot.mouseClick(dialog.editor.confirm_button, LEFT))
    assert h.app.session.tree.get(target.id).parent_id is None  # type: ignore[union-attr]
