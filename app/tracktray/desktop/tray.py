"""The tray icon (or the fallback window), its tooltip, its click and its menu.

:class:`TrayView` draws what the :class:`~tracktray.desktop.session.Session` knows and
turns clicks into session calls or :class:`~tracktray.desktop.commands.Command` s for the
app. The icon changes to "waiting" the moment a click is made and settles when the
session has the server's answer. The menu is rebuilt each time it is about to show; its
header ticks once a second while it is open and not at all otherwise.

While a block runs, today's total in the tooltip (and the fallback window's texts) is
redrawn from the status the session holds, once a minute when the shown minute turns:
the account's polls stay on their worker while their answer is that same status grown
by the time passed (:func:`tracktray.desktop.polling.resting_key`), so a running block
wakes the Qt thread once a minute, for this, and the account's worker once per poll.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from tracktray.desktop import benchhooks
from tracktray.desktop.commands import Command
from tracktray.desktop.icons import TrayState, icon_for
from tracktray.desktop.projection import unsent_text
from tracktray.desktop.session import Phase, Session
from tracktray.desktop.text import header_text, today_text
from tracktray.desktop.tray_tooltip import tray_tooltip
from tracktray.i18n import _

if TYPE_CHECKING:
    from tracktray.desktop.fallback import FallbackWindow
    from tracktray.desktop.menu import BuiltMenu, MenuModel
    from tracktray.domain import Status

__all__ = ["TrayView", "tray_state"]

Clock = Callable[[], dt.datetime]


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def tray_state(session: Session) -> TrayState:
    """The icon for what the session knows right now."""
    if session.waiting or session.phase is Phase.OPENING:
        return TrayState.WAITING
    if session.phase in (Phase.SIGNED_OUT, Phase.BROKEN):
        return TrayState.SIGNED_OUT
    if session.phase is Phase.OFFLINE and not session.unsent:
        return TrayState.OFFLINE  # with unsent clicks: the clicked state, marked in the tooltip
    running = session.status.running if session.status is not None else None
    if running is None:
        return TrayState.STOPPED
    return TrayState.PAUSED if running.paused else TrayState.RUNNING


def _entries(model: MenuModel) -> MenuModel:
    """The model without the texts that tick (header and today's total)."""
    return dataclasses.replace(model, header="", today="")


class TrayView(QObject):
    #: the menu was opened (the app polls then)
    menu_opened = Signal()

    def __init__(
        self,
        session: Session,
        *,
        model: Callable[[], MenuModel],
        dispatch: Callable[[Command], None],
        click_action: str = "toggle",
        tray_available: bool | None = None,
        clock: Clock = _utc_now,
        icon: QSystemTrayIcon | None = None,
        parent: QObject | None = None,
    ) -> None:
        """``icon``: the icon the first stage already shows (in its waiting look), taken
        over instead of a new one."""
        super().__init__(parent)
        self._session = session
        self._model = model
        self._dispatch = dispatch
        self._clock = clock
        self.click_action = click_action
        self.state = TrayState.WAITING
        self.menu = QMenu()
        self.menu.aboutToShow.connect(self.on_menu_about_to_show)
        self.menu.aboutToHide.connect(self.on_menu_about_to_hide)
        self.built: BuiltMenu | None = None
        #: the snapshot the open menu was drawn from
        self._drawn_model: MenuModel | None = None
        self.icon = icon if icon is not None else QSystemTrayIcon(icon_for(self.state))
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self.on_activated)
        if tray_available is None:
            tray_available = QSystemTrayIcon.isSystemTrayAvailable()
        self.tray_available = tray_available
        self.window: FallbackWindow | None = None
        if not tray_available:
            # imported only here: most desktops have a tray, and its widgets cost start-up
            from tracktray.desktop.fallback import FallbackWindow

            self.window = FallbackWindow(self.menu)
            self.window.toggle_button.clicked.connect(self.on_click)
        # ticks only while the menu is open: an idle widget must not wake every second
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._update_open_menu)
        # while a block runs: when the minute shown turns (see the module's docstring)
        self._minute = QTimer(self)
        self._minute.setSingleShot(True)
        self._minute.timeout.connect(self.refresh)
        self._bench = benchhooks.DrawnEvents()
        session.changed.connect(self.refresh)

    def show(self) -> None:
        self.refresh()
        if self.window is not None:
            self.window.show()
        else:
            self.icon.show()
        benchhooks.emit_once("icon-shown")

    def hide(self) -> None:
        """At quit: hide, then hand the parentless widgets to Qt to delete in order
        (window, icon, then the menu both point at), instead of leaving it to Python's
        garbage collector at some later moment."""
        self._tick.stop()
        self._minute.stop()
        self.icon.hide()
        self.icon.setContextMenu(None)  # type: ignore[arg-type]
        if self.window is not None:
            self.window.close()
            self.window.menu_button.setMenu(None)  # type: ignore[arg-type]
            self.window.deleteLater()
        self.icon.deleteLater()
        self.menu.deleteLater()

    def show_menu(self) -> None:
        """Open the menu where the pointer is (a second start asked for it)."""
        self.menu.popup(QCursor.pos())

    # -- slots ---------------------------------------------------------------------------

    def on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason is not QSystemTrayIcon.ActivationReason.Trigger:
            return  # the context menu opens by itself; double clicks are two triggers
        if self.click_action == "menu":
            self.menu.popup(QCursor.pos())
        else:
            self.on_click()

    def on_click(self) -> None:
        """A left click (or the fallback window's button): start or stop."""
        benchhooks.emit("click")
        self._session.toggle()

    def on_menu_about_to_show(self) -> None:
        from tracktray.desktop.menu import build_menu  # with the first menu, not at start

        self._drawn_model = self._model()
        self.built = build_menu(self.menu, self._drawn_model, self._dispatch)
        self._tick.start()
        benchhooks.emit("menu-shown")
        self.menu_opened.emit()

    def on_menu_about_to_hide(self) -> None:
        self._tick.stop()

    # -- drawing -------------------------------------------------------------------------

    def refresh(self) -> None:
        """Draw the session's state on the icon, the tooltip and the fallback window."""
        session = self._session
        now = self._clock()
        state = tray_state(session)
        changed = state is not self.state
        if changed:
            self.state = state
            self.icon.setIcon(icon_for(state))
        self._bench.drawn(
            changed=changed,
            action_waiting=state is TrayState.WAITING and session.waiting,
            has_status=session.status is not None,
        )
        label = session.account.shown_label if session.account is not None else ""
        problem = " — ".join(p for p in (unsent_text(session.unsent), session.problem) if p)
        self.icon.setToolTip(
            tray_tooltip(session.status, now, account_label=label, problem=problem)
        )
        if self.window is not None:
            running = session.status is not None and session.status.running is not None
            self.window.show_state(
                icon_for(state),
                session.problem or header_text(session.status, now),
                today_text(session.status, now),
                _("Stop") if running else _("Start"),
                session.can_track and not session.waiting,
            )
        if self.menu.isVisible():
            self._update_open_menu()
        self._tick_at_next_minute(session.status, now)

    def _tick_at_next_minute(self, status: Status | None, now: dt.datetime) -> None:
        """Redraw when today's total (and, in the fallback window, the block's own time)
        shows its next minute; nothing while no block runs unpaused."""
        running = status.running if status is not None else None
        if status is None or running is None or running.paused:
            self._minute.stop()
            return
        wait_s = 60 - status.daytotal_at(now) % 60
        if self.window is not None:
            wait_s = min(wait_s, 60 - status.running_worked_s(now) % 60)
        # never before the minute turns: Qt's coarse timers may fire up to 5 % early
        self._minute.start(round(wait_s * 1060) + 250)

    def _update_open_menu(self) -> None:
        """Keep the open menu one snapshot: redraw it when its entries changed, else tick.

        Header, entries and their enabled state come from the same model, so the header
        never says "Not tracking" above a "Stop Website" drawn from an older state.
        """
        if self.built is None:
            return
        model = self._model()
        if self._drawn_model is None or _entries(model) != _entries(self._drawn_model):
            self._drawn_model = model
            from tracktray.desktop.menu import build_menu

            self.built = build_menu(self.menu, model, self._dispatch)
            return
        self.built.header.setText(model.header)
        self.built.today.setText(model.today)
