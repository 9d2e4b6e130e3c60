"""Where the widget keeps passwords: the OS keyring, or this run's memory only.

The keyring is slow and may block (a locked Secret Service asks to unlock), so every
keyring call runs on the task bridge's keyring lane, or on the account's worker for
reads at open. When the person chose "remember until quit" (no keyring on the system),
the password lives in memory only and is gone when TrackTray quits: never a file.
"""

from __future__ import annotations

from collections.abc import Callable

from tracktray.api import AuthenticationFailed
from tracktray.desktop.failures import Notice
from tracktray.desktop.tasks import TaskBridge
from tracktray.i18n import _
from tracktray.store.credentials import CredentialStore, CredentialStoreError

__all__ = ["KEYRING_LANE", "SecretKeeper"]

KEYRING_LANE = "keyring"


class SecretKeeper:
    def __init__(
        self,
        bridge: TaskBridge,
        credentials: CredentialStore,
        announce: Callable[[Notice], None],
    ) -> None:
        self._bridge = bridge
        self.credentials = credentials
        self._memory = CredentialStore.session_only(credentials.service)
        self._announce = announce

    def lookup(self, account_id: str) -> str | None:
        """The password (runs on a worker): this run's memory first, then the keyring."""
        secret = self._memory.get(account_id)
        if secret is not None:
            return secret
        try:
            return self.credentials.get(account_id)
        except CredentialStoreError as exc:
            raise AuthenticationFailed(
                _(
                    "{exc} Sign in again; TrackTray can remember the password until it quits."
                ).format(exc=exc)
            ) from None

    def keep(self, account_id: str, secret: str, *, in_keyring: bool) -> None:
        """Remember a password that the server just accepted."""
        if not in_keyring:
            self._memory.set(account_id, secret)
            return

        def kept_in_memory(exc: Exception) -> None:
            self._memory.set(account_id, secret)
            self._announce(
                Notice(
                    _("The password is kept until TrackTray quits"),
                    _("{exc} TrackTray will ask again next time.").format(exc=exc),
                )
            )

        self._bridge.run(
            KEYRING_LANE, lambda: self.credentials.set(account_id, secret), None, kept_in_memory
        )

    def forget(self, account_id: str) -> None:
        self._memory.delete(account_id)
        self._bridge.run(
            KEYRING_LANE,
            lambda: self.credentials.delete(account_id),
            None,
            lambda exc: self._announce(Notice(_("The password could not be removed"), str(exc))),
        )
