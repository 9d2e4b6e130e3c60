"""The tray app: settings, the active account's session, the tray view, the dialogs.

:class:`TrayApp` wires the pieces and decides what each menu command does. It never
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
from PySide6.QtWidgets import QApplication, QWidget

from tracktray.accounts import Capability
from tracktray.accounts.kinds import kind_of, new_account
from tracktray.desktop.backoff import Backoff
from tracktray.desktop.benchhooks import phase
from tracktray.desktop.collector import MainThreadCollector
from tracktray.desktop.commands import Command, Kind
from tracktray.desktop.dialogs import Windows
from tracktray.desktop.idle.watch import IDLE_LANE, IdleWatch
from tracktray.desktop.idle_flow import IdleFlow
from tracktray.desktop.notify import Notifier
from tracktray.desktop.passwords import SecretKeeper
from tracktray.desktop.session import (
    Notice,
    OpenBackend,
    Phase,
    Session,
    default_open_backend,
)
from tracktray.desktop.settings_sync import SETTINGS_LANE, SettingsSync, preference_changes
from tracktray.desktop.single_instance import Reply
from tracktray.desktop.stale import as_labelled
from tracktray.desktop.tasks import TaskBridge
from tracktray.desktop.time_commands import TIME_KINDS, open_time_window
from tracktray.desktop.timetrack_commands import JOURNALED, open_attendances
from tracktray.desktop.tray import Clock, TrayView, _utc_now
from tracktray.desktop.update import UpdateChecker
from tracktray.desktop.update_install import UpdateInstaller
from tracktray.domain.statuswire import status_to_json
from tracktray.i18n import N_, _
from tracktray.store.credentials import CredentialStore
from tracktray.store.settings import (
    LOCAL_ACCOUNT,
    AccountConfig,
    AccountKind,
    Preferences,
    Settings,
    SettingsStore,
    Stamp,
)

if TYPE_CHECKING:
    from tracktray.desktop.menu import MenuModel
    from tracktray.desktop.network_watch import NetworkWatch
    from tracktray.desktop.signin import SignInDialog

# Windows (sign-in, settings, trackers, describe) are imported when first opened: none
# of them is needed to show the icon and the first status.

__all__ = ["LOCAL_NOTICE", "TrayApp"]

#: the rest of start-up (idle probe, network watch, single-instance socket) at the latest
REST_AT_THE_LATEST_MS = 15_000
#: how long ``tracktray status`` may wait for the widget's poll before asking itself
STATUS_ANSWER_MS = 8000

log = logging.getLogger(__name__)

RECENT_KEPT = 10

LOCAL_NOTICE = Notice(
    N_("TrackTray keeps your time on this computer"),
    N_(
        "No server is set up, so your time is stored on this computer. To connect a server, "
        "choose Account ▸ Add server account… in the menu, or run “tracktray accounts add”."
    ),
)


UPDATE_WAITS = Notice(
    N_("The update waits"),
    N_("A tracktray window is open. Finish or close it, then choose Restart to update again."),
)


class TrayApp(QObject):
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
        parent: QObject | None = None,
    ) -> None:
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
            installer=UpdateInstaller(self.bridge, data_dir=data_dir, parent=self),
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
        self._commands = self._command_table()

    @property
    def settings(self) -> Settings:
        """The settings as last read, written or changed here."""
        return self.sync.settings

    # -- life cycle ----------------------------------------------------------------------

    def start(self, loaded: tuple[Settings, Stamp] | None = None) -> None:
        """Show the icon at once (waiting), then read the settings and open the account
        (``loaded``: the settings and their stamp, already read by the caller).

        What the icon and the first status do not need (the idle backend's probe, the
        network watch, the single-instance socket) starts once the account has answered
        or failed (:meth:`_start_the_rest`): the first status (the remembered one comes
        sooner) and the first poll never compete with it for the GIL, and the start-up
        is over in one short burst instead of threads waking each other up.
        """
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
        phase("network-watched")
        self.settled.emit()
        self.idle_watch.start()
        phase("settled")

    @property
    def network(self) -> NetworkWatch:
        """Polls at once when the network comes back or the computer wakes up. Made after
        the account first answered: QtNetwork and its backend plugin load then."""
        if self._network is None:
            from tracktray.desktop.network_watch import NetworkWatch

            self._network = NetworkWatch(self)
            self._network.back.connect(self.session.poll_now)
        return self._network

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

    def answer_status(self, reply: Reply) -> None:
        """``tracktray status`` asked: poll the open server account, answer what it said.

        The answer names the account, so the CLI uses it only for the same one; None
        (local mode, which the CLI reads itself as cheaply, or no account ready) means
        "ask yourself". A poll already on its way serves; no answer within
        :data:`STATUS_ANSWER_MS` is None too.
        """
        session = self.session
        account = session.account
        if account is None or session.backend is None or not kind_of(account).signs_in:
            reply(None)
            return
        answered = False

        def answer(ok: bool) -> None:
            nonlocal answered
            if answered:
                return
            answered = True
            session.polled.disconnect(answer)
            status = session.server_status
            if not ok or status is None or session.account is not account:
                reply(None)
                return
            reply(
                {
                    "account": {"id": account.id, "url": account.url, "username": account.username},
                    "status": status_to_json(status),
                }
            )

        session.polled.connect(answer)
        QTimer.singleShot(STATUS_ANSWER_MS, self, lambda: answer(False))
        session.poll_now()

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

    def show_menu(self) -> None:
        """Another ``tracktray`` was started: show this one's menu where the person is."""
        if self.view.window is not None:
            self.view.window.show()
            self.view.window.raise_()
            self.view.window.activateWindow()
        self.view.show_menu()

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

    def _open(self, account: AccountConfig, secret: str | None = None) -> None:
        # windows bound to the account being left (Attendances) close with it
        self.windows.close_bound(keep_account=account.id)
        self.session.last_tracker_id = self.settings.preferences.last_tracker.get(account.id)
        self.session.open(account, secret)

    # -- what the menu shows -------------------------------------------------------------

    def menu_model(self) -> MenuModel:
        from tracktray.desktop.menu_state import menu_model  # with the first menu

        model = menu_model(self.session, self.settings, self._clock())
        return dataclasses.replace(model, update_label=self.updates.menu_label())

    # -- commands ------------------------------------------------------------------------

    def dispatch(self, command: Command) -> None:
        labelled = as_labelled(command, self.session.status)
        if isinstance(labelled, str):
            self.announce(Notice(_("Nothing to do"), labelled))
            return
        handler = self._commands.get(labelled.kind)
        if handler is not None:
            handler(labelled.target)

    def _command_table(self) -> dict[Kind, Callable[[object], object]]:
        """What each command does: the widget's one dispatch table (menu entries,
        notification actions and the bench's clicks all arrive here)."""
        session = self.session

        def tracker(target: object) -> int | None:
            return target if isinstance(target, int) else None

        def journaled(name: str) -> Callable[[object], None]:
            return lambda _target: session.record(name, {})

        def time_window(kind: Kind) -> Callable[[object], None]:
            return lambda _target: open_time_window(
                kind, session, self._recent_trackers(), self._show_dialog, self._data_dir
            )

        def manage_trackers(_target: object) -> None:
            from tracktray.desktop.manage_trackers import ManageTrackersDialog  # on first use

            self._show_dialog("trackers", ManageTrackersDialog(session))

        def use_account(target: object) -> None:
            if isinstance(target, str):
                self.use_account(target)

        table: dict[Kind, Callable[[object], object]] = {
            Kind.START: lambda target: session.start(tracker(target)),
            Kind.SWITCH: lambda target: session.switch(tracker(target)),
            Kind.STOP: lambda _target: session.stop(),
            Kind.STOP_DESCRIBED: lambda _target: self._ask_description(switching=False),
            Kind.SWITCH_DESCRIBED: lambda _target: self._ask_description(switching=True),
            Kind.USE_ACCOUNT: use_account,
            Kind.ADD_ACCOUNT: lambda _target: self.open_sign_in(None),
            Kind.SIGN_IN: lambda _target: self.open_sign_in(session.account),
            Kind.SIGN_OUT: lambda _target: self.sign_out(),
            Kind.MANAGE_TRACKERS: manage_trackers,
            Kind.SETTINGS: lambda _target: self._open_settings(),
            Kind.CHECK_UPDATES: lambda _target: self.updates.check_now(),
            Kind.SHOW_UPDATE: lambda _target: self.updates.show_offer(),
            Kind.ATTENDANCES: lambda _target: open_attendances(session, self._show_dialog),
            Kind.QUIT: lambda _target: self._quit_app(),
        }
        table.update({kind: journaled(name) for kind, name in JOURNALED.items()})
        table.update({kind: time_window(kind) for kind in TIME_KINDS})
        return table

    def _recent_trackers(self) -> list[int]:
        account = self.session.account
        return self.settings.preferences.recent_trackers.get(account.id if account else "", [])

    def _open_settings(self) -> None:
        from tracktray.desktop.settings_dialog import SettingsDialog

        dialog = SettingsDialog(
            self.settings.preferences,
            idle_explanation=self.idle_watch.describe(),
            lock_events=bool(self.idle_watch.event_sources),
        )
        dialog.saved.connect(self._on_preferences_edited)
        self._show_dialog("settings", dialog)

    def use_account(self, account_id: str) -> None:
        account = self.settings.account(account_id)
        if account is None or (account == self.session.account and self.session.backend):
            return
        self._change(lambda s: dataclasses.replace(s, active_account_id=account_id))
        self._open(account)

    def sign_out(self) -> None:
        account = self.session.account
        if account is None or not kind_of(account).signs_in:
            return
        self.secrets.forget(account.id)
        self.windows.close_bound(keep_account=None)
        self.session.sign_out()

    def open_sign_in(self, account: AccountConfig | None) -> SignInDialog:
        from tracktray.desktop.signin import SignInDialog

        if account is not None and not kind_of(account).signs_in:
            account = None
        dialog = SignInDialog(
            self.bridge,
            open_backend=self._open_backend,
            data_dir=self._data_dir,
            new_account=self._describe_account,
            keyring_available=self.secrets.credentials.available,
            account=account,
        )
        dialog.signed_in.connect(self._on_signed_in)
        self._show_dialog("sign-in", dialog)
        return dialog

    def _describe_account(
        self,
        kind: AccountKind,
        url: str,
        username: str,
        ca_file: str | None,
        again: AccountConfig | None,
    ) -> AccountConfig:
        # Called on the sign-in worker; the settings are an immutable snapshot.
        return new_account(self.settings, kind, url, username, ca_file=ca_file, again=again)

    def on_notice_action(self, key: str) -> None:
        if key == "sign-in":
            self.open_sign_in(self.session.account)

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

    def _ask_description(self, *, switching: bool) -> None:
        from tracktray.desktop.describe import DescribePrompt

        status = self.session.status
        current = status.running.tracker.id if status and status.running else None
        prompt = DescribePrompt(
            title=_("Switch tracker") if switching else _("Stop tracking"),
            action_label=_("Switch") if switching else _("Stop"),
            tree=self.session.tree if switching else None,
            current_id=current,
        )

        def chosen(tracker_id: int | None, description: str) -> None:
            if switching:
                self.session.switch(tracker_id, description)
            else:
                self.session.stop(description)

        prompt.chosen.connect(chosen)
        self._show_dialog("describe", prompt)

    @property
    def dialogs(self) -> dict[str, QWidget]:
        """The windows currently open, by kind (tests reach them here)."""
        return self.windows.by_kind

    def _show_dialog(self, key: str, dialog: QWidget, account_id: str | None = None) -> None:
        self.windows.show(key, dialog, account_id=account_id)

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


#: what the widget needs after its start (the network watch and the single-instance
#: socket, the first click, the first menu): imported on a worker once the account first
#: answered, so that neither the start nor a later click waits for it on the Qt thread
_LATER_MODULES = (
    "PySide6.QtNetwork",
    "PySide6.QtDBus",
    "tracktray.desktop.network_watch",
    "tracktray.accounts.outbox",
    "tracktray.desktop.sent",
    "tracktray.desktop.menu",
    "tracktray.desktop.menu_state",
)


def _load_later_modules() -> None:
    import importlib

    for name in _LATER_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:  # the Qt thread imports it when needed and says why
            log.debug("%s not loaded ahead", name, exc_info=True)
    # the Qt namespace builds its ~100 enums when first touched (~20 ms): here, not in
    # the queued connections and windows that use it later on the Qt thread
    from PySide6.QtCore import Qt

    _ = Qt.ConnectionType.QueuedConnection


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
