"""The tray app: settings, the active account's session, the tray view, the dialogs.

:class:`TrayApp` wires the pieces and reacts to them (settings changed, signed in, a
tracker used, quit). Its other jobs live in their own modules, mixed into the one
:class:`TrayApp`: the start in phases (``start_up.py``), what each command does
(``command_dispatch.py``), opening the windows (``window_opening.py``) and answering
another ``tracktray`` process (``instance_requests.py``). It never
does I/O on the UI thread: settings load and save, keyring reads and writes and the
autostart entry go through the task bridge; the backend calls go through the session.
Collaborators (stores, directories, the backend opener, the notifier) are parameters
with real defaults, so tests hand in isolated real ones.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from tracktray.accounts import Capability
from tracktray.desktop.backoff import Backoff
from tracktray.desktop.collector import MainThreadCollector
from tracktray.desktop.command_dispatch import CommandDispatch
from tracktray.desktop.dialogs import Windows
from tracktray.desktop.idle.watch import IdleWatch
from tracktray.desktop.idle_flow import IdleFlow
from tracktray.desktop.instance_requests import InstanceRequests
from tracktray.desktop.notify import Notifier
from tracktray.desktop.passwords import SecretKeeper
from tracktray.desktop.session import (
    JournalRead,
    Notice,
    OpenBackend,
    Session,
    default_open_backend,
)
from tracktray.desktop.settings_sync import SETTINGS_LANE, SettingsSync, preference_changes
from tracktray.desktop.start_up import LOCAL_NOTICE, PhasedStart
from tracktray.desktop.tasks import TaskBridge
from tracktray.desktop.tray import Clock, TrayView, _utc_now
from tracktray.desktop.update import UpdateChecker
from tracktray.desktop.window_opening import WindowOpening
from tracktray.i18n import N_, _
from tracktray.store.credentials import CredentialStore
from tracktray.store.settings import (
    LOCAL_ACCOUNT,
    AccountConfig,
    Preferences,
    Settings,
    SettingsStore,
)

if TYPE_CHECKING:
    from tracktray.desktop.menu import MenuModel
    from tracktray.desktop.network_watch import NetworkWatch
    from tracktray.desktop.update_install import UpdateInstaller

# Windows (sign-in, settings, trackers, describe) are imported when first opened
# (window_opening.py, command_dispatch.py): none of them is needed to show the icon and
# the first status.

__all__ = ["LOCAL_NOTICE", "TrayApp"]


log = logging.getLogger(__name__)

RECENT_KEPT = 10


def _update_installer(bridge: TaskBridge, data_dir: Path, parent: QObject) -> UpdateInstaller:
    """The installer of verified updates, made when an update is first offered."""
    from tracktray.desktop.update_install import UpdateInstaller

    return UpdateInstaller(bridge, data_dir=data_dir, parent=parent)


UPDATE_WAITS = Notice(
    N_("The update waits"),
    N_("A tracktray window is open. Finish or close it, then choose Restart to update again."),
)


class TrayApp(PhasedStart, CommandDispatch, WindowOpening, InstanceRequests, QObject):
    #: every notice the app shows (tests wait on it; the notifier shows it)
    announced = Signal(object)
    #: the settings file was read and the active account is being opened
    ready = Signal()
    #: the account answered (or failed) the first time and the rest of start-up ran
    settled = Signal()

    def __init__(
        self,
        *,
        settings_store: SettingsStore,
        credentials: CredentialStore,
        data_dir: Path,
        open_backend: OpenBackend | None = None,
        notifier: Notifier | None = None,
        tray_available: bool | None = None,
        backoff: Backoff | None = None,
        clock: Clock = _utc_now,
        quit_app: Callable[[], None] = QApplication.quit,
        icon: QSystemTrayIcon | None = None,
        parent: QObject | None = None,
    ) -> None:
        """``icon``: the tray icon the first stage shows, taken over (``first_stage.py``)."""
        super().__init__(parent)
        # First: from here on, garbage holding QObjects is collected on this thread only.
        self.collector = MainThreadCollector(self)
        self.bridge = TaskBridge(self)
        # Every answer (poll, click, keyring, disk) lands here on the Qt thread: collect
        # what is due then, so garbage never waits for a quiet account's next poll.
        self.bridge.pending_changed.connect(self.collector.collect)
        self.sync = SettingsSync(self.bridge, settings_store, self)
        self.sync.reloaded.connect(self._on_settings_reloaded)
        self.sync.failed.connect(
            lambda text: self.announce(Notice(_("Settings could not be saved"), text))
        )
        self.secrets = SecretKeeper(self.bridge, credentials, self.announce)
        self._data_dir = data_dir
        self._clock = clock
        self._quit_app = quit_app
        self._open_backend: OpenBackend = open_backend or default_open_backend
        self._shut_down = False
        self.session = Session(
            self.bridge,
            data_dir=data_dir,
            secret_lookup=lambda account_id: self.secrets.lookup(account_id),
            open_backend=self._open_backend,
            backoff=backoff,
            clock=clock,
            parent=self,
        )
        self.view = TrayView(
            self.session,
            model=self.menu_model,
            dispatch=self.dispatch,
            tray_available=tray_available,
            clock=clock,
            icon=icon,
            parent=self,
        )
        self.notifier = notifier or Notifier(self)
        if self.view.tray_available:
            self.notifier.set_fallback_tray(self.view.icon)
        self.notifier.action_invoked.connect(self.on_notice_action)
        self.updates = UpdateChecker(
            self.session.run_on_backend,
            preferences=lambda: self.settings.preferences,
            save_preferences=self._set_preferences,
            account_id=lambda: self.session.account.id if self.session.account else None,
            ca_file=lambda: self.session.account.ca_file if self.session.account else None,
            installer=lambda: _update_installer(self.bridge, data_dir, self),
            restart=self._restart_for_update,
            notifier=self.notifier,
            clock=clock,
            parent=self,
        )
        self.session.notice.connect(self.announce)
        self.session.tracker_used.connect(self._on_tracker_used)
        self.session.polled.connect(self._on_polled)
        # a cheap stat with each poll (on its worker) catches a change the watch missed
        # (news only when the file changed: a resting poll then stays on its worker)
        self.session.ride_along(
            self.sync.check_work, self.sync.check_done, lambda checked: checked[1] is not None
        )
        self.view.menu_opened.connect(self.session.poll_now)
        self._network: NetworkWatch | None = None  # made once the account answered
        self._rest_started = False
        #: the first stage's read of the journal: (account id, what it read)
        self._first_read: tuple[str, JournalRead] | None = None
        self._rest_deadline = QTimer(self)
        self._rest_deadline.setSingleShot(True)
        self._rest_deadline.timeout.connect(self._start_the_rest)
        #: the windows currently open, by kind; those of an account close when it changes
        self.windows = Windows(self)
        # Away, forgotten timer, not-tracking reminder (docs/desktop.md "Idle time")
        self.idle_watch = IdleWatch(self.bridge, parent=self)
        self.idle = IdleFlow(
            self.session,
            self.idle_watch,
            clock=clock,
            notify=self.notifier.notify,
            show_dialog=self._show_dialog,
            parent=self,
        )
        self.view.menu_opened.connect(self.idle.person_is_here)
        self.idle_watch.session_event.connect(self._poll_when_awake)
        self._commands = self._command_table()

    @property
    def settings(self) -> Settings:
        """The settings as last read, written or changed here."""
        return self.sync.settings

    # -- life cycle ----------------------------------------------------------------------

    def shutdown(self) -> None:
        """At quit: drop queued work, let running work finish, close the backend."""
        if self._shut_down:
            return
        self._shut_down = True
        self.windows.close_all()
        self.updates.finish_at_quit()  # before the bridge waits: stops a download
        self.idle_watch.close()
        self.sync.close()
        # a notification still on its way must not fall back to a deleted icon's balloon
        self.notifier.set_fallback_tray(None)
        self.view.hide()
        backend = self.session.detach_backend()
        self.notifier.close()
        self.bridge.shutdown()
        for held in [backend, *self.session.detach_loose_backends()]:
            if held is None:
                continue
            try:
                held.close()
            except Exception:  # quitting must not fail on a connection that is gone
                log.debug("closing a backend at quit failed", exc_info=True)
        self.collector.uninstall()

    def _restart_for_update(self) -> None:
        """ "Restart now" on a prepared update: quit; the new version starts after.

        Never while a window is open: it may hold input the person has not saved.
        """
        if any(getattr(d, "isVisible", lambda: False)() for d in self.dialogs.values()):
            self.announce(Notice(_(UPDATE_WAITS.title), _(UPDATE_WAITS.body)))
            return
        if self.updates.installer is not None:
            self.updates.installer.relaunch = True
        self._quit_app()

    def _open(self, account: AccountConfig, secret: str | None = None) -> None:
        # windows bound to the account being left (Attendances) close with it
        self.windows.close_bound(keep_account=account.id)
        self.session.last_tracker_id = self.settings.preferences.last_tracker.get(account.id)
        first_read, self._first_read = self._first_read, None
        journal_read = first_read[1] if first_read and first_read[0] == account.id else None
        self.session.open(account, secret, already_read=journal_read)

    # -- what the menu shows -------------------------------------------------------------

    def menu_model(self) -> MenuModel:
        from tracktray.desktop.menu_state import menu_model  # with the first menu

        model = menu_model(self.session, self.settings, self._clock())
        return dataclasses.replace(model, update_label=self.updates.menu_label())

    def announce(self, notice: Notice) -> None:
        self.announced.emit(notice)
        self.notifier.notify(notice.title, notice.body, actions=notice.actions)

    # -- reactions -----------------------------------------------------------------------

    def _on_signed_in(self, account: AccountConfig, password: str, remember: str) -> None:
        self._change(lambda s: s.with_account(account, activate=True))
        self.secrets.keep(account.id, password, in_keyring=remember == "keyring")
        self._open(account, password)

    def _on_tracker_used(self, account_id: str, tracker_id: int) -> None:
        def used(settings: Settings) -> Settings:
            prefs = settings.preferences
            recent = [
                tracker_id,
                *(t for t in prefs.recent_trackers.get(account_id, []) if t != tracker_id),
            ]
            return dataclasses.replace(
                settings,
                preferences=dataclasses.replace(
                    prefs,
                    recent_trackers={**prefs.recent_trackers, account_id: recent[:RECENT_KEPT]},
                    last_tracker={**prefs.last_tracker, account_id: tracker_id},
                ),
            )

        self._change(used)

    def _poll_when_awake(self, kind: str, starting: bool) -> None:
        """The computer woke up (logind, heard by the idle watch's listener): poll at
        once rather than up to an interval later."""
        if kind == "sleep" and not starting:
            self.session.poll_now()

    def _on_polled(self, ok: bool) -> None:
        if ok:
            self.collector.freeze_start_up()  # the icon shows a status: start-up is over
        if ok and Capability.CHECK_VERSION in self.session.capabilities:
            self.updates.check_if_due()

    def _on_preferences_edited(self, preferences: Preferences) -> None:
        before = self.settings.preferences
        self._set_preferences(preferences)
        self._apply_preferences(preferences)
        if preferences.start_at_login != before.start_at_login:
            from tracktray.desktop import autostart

            enabled = preferences.start_at_login
            self.bridge.run(
                SETTINGS_LANE,
                lambda: autostart.set_autostart(enabled),
                None,
                lambda exc: self.announce(
                    Notice(_("Start at login could not be changed"), str(exc))
                ),
            )

    def _apply_preferences(self, preferences: Preferences) -> None:
        self.session.poll_interval_s = float(preferences.poll_interval_s)
        self.view.click_action = preferences.click_action
        self.notifier.enabled = preferences.notifications
        self.idle.apply(preferences)

    # -- helpers -------------------------------------------------------------------------

    def _update_preferences(self, **changes: object) -> None:
        self._change(
            lambda s: dataclasses.replace(
                s,
                preferences=dataclasses.replace(s.preferences, **changes),  # type: ignore[arg-type]
            )
        )

    def _set_preferences(self, preferences: Preferences) -> None:
        """Write the preferences that differ from ours; others' changes to the rest stay."""
        self._update_preferences(**preference_changes(self.settings.preferences, preferences))

    def _change(self, change: Callable[[Settings], Settings]) -> None:
        """Change the settings now in memory, and on disk merged with what is there."""
        self.sync.change(change)

    def _on_settings_reloaded(self, settings: Settings) -> None:
        """Another program (the CLI) changed the settings: follow the accounts it set."""
        self._apply_preferences(settings.preferences)
        current = self.session.account
        wanted = settings.active_account or LOCAL_ACCOUNT
        if current is None or wanted != current or settings.account(current.id) is None:
            self._open(wanted)
        self.view.refresh()
