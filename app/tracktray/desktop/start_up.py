"""The tray app's start in phases: the icon first, the account next, the rest after.

This is the part of :class:`~tracktray.desktop.controller.TrayApp` that starts it; it
lives apart so the controller keeps to wiring the pieces and reacting to them. The icon
shows at once (waiting); the settings are read on a worker and the active account is
opened (local mode on a machine with none). What the icon and the first status do not
need (the modules sending clicks and the menu, the network watch, the single-instance
socket, the idle backend's probe) starts only once the account has answered or failed,
or after :data:`REST_AT_THE_LATEST_MS` at the latest: the first status and the first
poll never compete with it for the GIL. Which module loads when is measured by
``tests/desktop/test_lean_start.py`` and the bench (docs/desktop.md, "A lean start"), so
the imports here stay exactly as lazy as they are.

:class:`PhasedStart` is a mixin: it holds no state of its own and works on the app's
attributes, declared below for the type checker only.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from tracktray.accounts.kinds import kind_of
from tracktray.desktop.benchhooks import phase
from tracktray.desktop.failures import Notice, Phase
from tracktray.desktop.first_stage import LOADING_SWITCH_INTERVAL_S
from tracktray.desktop.idle.watch import IDLE_LANE
from tracktray.desktop.settings_sync import SETTINGS_LANE
from tracktray.i18n import N_, _
from tracktray.store.settings import (
    LOCAL_ACCOUNT,
    AccountConfig,
    Preferences,
    Settings,
    SettingsStore,
    Stamp,
)

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from tracktray.desktop.account_opening import JournalRead
    from tracktray.desktop.idle.watch import IdleWatch
    from tracktray.desktop.idle_flow import IdleFlow
    from tracktray.desktop.network_watch import NetworkWatch
    from tracktray.desktop.session import Session
    from tracktray.desktop.settings_sync import SettingsSync
    from tracktray.desktop.tasks import TaskBridge
    from tracktray.desktop.tray import TrayView
    from tracktray.desktop.update import UpdateChecker

    # for the type checker the mixin is the QObject it is mixed into (timers' context)
    _AppBase = QObject
else:
    _AppBase = object

__all__ = ["LOCAL_NOTICE", "REST_AT_THE_LATEST_MS", "PhasedStart"]

#: the rest of start-up (idle probe, network watch, single-instance socket) at the latest
REST_AT_THE_LATEST_MS = 15_000

log = logging.getLogger(__name__)

LOCAL_NOTICE = Notice(
    N_("TrackTray keeps your time on this computer"),
    N_(
        "No server is set up, so your time is stored on this computer. To connect a server, "
        "choose Account ▸ Add server account… in the menu, or run “tracktray accounts add”."
    ),
)


class PhasedStart(_AppBase):
    """Starting :class:`TrayApp`: the icon, the settings and the account, then the rest."""

    if TYPE_CHECKING:  # the app's own, declared for the type checker
        ready: SignalInstance
        settled: SignalInstance
        bridge: TaskBridge
        sync: SettingsSync
        session: Session
        view: TrayView
        updates: UpdateChecker
        idle_watch: IdleWatch
        idle: IdleFlow
        _network: NetworkWatch | None
        _rest_started: bool
        _rest_deadline: QTimer
        _first_read: tuple[str, JournalRead] | None
        _shut_down: bool

        @property
        def settings(self) -> Settings: ...

        def announce(self, notice: Notice) -> None: ...

        def _open(self, account: AccountConfig, secret: str | None = None) -> None: ...

        def _open_settings(self) -> None: ...

        def _apply_preferences(self, preferences: Preferences) -> None: ...

        def _update_preferences(self, **changes: object) -> None: ...

    def start(
        self,
        loaded: tuple[Settings, Stamp] | None = None,
        first_read: tuple[str, JournalRead] | None = None,
    ) -> None:
        """Show the icon at once (waiting), then read the settings and open the account
        (``loaded``: the settings and their stamp, already read by the caller;
        ``first_read``: an account id and its journal as the first stage read and drew
        it, used when that account is the one opened).

        What the icon and the first status do not need (the idle backend's probe, the
        network watch, the single-instance socket) starts once the account has answered
        or failed (:meth:`_start_the_rest`): the first status (the remembered one comes
        sooner) and the first poll never compete with it for the GIL, and the start-up
        is over in one short burst instead of threads waking each other up.
        """
        self._first_read = first_read
        self.view.show()
        self.session.changed.connect(self._start_the_rest_once_answered)
        # an account that never answers (a keyring waiting for its password) holds
        # nothing else back for long
        self._rest_deadline.start(REST_AT_THE_LATEST_MS)
        if loaded is not None:
            self._on_settings_loaded(loaded)
            return
        store = self.sync.store

        def load() -> tuple[Settings, Stamp]:
            stamp = store.stamp()  # first: a write during the load is noticed later
            return store.load(), stamp

        self.bridge.run(SETTINGS_LANE, load, self._on_settings_loaded, self._on_settings_unreadable)

    def _start_the_rest_once_answered(self) -> None:
        if self.session.phase is Phase.OPENING:
            return  # the account has not answered yet (a remembered status may show)
        self.session.changed.disconnect(self._start_the_rest_once_answered)
        # on the next turn of the event loop: the answer is drawn first
        QTimer.singleShot(0, self, self._start_the_rest)

    def _start_the_rest(self) -> None:
        if self._shut_down or self._rest_started:
            return
        self._rest_started = True
        self._rest_deadline.stop()
        phase("rest-starting")
        # The modules load on a worker (the Qt thread stays free for clicks); the Qt
        # thread then only builds what needs it, and the idle probe follows on its lane.
        self.bridge.run(IDLE_LANE, _load_later_modules, self._start_the_rest_loaded)

    def _start_the_rest_loaded(self, _loaded: object = None) -> None:
        if self._shut_down:
            return
        phase("rest-loaded")
        _ = self.network
        # the network's comings and goings matter once the server cannot be reached
        self.session.changed.connect(self._watch_the_network_when_offline)
        self._watch_the_network_when_offline()
        phase("network-watched")
        self.settled.emit()
        self.idle_watch.start()
        phase("settled")

    def _watch_the_network_when_offline(self) -> None:
        if self.session.phase is not Phase.OFFLINE or self._shut_down:
            return
        self.session.changed.disconnect(self._watch_the_network_when_offline)

        def load() -> None:
            import PySide6.QtNetwork  # noqa: F401 - ~15 ms of imports, off the Qt thread

        def watch(_loaded: object = None) -> None:
            if not self._shut_down:
                self.network.watch_reachability()  # Qt's plugin: on the Qt thread

        self.bridge.run(IDLE_LANE, load, watch, lambda _exc: watch())

    @property
    def network(self) -> NetworkWatch:
        """Polls at once when the computer wakes up, and when the network comes back once
        the account was offline. Made after the account first answered."""
        if self._network is None:
            from tracktray.desktop.network_watch import NetworkWatch

            self._network = NetworkWatch(self)
            self._network.back.connect(self.session.poll_now)
        return self._network

    def _on_settings_loaded(self, loaded: tuple[Settings, Stamp]) -> None:
        settings, stamp = loaded
        phase("settings-loaded")
        if not settings.accounts:
            settings = settings.with_account(LOCAL_ACCOUNT, activate=True)
        self.sync.loaded(settings, stamp)
        self._apply_preferences(settings.preferences)
        if not settings.preferences.launched_before:
            self.updates.first_launch = True  # no update is announced at the very first launch
            self._update_preferences(launched_before=True)
        account = settings.active_account or LOCAL_ACCOUNT
        self._open(account)
        if not kind_of(account).signs_in and not settings.preferences.local_notice_shown:
            self.announce(Notice(_(LOCAL_NOTICE.title), _(LOCAL_NOTICE.body)))
            self._update_preferences(local_notice_shown=True)
        self.idle.offer_reminder_once(self._update_preferences, self._open_settings)
        self.ready.emit()

    def _on_settings_unreadable(self, exc: Exception) -> None:
        # Never overwrite a file we could not read: run on defaults without saving.
        self.announce(Notice(_("Settings could not be read"), str(exc)))
        self.sync.store = _ReadOnlyStore(self.sync.store)
        self._on_settings_loaded((Settings(), None))


#: what the widget needs after its start (the network watch and the single-instance
#: socket, the first click, the first menu): imported on a worker once the account first
#: answered, so that neither the start nor a later click waits for it on the Qt thread
_LATER_MODULES = (
    "tracktray.desktop.network_watch",
    "tracktray.desktop.unix_socket_server",
    "tracktray.accounts.outbox",
    "tracktray.desktop.sent",
    "tracktray.desktop.menu",
    "tracktray.desktop.menu_state",
)


def _load_later_modules() -> None:
    import importlib

    # Importing holds the GIL; a Qt thread that wants it back (a click, a repaint) waits
    # for the switch interval, 5 ms by default, and again at each hand-back. For these
    # ~50 ms the interval is short, so the Qt thread is never kept waiting long.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(LOADING_SWITCH_INTERVAL_S)
    try:
        for name in _LATER_MODULES:
            try:
                importlib.import_module(name)
            except ImportError:  # the Qt thread imports it when needed and says why
                log.debug("%s not loaded ahead", name, exc_info=True)
        # Not PySide6's ``Qt`` namespace: its first use builds ~100 enums (~20 ms, and
        # ~1.3 MiB kept for the whole run). Nothing at rest, in the menu or in a click
        # needs it; a window (or a notification) builds it when first opened.
    finally:
        sys.setswitchinterval(interval)


class _ReadOnlyStore(SettingsStore):
    """Stands in for a store whose file could not be read: saves nothing, loses nothing."""

    def __init__(self, original: SettingsStore) -> None:
        super().__init__(original.config_dir)
        self._kept = Settings()

    def save(self, settings: Settings) -> None:
        log.info("settings not saved: the file could not be read at start")

    def update(self, change: Callable[[Settings], Settings]) -> Settings:
        self._kept = change(self._kept)
        log.info("settings not saved: the file could not be read at start")
        return self._kept

    def stamp(self) -> Stamp:
        return None  # never reload a file that could not be read
