"""The "Switch to ▸" submenu: the tracker tree as nested menus, recent ones first.

A tracker with children becomes a submenu whose first entry is the tracker itself, so
every level stays one click away. When the tree is long, a filter field at the top turns
the submenu into a flat list of the trackers whose path contains what was typed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLineEdit, QMenu, QWidgetAction

from tracktray.desktop.commands import Command, Kind
from tracktray.domain import Tracker, TrackerTree
from tracktray.i18n import _

__all__ = ["RECENT_COUNT", "fill_switch_menu"]

RECENT_COUNT = 5

Dispatch = Callable[[Command], None]


def fill_switch_menu(
    menu: QMenu,
    tree: TrackerTree,
    *,
    running_id: int | None,
    recent_ids: Sequence[int],
    dispatch: Dispatch,
    filter_threshold: int = 12,
) -> QLineEdit | None:
    """Fill ``menu``; returns the filter field when the tree is long enough to have one."""
    kind = Kind.SWITCH if running_id is not None else Kind.START

    def add(target: QMenu, tracker: Tracker, text: str) -> QAction:
        action = target.addAction(text)
        action.setCheckable(True)
        action.setChecked(tracker.id == running_id)
        command = Command(kind, tracker.id)
        action.setData(command)
        action.triggered.connect(lambda _checked=False, c=command: dispatch(c))
        return action

    trackable = [t for t in tree if t.trackable]
    field: QLineEdit | None = None
    if len(trackable) > filter_threshold:
        field = QLineEdit(menu)
        field.setPlaceholderText(_("Type to filter…"))
        field.setClearButtonEnabled(True)
        holder = QWidgetAction(menu)
        holder.setDefaultWidget(field)
        menu.addAction(holder)

    browse: list[QAction] = []
    recent = [t for t in (tree.get(i) for i in recent_ids) if t is not None and t.trackable]
    if recent:
        browse.append(menu.addSection(_("Recent")))
        browse.extend(add(menu, t, t.display_path) for t in recent[:RECENT_COUNT])
        browse.append(menu.addSeparator())
    for root in tree.roots():
        browse.append(_add_node(menu, tree, root, add))

    if field is not None:
        matches = [(t.display_path.casefold(), add(menu, t, t.display_path)) for t in trackable]
        for _path, action in matches:
            action.setVisible(False)

        def on_filter(text: str) -> None:
            query = text.strip().casefold()
            for action in browse:
                action.setVisible(not query)
            for path, action in matches:
                action.setVisible(bool(query) and query in path)

        def on_enter() -> None:
            first = next((a for _, a in matches if a.isVisible()), None)
            if first is not None:
                menu.close()
                first.trigger()

        field.textChanged.connect(on_filter)
        field.returnPressed.connect(on_enter)
    return field


def _add_node(
    menu: QMenu,
    tree: TrackerTree,
    tracker: Tracker,
    add: Callable[[QMenu, Tracker, str], QAction],
) -> QAction:
    children = tree.children(tracker.id)
    if not children:
        return add(menu, tracker, tracker.name)
    sub = menu.addMenu(tracker.name)
    if tracker.trackable:
        add(sub, tracker, tracker.name)
        sub.addSeparator()
    for child in children:
        _add_node(sub, tree, child, add)
    return sub.menuAction()
