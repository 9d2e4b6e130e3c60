"""Opening the app's windows: settings, sign-in, the description prompt.

This is the part of :class:`~tracktray.desktop.controller.TrayApp` that opens its
windows; it lives apart so the controller keeps to wiring the pieces and reacting to
them. Each window's module is imported when it is first opened (none is needed to show
the icon and the first status: ``tests/desktop/test_lean_start.py``), and every window
is shown through :class:`~tracktray.desktop.dialogs.Windows`: non-modal, no nested
event loop, in front.

:class:`WindowOpening` is a mixin: it holds no state of its own and works on the app's
attributes, declared below for the type checker only.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from tracktray.accounts.kinds import kind_of, new_account
from tracktray.i18n import _
from tracktray.store.settings import AccountConfig, AccountKind, Preferences, Settings

if TYPE_CHECKING:
    from tracktray.desktop.dialogs import Windows
    from tracktray.desktop.idle.watch import IdleWatch
    from tracktray.desktop.passwords import SecretKeeper
    from tracktray.desktop.session import OpenBackend, Session
    from tracktray.desktop.signin import SignInDialog
    from tracktray.desktop.tasks import TaskBridge

__all__ = ["WindowOpening"]


class WindowOpening:
    """Opening :class:`TrayApp`'s windows, each module imported on first use."""

    if TYPE_CHECKING:  # the app's own, declared for the type checker
        bridge: TaskBridge
        session: Session
        secrets: SecretKeeper
        idle_watch: IdleWatch
        windows: Windows
        _data_dir: Path
        _open_backend: OpenBackend

        @property
        def settings(self) -> Settings: ...

        def _on_preferences_edited(self, preferences: Preferences) -> None: ...

        def _on_signed_in(self, account: AccountConfig, password: str, remember: str) -> None: ...

    def _open_settings(self) -> None:
        from tracktray.desktop.settings_dialog import SettingsDialog

        dialog = SettingsDialog(
            self.settings.preferences,
            idle_explanation=self.idle_watch.describe(),
            lock_events=bool(self.idle_watch.event_sources),
        )
        dialog.saved.connect(self._on_preferences_edited)
        self._show_dialog("settings", dialog)

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
