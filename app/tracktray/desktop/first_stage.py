"""The widget's first stage: the icon and the status remembered from the last run, drawn
before the rest of the app is imported.

A bare PySide6 tray shows its icon once Qt is imported and its QApplication made; the
widget's own modules (the session, the menu, the task bridge, the settings' dataclasses:
~80 ms) would come on top of that before its first status. So an everyday start draws
first from a plain read — the settings' few facts (:mod:`tracktray.store.settings_glance`)
and the account's journal (the status the server last confirmed and its unsent clicks,
``store/journal_glance.py``, stdlib ``sqlite3``) — an icon in its waiting look with the tooltip
the app would draw, exactly as :class:`~tracktray.desktop.tray.TrayView` draws it
(``tray_tooltip.py``). The event loop runs at once; the rest of the app is imported on a
worker meanwhile (with a short GIL switch interval, so the Qt thread is never kept
waiting long), then :class:`~tracktray.desktop.controller.TrayApp` takes this same icon
over, with what was read here. A click in between is kept and handed to the app.

A first run (no settings, or tracktray never started here), an unreadable file and a
desktop without a tray take the full road instead (``app.py``).
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QSystemTrayIcon

from tracktray.desktop import benchhooks
from tracktray.desktop.benchhooks import phase
from tracktray.desktop.icons import TrayState, icon_for
from tracktray.desktop.tray_tooltip import tray_tooltip
from tracktray.i18n import _
from tracktray.store.journal_glance import glance as journal_glance
from tracktray.store.last_status import status_from_data

if TYPE_CHECKING:
    from tracktray.desktop.account_opening import JournalRead
    from tracktray.store.settings_glance import SettingsGlance

__all__ = ["LOADING_SWITCH_INTERVAL_S", "FirstLook", "show_first_look"]

log = logging.getLogger(__name__)

#: the GIL switch interval while a worker imports (Python's: 5 ms): the Qt thread waits
#: at most this long for the GIL when it has a click or a repaint to handle
LOADING_SWITCH_INTERVAL_S = 0.0005

Reason = QSystemTrayIcon.ActivationReason


class FirstLook(QObject):
    """The icon the first stage shows, and what it read to draw it, until the app takes
    the icon over (:meth:`hand_over`)."""

    #: the worker finished loading the app: its result, delivered on the Qt thread
    loaded = Signal(object)

    def __init__(
        self, icon: QSystemTrayIcon, account_id: str, read: JournalRead, parent: QObject
    ) -> None:
        super().__init__(parent)
        self.icon = icon
        self.account_id = account_id
        self.read = read
        #: clicks made before the app took over (a left click's reason, or None for
        #: the bench's click), replayed then
        self._kept: list[Reason | None] = []
        self._activated: Callable[[Reason], None] | None = None
        self._click: Callable[[], None] | None = None
        icon.activated.connect(self._on_activated)

    def _on_activated(self, reason: Reason) -> None:
        if self._activated is not None:
            self._activated(reason)
        elif reason is Reason.Trigger:  # a left click; the menu comes with the app
            self._kept.append(reason)

    def click(self) -> None:
        """The bench's ``click`` (the slot a left click runs), kept until the app runs."""
        if self._click is not None:
            self._click()
        else:
            self._kept.append(None)

    def hand_over(self, activated: Callable[[Reason], None], click: Callable[[], None]) -> None:
        """The app runs: later clicks go to it, and the kept ones now, in order."""
        self.icon.activated.disconnect(self._on_activated)
        self._activated, self._click = activated, click
        kept, self._kept = self._kept, []
        for reason in kept:
            if reason is None:
                click()
            else:
                activated(reason)

    def load_in_background(self, load: Callable[[], object]) -> None:
        """Run ``load`` on a worker; its result (or exception) comes back as
        :attr:`loaded` on the Qt thread."""

        def work() -> None:
            interval = sys.getswitchinterval()
            sys.setswitchinterval(LOADING_SWITCH_INTERVAL_S)
            try:
                result: object = load()
            except Exception as exc:  # the Qt thread reports it and takes the full road
                result = exc
            finally:
                sys.setswitchinterval(interval)
            self.loaded.emit(result)

        # No automatic collection while the worker imports: a pass on the worker could
        # free a QObject off the Qt thread (see collector.py, which takes over next).
        gc.disable()
        threading.Thread(target=work, name="tracktray-loading", daemon=True).start()


def show_first_look(glance: SettingsGlance, data_dir: Path, parent: QObject) -> FirstLook | None:
    """Show the icon with the status remembered for the glanced account; None when this
    desktop has no tray or the journal cannot be read (the app then draws everything)."""
    if not QSystemTrayIcon.isSystemTrayAvailable():
        return None
    account_id = glance.account_id
    kept = journal_glance(data_dir, account_id)
    if kept is None:
        return None  # the app reads it again and says why
    read: JournalRead = ([], status_from_data(kept.last_status))
    problem = ""
    status = read[1]
    if kept.unsent:  # what the person clicked while the server was away, marked as such
        from tracktray.desktop.projection import project, unsent_text
        from tracktray.domain.trackertree import TrackerTree
        from tracktray.store.journal import Journal, JournalError

        try:
            read = (Journal(data_dir).unfinished(account_id), read[1])
        except JournalError:
            return None
        status = project(status, read[0], TrackerTree())
        problem = unsent_text(read[0])
    phase("journal-read")
    label = _(glance.account_label) if glance.account_kind == "local" else glance.account_label
    now = dt.datetime.now(dt.UTC)
    # the session is opening: the waiting look, as TrayView draws it then
    icon = QSystemTrayIcon(icon_for(TrayState.WAITING))
    icon.setToolTip(tray_tooltip(status, now, account_label=label, problem=problem))
    icon.show()
    benchhooks.emit_once("icon-shown")
    if status is not None:
        benchhooks.emit_once("status-drawn")
    return FirstLook(icon, account_id, read, parent)
