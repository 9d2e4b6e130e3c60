"""Which account a command acts on, and opening its backend once per run.

Precedence: ``TRACKTRAY_URL`` (+ ``_USER``, ``_PASSWORD``, ``_CA``) defines an ad-hoc
account that is never written anywhere; otherwise ``--account``, otherwise the active
account of the settings (the local one on a fresh machine). For a stored remote account
``TRACKTRAY_PASSWORD`` stands in for the keyring, which is how scripts and machines
without a keyring proceed.
"""

from __future__ import annotations

import os
import sys

from tracktray.cli.errors import UsageError
from tracktray.contracts.errors import AuthenticationFailed
from tracktray.i18n import _
from tracktray.store.account_config import LOCAL_ACCOUNT, AccountConfig, active_of

TYPE_CHECKING = False  # typing is not imported at run time (a few ms per command)
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from pathlib import Path
    from typing import TextIO

    from tracktray.contracts.backend import Backend
    from tracktray.domain.status import Status
    from tracktray.store.account_config import StrPath
    from tracktray.store.credentials import CredentialStore
    from tracktray.store.settings import Settings, SettingsStore

__all__ = ["ENV_ACCOUNT_ID", "Context"]

ENV_ACCOUNT_ID = "environment"


class Context:
    """What every command needs: settings, the chosen account, its backend, streams."""

    def __init__(
        self,
        *,
        config_dir: Path | None = None,
        data_dir: Path | None = None,
        account_id: str | None = None,
        environ: Mapping[str, str] | None = None,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
        owns_the_process: bool = False,
    ) -> None:
        self._config_dir = config_dir
        self._store: SettingsStore | None = None
        self._data_dir = data_dir
        self._account_id = account_id
        self.environ = os.environ if environ is None else environ
        self.stdin = stdin or sys.stdin
        self.out = stdout or sys.stdout
        self.err = stderr or sys.stderr
        self._settings: Settings | None = None
        self._backend: Backend | None = None
        self._account: AccountConfig | None = None
        #: the command runs alone in its own process (``tracktray …``, not a test or
        #: the widget): a child process may read the password meanwhile
        self._owns_the_process = owns_the_process

    @property
    def store(self) -> SettingsStore:
        """The settings file (:mod:`tracktray.store.settings`, imported when first needed:
        ``tracktray status`` finds its account without it)."""
        if self._store is None:
            from tracktray.store.settings import SettingsStore

            self._store = SettingsStore(self._config_dir)
        return self._store

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = self.store.load()
        return self._settings

    def update_settings(self, change: Callable[[Settings], Settings]) -> Settings:
        """Apply ``change`` to the settings on disk now (merged with the widget's writes)."""
        self._settings = self.store.update(change)
        return self._settings

    @property
    def data_dir(self) -> Path:
        if self._data_dir is None:
            from tracktray.accounts.factory import default_data_dir

            self._data_dir = default_data_dir()
        return self._data_dir

    @property
    def data_folder(self) -> StrPath:
        """:attr:`data_dir` as given or as the platform names it, without making it a
        ``Path`` (``tracktray status`` imports no pathlib)."""
        if self._data_dir is not None:
            return self._data_dir
        from tracktray.store.places import user_data_dir  # factory.default_data_dir

        return user_data_dir()

    def credentials(self) -> CredentialStore:
        from tracktray.store.credentials import CredentialStore

        return CredentialStore()

    @property
    def account(self) -> AccountConfig:
        if self._account is None:
            self._account = self._choose_account()
        return self._account

    def backend(self) -> Backend:
        """The chosen account's backend, opened on first use and closed by :meth:`close`."""
        if self._backend is None:
            return self._open_backend(self._secret(self.account))
        return self._backend

    def status(self) -> Status:
        """The chosen account's status. Asked in one request where the account's kind has
        a lighter way and no backend is open yet (``tracktray status`` without a widget),
        else by the backend, opened for it."""
        if self._backend is None:
            from tracktray.accounts.kinds import kind_of

            account = self.account
            read_once = kind_of(account).read_status_once
            if read_once is not None:
                secret = self._secret_soon(account)
                found = read_once(account, secret)
                if found is not None:
                    return found
                return self._open_backend(secret()).status()  # the secret is read once
        return self.backend().status()

    def _open_backend(self, secret: str | None) -> Backend:
        from tracktray.accounts.factory import open_backend

        self._backend = open_backend(self.account, secret, data_dir=self.data_folder)
        return self._backend

    def close(self) -> None:
        if self._backend is not None:
            backend, self._backend = self._backend, None
            backend.close()

    def print(self, text: str = "") -> None:
        self.out.write(text + "\n")

    # -- choosing the account ------------------------------------------------------

    def _choose_account(self) -> AccountConfig:
        url = self.environ.get("TRACKTRAY_URL", "").strip()
        if url:
            user = self.environ.get("TRACKTRAY_USER", "").strip()
            if not user:
                raise UsageError(_("TRACKTRAY_URL is set, so TRACKTRAY_USER must be set too."))
            return AccountConfig(
                id=ENV_ACCOUNT_ID,
                kind="trackmypeople",
                label=_("{user} (from the environment)").format(user=user),
                url=url,
                username=user,
                ca_file=self.environ.get("TRACKTRAY_CA") or None,
            )
        accounts, active_id = self._stored_accounts()
        if self._account_id is not None:
            found = next((a for a in accounts if a.id == self._account_id), None)
            if found is None:
                known = ", ".join(a.id for a in accounts) or "none"
                raise UsageError(
                    _("There is no account “{account_id}” (known: {known}).").format(
                        account_id=self._account_id, known=known
                    )
                )
            return found
        return active_of(accounts, active_id) or LOCAL_ACCOUNT

    def _stored_accounts(self) -> tuple[tuple[AccountConfig, ...], str | None]:
        """The stored accounts and the active one's id: read plainly from the file by the
        settings' own rules (``settings_glance.accounts``: no dataclass of the settings
        is built), or through :attr:`settings` when they are loaded or the file is odd
        (which then says what is wrong with it)."""
        if self._settings is None:
            from tracktray.store.settings_glance import accounts

            seen = accounts(self._settings_dir())
            if seen is not None:
                return seen
        settings = self.settings
        return settings.accounts, settings.active_account_id

    def _settings_dir(self) -> StrPath:
        if self._store is not None:
            return self._store.config_dir
        if self._config_dir is not None:
            return self._config_dir
        from tracktray.store.places import user_config_dir

        return user_config_dir()  # settings.default_config_dir, not made a Path

    def _secret(self, account: AccountConfig) -> str | None:
        return self._secret_soon(account, ahead=False)()

    def _secret_soon(
        self, account: AccountConfig, *, ahead: bool = True
    ) -> Callable[[], str | None]:
        """The account's secret when the returned function is called: read meanwhile
        by a child process where this command owns its process (``store/secret_ahead.py``:
        ``tracktray status`` imports its HTTP stack in the meantime), else then. Raises
        now what needs no keyring to say, and when called what the keyring refuses."""
        from tracktray.accounts.kinds import kind_of

        if not kind_of(account).signs_in:
            return lambda: None
        from_env = self.environ.get("TRACKTRAY_PASSWORD")
        if from_env:
            return lambda: from_env
        if account.id == ENV_ACCOUNT_ID:
            raise AuthenticationFailed(
                _("TRACKTRAY_URL is set but TRACKTRAY_PASSWORD is not; set it for this command.")
            )
        from tracktray.store.secret_ahead import read_ahead

        read = read_ahead(
            self.credentials(), account.id, in_a_child=ahead and self._owns_the_process
        )

        def stored() -> str:
            secret = read()
            if not secret:
                raise AuthenticationFailed(
                    _(
                        "No password is stored for the account “{label}”; add the account "
                        "again with `tracktray accounts add`, or set TRACKTRAY_PASSWORD."
                    ).format(label=account.shown_label)
                )
            return secret

        return stored
