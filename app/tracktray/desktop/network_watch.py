"""Tell the session when a poll is worth making at once: the network is back.

No timers: Qt's ``QNetworkInformation`` (NetworkManager, glib's network monitor,
Windows' and macOS' own APIs) reports reachability changes. Where it does not exist the
next scheduled poll still comes, at most one interval late. (The computer waking up is
heard by the idle watch's session listener, which listens to logind anyway:
``TrayApp._poll_when_awake``; a second D-Bus stack, QtDBus, would cost its own thread,
connection and library for the same signal.)

The network's reachability matters only while the server cannot be reached (clicks are
then kept and sent when it is back): :meth:`NetworkWatch.watch_reachability` loads Qt's
backend plugin (~10 ms on the Qt thread, and its memory) the first time the account goes
offline, not at start-up.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from tracktray.desktop.benchhooks import phase

if TYPE_CHECKING:  # QtNetwork loads with the first offline moment, not at start-up
    from PySide6.QtNetwork import QNetworkInformation

__all__ = ["NetworkWatch"]

log = logging.getLogger(__name__)


class NetworkWatch(QObject):
    #: the network came back: poll now
    back = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        #: None until :meth:`watch_reachability`; then whether a backend reports changes
        self.network_events: bool | None = None

    def watch_reachability(self) -> bool:
        """Poll when the network comes back (once asked, for the rest of the run)."""
        if self.network_events is None:
            self.network_events = self._watch_reachability()
            phase("reachability-watched")
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

    def on_reachability_changed(self, reachability: QNetworkInformation.Reachability) -> None:
        from PySide6.QtNetwork import QNetworkInformation

        if reachability in (
            QNetworkInformation.Reachability.Online,
            QNetworkInformation.Reachability.Site,
        ):
            self.back.emit()
