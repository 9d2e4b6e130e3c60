"""Widget updates: the protocol's version string, when to ask the server, what to show.

- :func:`platform_version_string` builds ``checkVersion``'s ``<Platform>_Qt-<version>``.
- :class:`UpdateChecker` decides WHEN: for each account at its first successful poll and
  then at most once a day (the time of each account's last answer is kept in
  ``Preferences.update_checks``, so a check made on one account never silences another's),
  and always when the person picks "Check for updates". The call itself runs on the
  account's lane through the session's ``run_on_backend`` (the task bridge): never on the
  UI thread.
- WHAT the person sees: an automatic find never opens a window. It becomes a menu entry
  ("Update 2.3.0 available…", :attr:`UpdateChecker.available`) and, once per release and
  never during the very first launch, a notification whose action opens the offer. The
  offer (:class:`~tracktray.desktop.update_offer.UpdateDialog`) is a non-modal window:
  Download, Later, or Skip this version (remembered in ``Preferences.skipped_version``,
  so automatic finds stop offering it; a manual check still shows it).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import sys
from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QWidget

import tracktray
from tracktray.contracts.backend import Backend, Capability
from tracktray.contracts.errors import Refused
from tracktray.domain import UpdateCheck
from tracktray.i18n import _
from tracktray.store.settings import Preferences

if TYPE_CHECKING:
    from tracktray.desktop.update_install import UpdateInstaller
    from tracktray.desktop.update_offer import UpdateChoice, UpdateDialog

__all__ = ["UpdateChecker", "UpdateChoice", "UpdateDialog", "platform_version_string"]


def _offer() -> ModuleType:
    from tracktray.desktop import update_offer

    return update_offer


def __getattr__(name: str) -> Any:
    # The offer window is imported when an update is offered, not at start-up.
    if name in ("UpdateChoice", "UpdateDialog"):
        from tracktray.desktop import update_offer

        return getattr(update_offer, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_log = logging.getLogger(__name__)

CHECK_INTERVAL = dt.timedelta(days=1)


def platform_version_string(
    version: str = tracktray.__version__, platform: str = sys.platform
) -> str:
    """``Linux_Qt-0.1.0``, ``Windows_Qt-0.1.0`` or ``Mac_Qt-0.1.0`` (protocol format)."""
    from tracktray.domain.versions import format_widget_version  # see UpdateChecker.version

    return format_widget_version(version, platform)


class RunOnBackend(Protocol):
    """``Session.run_on_backend``: run ``work(backend)`` on the account's lane."""

    def __call__(
        self,
        work: Callable[[Backend], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[Exception], None],
    ) -> None: ...


class UpdateNotifier(Protocol):
    def notify(
        self,
        title: str,
        body: str,
        *,
        actions: tuple[tuple[str, str], ...] = (),
        on_action: Callable[[str], None] | None = None,
    ) -> None: ...


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _check(version: str) -> Callable[[Backend], UpdateCheck | None]:
    def work(backend: Backend) -> UpdateCheck | None:
        if Capability.CHECK_VERSION not in backend.capabilities:
            return None  # local mode and servers without widget releases
        return backend.check_version(version)

    return work


class UpdateChecker(QObject):
    """Asks the server for a newer widget when it is due, and offers what it finds."""

    #: a check finished: the newer release, or ``None`` when up to date / not offered
    checked = Signal(object)
    #: a check could not be made (the sentence says why); it is tried again later
    failed = Signal(str)
    #: :attr:`available` changed (the menu entry appears or goes)
    available_changed = Signal()

    def __init__(
        self,
        run_on_backend: RunOnBackend,
        *,
        preferences: Callable[[], Preferences],
        save_preferences: Callable[[Preferences], None],
        account_id: Callable[[], str | None] = lambda: None,
        ca_file: Callable[[], str | None] = lambda: None,
        installer: Callable[[], UpdateInstaller] | None = None,
        restart: Callable[[], None] | None = None,
        notifier: UpdateNotifier | None = None,
        dialog_parent: Callable[[], QWidget | None] = lambda: None,
        clock: Callable[[], dt.datetime] = _utc_now,
        version: str | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._run_on_backend = run_on_backend
        self._preferences = preferences
        self._save_preferences = save_preferences
        self._account_id = account_id
        self._ca_file = ca_file
        #: makes the installer of verified releases (None: the download page is the only
        #: way). It is made when an update is offered: a widget at rest, which is almost
        #: always, does without its module and its lane (~0.1 MiB).
        self._make_installer = installer
        self._installer: UpdateInstaller | None = None
        #: quit and start again (the person chose "Restart now")
        self.restart = restart
        self.notifier = notifier
        self._dialog_parent = dialog_parent
        self._clock = clock
        self._version = version
        #: this is the very first launch of tracktray: finds stay in the menu, unannounced
        self.first_launch = False
        #: the newer release found and not skipped (the menu offers it), else None
        self.available: UpdateCheck | None = None
        #: the offer window while it is open (one at a time)
        self.offer: UpdateDialog | None = None
        self._in_flight: set[str] = set()

    def _account_key(self) -> str:
        return self._account_id() or ""

    def is_due(self) -> bool:
        """True at an account's first check and once its last answer is a day old."""
        prefs = self._preferences()
        last = _parse_time(prefs.update_checks.get(self._account_key()))
        if last is None:
            return True
        elapsed = self._clock() - last
        return elapsed >= CHECK_INTERVAL or elapsed < dt.timedelta(0)

    def check_if_due(self) -> None:
        """Cheap; call it at start and after every successful poll."""
        if self.is_due():
            self._start(manual=False)

    def check_now(self) -> None:
        """ "Check for updates" in the menu: always asks, always answers."""
        self._start(manual=True)

    def _start(self, *, manual: bool) -> None:
        account = self._account_key()
        if account in self._in_flight:
            return
        self._in_flight.add(account)
        self._run_on_backend(
            _check(self.version),
            lambda result: self._on_answer(result, account, manual=manual),
            lambda exc: self._on_failure(exc, account, manual=manual),
        )

    def _on_answer(self, result: UpdateCheck | None, account: str, *, manual: bool) -> None:
        self._in_flight.discard(account)
        prefs = self._preferences()
        if result is not None:  # an account that cannot say (local mode) records nothing
            checks = {**prefs.update_checks, account: self._clock().isoformat()}
            prefs = dataclasses.replace(prefs, update_checks=checks)
            self._save_preferences(prefs)
        newer = result if result is not None and not result.up_to_date else None
        self.checked.emit(newer)
        if newer is None:
            if manual:
                _offer().UpdateDialog.inform(
                    _("You have the newest tracktray, version {version}.").format(
                        version=tracktray.__version__
                    )
                    if result is not None
                    else _("This account's server does not offer tracktray updates."),
                    self._dialog_parent(),
                )
            return
        if manual:
            self._set_available(newer)
            self._open_offer()
            return
        if _offer().release_name(newer) == prefs.skipped_version:
            return
        self._set_available(newer)
        self._announce(newer, prefs)

    def _on_failure(self, exc: Exception, account: str, *, manual: bool) -> None:
        self._in_flight.discard(account)
        _log.info("update check failed: %s", exc)
        if isinstance(exc, Refused):
            # The server answered: it has no release for this widget (the engine without
            # releases, a server that does not know our version). That is its answer for
            # the day, not a failure to retry with every poll (a request a minute).
            prefs = self._preferences()
            checks = {**prefs.update_checks, account: self._clock().isoformat()}
            self._save_preferences(dataclasses.replace(prefs, update_checks=checks))
        self.failed.emit(str(exc))
        if manual:
            _offer().UpdateDialog.inform(
                _("Could not check for updates: {exc}").format(exc=exc), self._dialog_parent()
            )

    def _set_available(self, check: UpdateCheck | None) -> None:
        if check != self.available:
            self.available = check
            self.available_changed.emit()

    @property
    def installer(self) -> UpdateInstaller | None:
        """The installer once an update was offered (it may be preparing or prepared)."""
        return self._installer

    def installer_for_offer(self) -> UpdateInstaller | None:
        """The installer, made now if need be; None where this widget installs nothing."""
        if self._installer is None and self._make_installer is not None:
            self._installer = self._make_installer()
            self._installer.ready.connect(self._on_prepared)
            self._installer.failed.connect(self._on_prepare_failed)
        return self._installer

    def menu_label(self) -> str | None:
        """The menu entry for the release on offer ("Update 2.3.0 available…"), or None."""
        installer = self.installer
        if installer is not None and installer.prepared is not None:
            return _("Restart to update to {version}").format(version=installer.prepared.version)
        if installer is not None and installer.preparing:
            return _("Downloading the update…")
        check = self.available
        if check is None:
            return None
        return (
            _("Update {version} available…").format(version=check.version)
            if check.version
            else _("Update available…")
        )

    def _announce(self, check: UpdateCheck, prefs: Preferences) -> None:
        """One notification per release, never during the first launch, never a window."""
        name = _offer().release_name(check)
        if self.first_launch or self.notifier is None or prefs.notified_version == name:
            return
        self._save_preferences(dataclasses.replace(prefs, notified_version=name))

        def on_action(key: str) -> None:
            if key == "show-update":
                self._open_offer()

        self.notifier.notify(
            _("tracktray update"),
            _("tracktray {version} is available.").format(version=check.version)
            if check.version
            else _("A newer tracktray is available."),
            actions=(("show-update", _("Show")),),
            on_action=on_action,
        )

    def show_offer(self) -> None:
        """Open the offer for :attr:`available` (the menu entry, the notification).

        Once an update is prepared, the same entry restarts into it (the person asked).
        """
        installer = self.installer
        if installer is not None and installer.prepared is not None:
            if self.restart is not None:
                self.restart()
            return
        self._open_offer()

    def _open_offer(self) -> None:
        """The offer window (never a restart: only the menu entry that says so restarts)."""
        installer = self.installer
        if installer is not None and installer.prepared is not None:
            _offer().UpdateDialog.inform(
                _("tracktray {version} is ready and starts the next time tracktray starts.").format(
                    version=installer.prepared.version
                ),
                self._dialog_parent(),
            )
            return
        check = self.available
        if check is None:
            return
        if self.offer is not None:
            self.offer.raise_()
            self.offer.activateWindow()
            return
        installer = self.installer_for_offer()

        def answered(choice: UpdateChoice) -> None:
            self.offer = None
            if choice is _offer().UpdateChoice.SKIP:
                self._save_preferences(
                    dataclasses.replace(
                        self._preferences(), skipped_version=_offer().release_name(check)
                    )
                )
                self._set_available(None)
            elif choice is _offer().UpdateChoice.INSTALL and installer is not None:
                installer.prepare(check, self._ca_file())
                self.available_changed.emit()

        self.offer = _offer().UpdateDialog.ask(
            check,
            self._dialog_parent(),
            answered,
            can_install=installer is not None and installer.can_install(check),
            note=installer.manual_sentence(check) if installer is not None else None,
        )

    @property
    def version(self) -> str:
        """What this widget tells the server it is, worked out at the first check (its
        parsing module loads decimal, which local mode otherwise never needs)."""
        if self._version is None:
            self._version = platform_version_string()
        return self._version

    @version.setter
    def version(self, version: str) -> None:
        self._version = version

    def _on_prepared(self, version: str) -> None:
        """The update is verified and in place: say so once; it applies at quit."""
        self.available_changed.emit()
        if self.notifier is None:
            return

        def on_action(key: str) -> None:
            if key == "restart-update" and self.restart is not None:
                self.restart()

        self.notifier.notify(
            _("tracktray update"),
            _("tracktray {version} is ready and starts the next time tracktray starts.").format(
                version=version
            ),
            actions=(("restart-update", _("Restart now")),),
            on_action=on_action,
        )

    def _on_prepare_failed(self, sentence: str) -> None:
        """Nothing was changed; the download page stays the way out."""
        self.available_changed.emit()
        if self.notifier is None:
            return
        url = self.available.url if self.available is not None else None

        def on_action(key: str) -> None:
            if key == "open-page" and url:
                QDesktopServices.openUrl(QUrl(url))

        self.notifier.notify(
            _("The update was not installed"),
            sentence,
            actions=(("open-page", _("Open the download page")),) if url else (),
            on_action=on_action,
        )

    def close_offer(self) -> None:
        """At quit: close the offer window if it is open."""
        if self.offer is not None:
            self.offer.close()

    def finish_at_quit(self) -> None:
        """At quit: close the offer, stop a download, apply a prepared update."""
        self.close_offer()
        if self.installer is not None:
            self.installer.apply_at_quit()


def _parse_time(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None  # a hand-edited file: check again rather than never
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
