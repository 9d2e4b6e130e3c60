"""The tray menu, built by one function from a snapshot of the widget's state.

:class:`MenuModel` is everything the menu shows, computed by the caller from the session;
:func:`build_menu` turns it into actions that each carry their :class:`Command`. The menu
is rebuilt whenever it is about to show, so it never displays stale entries.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLineEdit, QMenu

from tracktray.desktop.commands import Command, Kind
from tracktray.desktop.timetrack_menu import (
    TimeTrackMenu,
    add_clock_entries,
    add_timer_entries,
)
from tracktray.desktop.tracker_menu import fill_switch_menu
from tracktray.domain import TrackerTree
from tracktray.i18n import _

__all__ = ["BuiltMenu", "MenuModel", "build_menu", "find_action"]

Dispatch = Callable[[Command], None]


@dataclass(frozen=True, slots=True)
class MenuModel:
    header: str
    today: str
    #: the running tracker (None when stopped)
    running_id: int | None = None
    running_name: str = ""
    #: what a click on Start starts: (id, name), or None for the server's default
    start_target: tuple[int | None, str] | None = None
    #: tracking is possible now (an account with TRACK, signed in)
    can_track: bool = False
    can_describe: bool = False
    can_manage: bool = False
    tree: TrackerTree = field(default_factory=TrackerTree)
    recent_ids: Sequence[int] = ()
    #: (account id, label) of every configured account
    accounts: Sequence[tuple[str, str]] = ()
    active_account_id: str | None = None
    #: the active account is a server account (it can sign out / needs a sign-in)
    is_server_account: bool = False
    signed_out: bool = False
    filter_threshold: int = 12
    #: pause and attendance entries (None for accounts without those capabilities)
    timetrack: TimeTrackMenu | None = None
    #: "Update 2.3.0 available…" while a newer release is on offer, else None
    update_label: str | None = None
    #: Add time…, Free time…, Reports… (accounts with ADD_PAST, ADD_FREE, REPORT)
    can_add_past: bool = False
    can_add_free: bool = False
    can_report: bool = False
    #: the server account local history can be sent to ("" for none)
    history_target: str = ""


@dataclass(frozen=True, slots=True)
class BuiltMenu:
    """The entries that change while the menu stays open (the header ticks)."""

    header: QAction
    today: QAction
    switch_menu: QMenu | None
    tracker_filter: QLineEdit | None


def build_menu(menu: QMenu, model: MenuModel, dispatch: Dispatch) -> BuiltMenu:
    """Replace the content of ``menu`` with the entries ``model`` describes."""
    for child in menu.findChildren(QMenu):
        child.deleteLater()
    menu.clear()

    def entry(target: QMenu, text: str, command: Command, enabled: bool = True) -> QAction:
        action = target.addAction(text)
        action.setData(command)
        action.setEnabled(enabled)
        action.triggered.connect(lambda _checked=False, c=command: dispatch(c))
        return action

    header = menu.addAction(model.header)
    header.setEnabled(False)
    menu.addSeparator()

    switch_menu: QMenu | None = None
    tracker_filter: QLineEdit | None = None
    if model.signed_out:
        entry(menu, _("Sign in…"), Command(Kind.SIGN_IN))
    elif model.running_id is not None:
        entry(menu, f"Stop {model.running_name}", Command(Kind.STOP), model.can_track)
        if model.can_describe:
            entry(
                menu, _("Stop with a description…"), Command(Kind.STOP_DESCRIBED), model.can_track
            )
    else:
        target_id, target_name = model.start_target or (None, "")
        label = _("Start {tracker}").format(tracker=target_name) if target_name else _("Start")
        entry(menu, label, Command(Kind.START, target_id), model.can_track)
    add_timer_entries(menu, model.timetrack, entry, model.can_track and not model.signed_out)
    if not model.signed_out and len(model.tree):
        switch_menu = menu.addMenu(_("Switch to"))
        switch_menu.setEnabled(model.can_track)
        tracker_filter = fill_switch_menu(
            switch_menu,
            model.tree,
            running_id=model.running_id,
            recent_ids=model.recent_ids,
            dispatch=dispatch,
            filter_threshold=model.filter_threshold,
        )
        if model.running_id is not None and model.can_describe:
            entry(
                menu,
                _("Switch with a description…"),
                Command(Kind.SWITCH_DESCRIBED),
                model.can_track,
            )
    menu.addSeparator()
    today = menu.addAction(model.today)
    today.setEnabled(False)
    add_clock_entries(menu, model.timetrack, entry, model.can_track and not model.signed_out)
    add_time_entries(menu, model, entry)
    menu.addSeparator()

    accounts = menu.addMenu(_("Account"))
    for account_id, label in model.accounts:
        action = entry(accounts, label, Command(Kind.USE_ACCOUNT, account_id))
        action.setCheckable(True)
        action.setChecked(account_id == model.active_account_id)
    accounts.addSeparator()
    entry(accounts, _("Add server account…"), Command(Kind.ADD_ACCOUNT))
    if model.is_server_account:
        if model.signed_out:
            entry(accounts, _("Sign in…"), Command(Kind.SIGN_IN))
        else:
            entry(accounts, _("Sign out"), Command(Kind.SIGN_OUT))
    if model.can_manage:
        entry(menu, _("Manage trackers…"), Command(Kind.MANAGE_TRACKERS))
    entry(menu, _("Settings…"), Command(Kind.SETTINGS))
    if model.update_label:
        entry(menu, model.update_label, Command(Kind.SHOW_UPDATE))
    else:
        entry(menu, _("Check for updates"), Command(Kind.CHECK_UPDATES))
    menu.addSeparator()
    entry(menu, _("Quit"), Command(Kind.QUIT))
    return BuiltMenu(header, today, switch_menu, tracker_filter)


def add_time_entries(menu: QMenu, model: MenuModel, entry: Callable[..., QAction]) -> None:
    """Reports…, Add time…, Free time… for the accounts that offer them."""
    if model.signed_out:
        return
    if model.can_report:
        entry(menu, _("Reports…"), Command(Kind.REPORTS))
    if model.can_add_past:
        entry(menu, _("Add time…"), Command(Kind.ADD_TIME))
    if model.can_add_free:
        entry(menu, _("Free time…"), Command(Kind.FREE_TIME))
    if model.history_target:
        entry(
            menu,
            _("Send local history to {history_target}…").format(
                history_target=model.history_target
            ),
            Command(Kind.SEND_HISTORY),
        )


def find_action(menu: QMenu, command: Command) -> QAction | None:
    """The first visible action carrying ``command``, searching submenus too."""
    for action in menu.actions():
        if action.data() == command and action.isVisible():
            return action
        sub = action.menu()
        if isinstance(sub, QMenu):
            found = find_action(sub, command)
            if found is not None:
                return found
    return None
