"""The menu is built from state; every entry carries the command it runs."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from tracktray.desktop.commands import Command, Kind
from tracktray.desktop.menu import MenuModel, build_menu, find_action
from tracktray.domain import TrackerTree

TREE = TrackerTree.from_rows(
    [
        (1, 0, "Acme"),
        (2, 1, "Website"),
        (3, 2, "Design"),
        (4, 2, "Backend"),
        (5, 1, "Support"),
        (6, 0, "Internal"),
        (7, 1, "Holidays"),
    ]
)


@pytest.fixture
def menu(qtbot: QtBot) -> QMenu:
    m = QMenu()
    qtbot.addWidget(m)
    return m


def texts(menu: QMenu) -> list[str]:
    return [a.text() for a in menu.actions() if not a.isSeparator()]


def submenu(menu: QMenu, title: str) -> QMenu:
    for action in menu.actions():
        sub = action.menu()
        if action.text() == title and isinstance(sub, QMenu):
            return sub
    raise AssertionError(f"no submenu {title!r} in {texts(menu)}")


def recorder() -> tuple[list[Command], Callable[[Command], None]]:
    got: list[Command] = []
    return got, got.append


def running_model(**kw: object) -> MenuModel:
    base: dict[str, object] = dict(
        header="Website — since 09:12, 1 h 23 min",
        today="Today: 5 h 40 min",
        running_id=2,
        running_name="Website",
        can_track=True,
        can_describe=True,
        tree=TREE,
        recent_ids=[5, 2, 99],
        accounts=[("local", "This computer"), ("work", "Work")],
        active_account_id="work",
        is_server_account=True,
    )
    base.update(kw)
    return MenuModel(**base)  # type: ignore[arg-type]


def test_running_menu_reads_top_to_bottom(menu: QMenu) -> None:
    _got, dispatch = recorder()
    build_menu(menu, running_model(), dispatch)
    assert texts(menu) == [
        "Website — since 09:12, 1 h 23 min",
        "Stop Website",
        "Stop with a description…",
        "Switch to",
        "Switch with a description…",
        "Today: 5 h 40 min",
        "Account",
        "Settings…",
        "Check for updates",
        "Quit",
    ]
    assert not menu.actions()[0].isEnabled()  # the header is information, not a button


def test_switch_menu_nests_the_tree_checks_the_running_tracker_and_lists_recent_first(
    menu: QMenu,
) -> None:
    got, dispatch = recorder()
    build_menu(menu, running_model(), dispatch)
    switch = submenu(menu, "Switch to")
    # recent ones on top (unknown id 99 dropped), then the tree
    assert switch.actions()[0].text() == "Recent"  # a section heading
    assert texts(switch) == ["Acme / Support", "Acme / Website", "Acme", "Internal"]
    acme = submenu(switch, "Acme")
    assert texts(acme) == ["Acme", "Website", "Support"]
    website = submenu(acme, "Website")
    assert texts(website) == ["Website", "Design", "Backend"]
    assert website.actions()[0].isChecked()
    assert not website.actions()[2].isChecked()
    website.actions()[2].trigger()  # Design
    assert got == [Command(Kind.SWITCH, 3)]


def test_when_stopped_start_names_its_tracker_and_the_tree_starts(menu: QMenu) -> None:
    got, dispatch = recorder()
    model = running_model(
        header="Not tracking", running_id=None, running_name="", start_target=(5, "Support")
    )
    build_menu(menu, model, dispatch)
    assert "Start Support" in texts(menu)
    assert "Stop with a description…" not in texts(menu)
    action = find_action(menu, Command(Kind.START, 5))
    assert isinstance(action, QAction)
    action.trigger()
    internal = submenu(submenu(menu, "Switch to"), "Internal")
    assert texts(internal) == ["Internal", "Holidays"]  # a parent is trackable too
    find_action(menu, Command(Kind.START, 7)).trigger()  # type: ignore[union-attr]
    assert got == [Command(Kind.START, 5), Command(Kind.START, 7)]


def test_account_menu_switches_adds_and_signs_out(menu: QMenu) -> None:
    got, dispatch = recorder()
    build_menu(menu, running_model(), dispatch)
    accounts = submenu(menu, "Account")
    assert texts(accounts) == ["This computer", "Work", "Add server account…", "Sign out"]
    assert [a.isChecked() for a in accounts.actions()[:2]] == [False, True]
    accounts.actions()[0].trigger()
    assert got == [Command(Kind.USE_ACCOUNT, "local")]


def test_signed_out_offers_sign_in_instead_of_tracking(menu: QMenu) -> None:
    _got, dispatch = recorder()
    build_menu(menu, running_model(signed_out=True, running_id=None), dispatch)
    assert texts(menu)[1] == "Sign in…"
    assert "Switch to" not in texts(menu)
    assert "Sign in…" in texts(submenu(menu, "Account"))


def test_local_accounts_offer_tracker_management(menu: QMenu) -> None:
    _, dispatch = recorder()
    build_menu(menu, running_model(can_manage=True, is_server_account=False), dispatch)
    assert "Manage trackers…" in texts(menu)
    assert "Sign out" not in texts(submenu(menu, "Account"))


def test_a_long_tree_gets_a_filter_field_that_narrows_to_matching_paths(
    menu: QMenu, qtbot: QtBot
) -> None:
    got, dispatch = recorder()
    built = build_menu(menu, running_model(filter_threshold=3), dispatch)
    field = built.tracker_filter
    assert field is not None
    switch = built.switch_menu
    assert switch is not None

    def visible() -> list[str]:
        return [a.text() for a in switch.actions() if a.isVisible() and not a.isSeparator()]

    assert "Acme" in visible()
    field.setText("des")
    assert visible()[1:] == ["Acme / Website / Design"]
    qtbot.keyClick(field, "\r")
    assert got == [Command(Kind.SWITCH, 3)]
    field.clear()
    assert "Acme" in visible()


def test_rebuilding_replaces_every_entry(menu: QMenu) -> None:
    _, dispatch = recorder()
    build_menu(menu, running_model(), dispatch)
    build_menu(menu, running_model(header="Not tracking", running_id=None), dispatch)
    assert texts(menu).count("Account") == 1
    assert texts(menu)[0] == "Not tracking"


def test_time_entries_follow_the_account_and_carry_their_commands(menu: QMenu) -> None:
    got, dispatch = recorder()
    model = running_model(
        can_add_past=True, can_add_free=True, can_report=True, history_target="Work"
    )
    build_menu(menu, model, dispatch)
    shown = texts(menu)
    assert shown.index("Today: 5 h 40 min") < shown.index("Reports…")
    entries = ["Reports…", "Add time…", "Free time…", "Send local history to Work…"]
    assert [t for t in shown if t in entries] == entries
    for kind in (Kind.REPORTS, Kind.ADD_TIME, Kind.FREE_TIME, Kind.SEND_HISTORY):
        action = find_action(menu, Command(kind))
        assert action is not None
        action.trigger()
    assert [c.kind for c in got] == [
        Kind.REPORTS, Kind.ADD_TIME, Kind.FREE_TIME, Kind.SEND_HISTORY
    ]  # fmt: skip

    build_menu(menu, running_model(signed_out=True, can_report=True, can_add_past=True), dispatch)
    assert "Reports…" not in texts(menu) and "Add time…" not in texts(menu)
    build_menu(menu, running_model(), dispatch)  # an account without those capabilities
    assert not {"Reports…", "Add time…", "Free time…"} & set(texts(menu))
