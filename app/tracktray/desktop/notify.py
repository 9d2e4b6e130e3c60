"""Desktop notifications through the desktop's own service, with the tray balloon as fallback.

Roads, chosen per platform (see ``docs/desktop-platforms.md``):

- Linux and other freedesktop systems: ``org.freedesktop.Notifications.Notify`` on the
  session bus (:mod:`tracktray.desktop._freedesktop`, on a worker thread), with action
  buttons. When there is no session bus or no service owns the name, the notification
  falls back to Qt's tray balloon instead of being lost.
- macOS and Windows: Qt's ``QSystemTrayIcon.showMessage``, which Qt hands to Notification
  Center (macOS) and to the shell's notification area (a toast on Windows 10+), without
  buttons; clicking the message runs the first action. A native road with buttons
  (UNUserNotificationCenter, WinRT toasts) plugs in at :func:`_native_road`.

Every road reports on the Qt thread: :attr:`Notifier.action_invoked` and the per-call
``on_action`` callback run there, never on a worker thread.
"""

from __future__ import annotations

import itertools
import logging
import sys
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QSystemTrayIcon

from tracktray.desktop.icons import resource_file

if TYPE_CHECKING:
    from tracktray.desktop._freedesktop import FreedesktopNotifications

__all__ = ["Notifier", "packaged_icon"]

_log = logging.getLogger(__name__)

ActionCallback = Callable[[str], None]

#: notifications whose actions we still remember (the service may keep them for hours)
_REMEMBERED: Final = 64
#: how long a call to the notification service may take (``_freedesktop.CALL_TIMEOUT_S``;
#: not imported from there: D-Bus loads with the first notification, not at start-up)
CALL_TIMEOUT_S: Final = 5.0


@dataclass(frozen=True, slots=True)
class _Pending:
    title: str
    body: str
    actions: tuple[tuple[str, str], ...]
    on_action: ActionCallback | None


def packaged_icon() -> str:
    """The app's icon for a notification service: a ``file://`` URI, else the theme name."""
    resource = resource_file("tracktray.svg")
    if isinstance(resource, Path) and resource.is_file():
        return resource.resolve().as_uri()
    return "tracktray"  # zipped install: the name installed with the launcher entry


def _native_road(platform: str) -> Literal["freedesktop", "tray"]:
    """The platform's own notification service, or the tray balloon where we have none.

    To do (cannot be built or tested on Linux): ``"darwin"`` → UNUserNotificationCenter
    with action buttons (needs pyobjc and a signed app bundle); ``"win32"`` → WinRT toasts
    with buttons (needs an AppUserModelID registered by the installer). Until then both use
    Qt's balloon, which those systems already show in their notification centre.
    """
    if platform in ("darwin", "win32", "cygwin"):
        return "tray"
    return "freedesktop"


class Notifier(QObject):
    """Shows notifications without ever blocking the UI thread.

    ``enabled`` is the settings switch: when off, :meth:`notify` shows nothing.
    """

    #: the person chose an action (its key), from any road
    action_invoked = Signal(str)
    #: a notification reached the person by this road: "freedesktop", "tray" or "none"
    delivered = Signal(str)

    # Worker-thread reports; queued connections run the slots on the Qt thread.
    _worker_sent = Signal(int)
    _worker_action = Signal(int, str)
    _worker_closed = Signal(int)
    _worker_unavailable = Signal(int, str)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        app_name: str = "tracktray",
        app_icon: str | None = None,
        bus_address: str | None = None,
        platform: str = sys.platform,
        service_timeout_s: float = CALL_TIMEOUT_S,
    ) -> None:
        super().__init__(parent)
        self.enabled = True
        self._road = _native_road(platform)
        self._tray: QSystemTrayIcon | None = None
        self._balloon: _Pending | None = None
        self._pending: OrderedDict[int, _Pending] = OrderedDict()
        self._tokens = itertools.count(1)
        self._app_name = app_name
        self._app_icon = packaged_icon() if app_icon is None else app_icon
        self._bus_address = bus_address
        self._service_timeout_s = service_timeout_s
        self._service: FreedesktopNotifications | None = None
        self._worker_connected = False

    def set_fallback_tray(self, tray: QSystemTrayIcon | None) -> None:
        """The tray icon whose balloon shows notifications no service can take."""
        if self._tray is not None:
            self._tray.messageClicked.disconnect(self._on_balloon_clicked)
        self._tray = tray
        if tray is not None:
            tray.messageClicked.connect(self._on_balloon_clicked)

    def notify(
        self,
        title: str,
        body: str,
        *,
        actions: Sequence[tuple[str, str]] = (),
        on_action: ActionCallback | None = None,
    ) -> None:
        """Show a notification; returns at once.

        ``actions`` are (key, label) pairs such as ``("sign-in", "Sign in")``; when the
        person picks one, ``on_action(key)`` runs on the Qt thread and
        :attr:`action_invoked` is emitted.
        """
        if not self.enabled:
            return
        pending = _Pending(title, body, tuple(actions), on_action)
        if self._road == "tray":
            self._show_balloon(pending)
            return
        token = next(self._tokens)
        self._remember(token, pending)
        from tracktray.desktop._freedesktop import NotificationRequest

        self._freedesktop().submit(NotificationRequest(token, title, body, pending.actions))

    def close(self) -> None:
        """Stop the worker thread (at quit); later notifications start it again."""
        service, self._service = self._service, None
        if service is not None:
            service.close()

    # -- roads -----------------------------------------------------------------------

    def _freedesktop(self) -> FreedesktopNotifications:
        if not self._worker_connected:
            # Here, not at start-up: the first use of ``Qt`` builds every enum of its
            # namespace (~20 ms), and most starts show no notification.
            from PySide6.QtCore import Qt

            self._worker_connected = True
            queued = Qt.ConnectionType.QueuedConnection
            self._worker_sent.connect(self._on_sent, queued)
            self._worker_action.connect(self._on_action, queued)
            self._worker_closed.connect(self._on_closed, queued)
            self._worker_unavailable.connect(self._on_unavailable, queued)
        if self._service is None:
            from tracktray.desktop._freedesktop import FreedesktopNotifications

            self._service = FreedesktopNotifications(
                on_sent=self._worker_sent.emit,
                on_action=self._worker_action.emit,
                on_closed=self._worker_closed.emit,
                on_unavailable=self._worker_unavailable.emit,
                app_name=self._app_name,
                app_icon=self._app_icon,
                bus_address=self._bus_address,
                timeout_s=self._service_timeout_s,
            )
        return self._service

    def _show_balloon(self, pending: _Pending) -> None:
        if self._tray is None:
            _log.warning("notification not shown (no service, no tray): %s", pending.title)
            self.delivered.emit("none")
            return
        self._balloon = pending
        self._tray.showMessage(pending.title, pending.body)
        self.delivered.emit("tray")

    def _remember(self, token: int, pending: _Pending) -> None:
        self._pending[token] = pending
        while len(self._pending) > _REMEMBERED:
            self._pending.popitem(last=False)

    # -- slots (Qt thread) -------------------------------------------------------------

    def _on_sent(self, token: int) -> None:
        self.delivered.emit("freedesktop")

    def _on_action(self, token: int, key: str) -> None:
        pending = self._pending.get(token)
        if pending is not None:
            self._run_action(pending, key)

    def _on_closed(self, token: int) -> None:
        self._pending.pop(token, None)

    def _on_unavailable(self, token: int, reason: str) -> None:
        pending = self._pending.pop(token, None)
        if pending is not None:
            self._show_balloon(pending)

    def _on_balloon_clicked(self) -> None:
        pending, self._balloon = self._balloon, None
        if pending is not None and pending.actions:
            self._run_action(pending, pending.actions[0][0])

    def _run_action(self, pending: _Pending, key: str) -> None:
        if pending.on_action is not None:
            pending.on_action(key)
        self.action_invoked.emit(key)
