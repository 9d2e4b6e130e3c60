"""Tell the session when a poll is worth making at once: network back, computer awake.

Two event sources, no timers: Qt's ``QNetworkInformation`` (NetworkManager, glib's
network monitor, Windows' and macOS' own APIs) reports reachability changes, and on
Linux logind's ``PrepareForSleep(false)`` on the system bus says the machine resumed.
Where neither exists the next scheduled poll still comes, at most one interval late.

The network's reachability matters only while the server cannot be reached (clicks are
then kept and sent when it is back): :meth:`NetworkWatch.watch_reachability` loads Qt's
backend plugin (~10 ms on the Qt thread, and its memory) the first time the account goes
offline, not at start-up.
"""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

if TYPE_CHECKING:  # QtNetwork loads with the first offline moment, not at start-up
    from PySide6.QtNetwork import QNetworkInformation

__all__ = ["NetworkWatch"]

log = logging.getLogger(__name__)

_LOGIND = ("org.freedesktop.login1", "/org/freedesktop/login1", "org.freedesktop.login1.Manager")


class NetworkWatch(QObject):
    #: the network came back or the computer woke up: poll now
    back = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        #: None until :meth:`watch_reachability`; then whether a backend reports changes
        self.network_events: bool | None = None
        self.sleep_events = sys.platform.startswith("linux") and self._watch_logind()

    def watch_reachability(self) -> bool:
        """Poll when the network comes back (once asked, for the rest of the run)."""
        if self.network_events is None:
            self.network_events = self._watch_reachability()
        return self.network_events

    def _watch_reachability(self) -> bool:
        from PySide6.QtNetwork import QNetworkInformation

        feature = QNetworkInformation.Feature.Reachability
        if QNetworkInformation.instance() is None and not QNetworkInformation.loadBackendByFeatures(
            feature
        ):
            log.info("no network information backend: polls only on the timer")
            return False
        info = QNetworkInformation.instance()
        if info is None:
            return False
        info.reachabilityChanged.connect(self.on_reachability_changed)
        return True

    def _watch_logind(self) -> bool:
        from PySide6.QtDBus import QDBusConnection

        bus = QDBusConnection.systemBus()
        if not bus.isConnected():
            return False
        service, path, interface = _LOGIND
        # "1" + signature is what Qt's SLOT() macro makes of a slot name
        slot = b"1on_prepare_for_sleep(bool)"
        return bool(bus.connect(service, path, interface, "PrepareForSleep", self, slot))

    def on_reachability_changed(self, reachability: QNetworkInformation.Reachability) -> None:
        from PySide6.QtNetwork import QNetworkInformation

        if reachability in (
            QNetworkInformation.Reachability.Online,
            QNetworkInformation.Reachability.Site,
        ):
            self.back.emit()

    @Slot(bool)
    def on_prepare_for_sleep(self, going_to_sleep: bool) -> None:
        if not going_to_sleep:
            self.back.emit()
