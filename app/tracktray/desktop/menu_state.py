"""The snapshot the menu is built from: the session's state plus the settings.

Kept apart from the app so the rules ("the header says the problem while offline",
"recent trackers are per account") read in one place.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from tracktray.accounts import Capability
from tracktray.accounts.kinds import kind_of
from tracktray.desktop.failures import Phase
from tracktray.desktop.menu import MenuModel
from tracktray.desktop.projection import unsent_text
from tracktray.desktop.session import Session
from tracktray.desktop.text import header_text, today_text
from tracktray.desktop.timetrack_menu import timetrack_menu

if TYPE_CHECKING:
    from tracktray.store.settings import Settings

__all__ = ["menu_model"]


def menu_model(session: Session, settings: Settings, now: dt.datetime) -> MenuModel:
    status = session.status
    running = status.running if status is not None else None
    account = session.account
    caps = session.capabilities
    header = header_text(status, now)
    unsent = unsent_text(session.unsent)
    if unsent:
        header = f"{header} ({unsent})"  # the clicked state, before the server confirms
    elif session.problem and session.phase is not Phase.READY:
        header = session.problem
    recent = settings.preferences.recent_trackers.get(account.id, []) if account else []
    return MenuModel(
        header=header,
        today=today_text(status, now),
        running_id=running.tracker.id if running is not None else None,
        running_name=running.tracker.name if running is not None else "",
        start_target=session.start_target(),
        can_track=session.can_track and not session.waiting,
        can_describe=Capability.DESCRIBE in caps,
        can_manage=Capability.MANAGE_TRACKERS in caps,
        tree=session.tree,
        recent_ids=recent,
        accounts=[(a.id, a.shown_label) for a in settings.accounts],
        active_account_id=account.id if account is not None else None,
        is_server_account=account is not None and kind_of(account).signs_in,
        signed_out=session.phase is Phase.SIGNED_OUT,
        timetrack=timetrack_menu(caps, status, now),
        can_add_past=Capability.ADD_PAST in caps,
        can_add_free=Capability.ADD_FREE in caps,
        can_report=Capability.REPORT in caps,
        history_target=account.shown_label
        if account is not None and kind_of(account).signs_in and Capability.ADD_PAST in caps
        else "",
    )
