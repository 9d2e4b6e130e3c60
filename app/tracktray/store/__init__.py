"""Where tracktray keeps things between runs: settings (platformdirs' folders, ``places``) and
secrets (keyring).

The names below load on first use (PEP 562): the widget's first stage reads a glance of
the settings and the journal (``settings_glance``, ``journal``) without defining the
settings' dataclasses (~10 ms) or loading the credential store.
"""

from __future__ import annotations

from tracktray._lazy import lazy_exports

TYPE_CHECKING = False  # typing itself is not imported at run time
if TYPE_CHECKING:
    from tracktray.store.credentials import (
        CredentialStore,
        CredentialStoreError,
        NoKeyringError,
    )
    from tracktray.store.settings import (
        AccountConfig,
        Preferences,
        Settings,
        SettingsError,
        SettingsStore,
    )

__all__ = [
    "AccountConfig",
    "CredentialStore",
    "CredentialStoreError",
    "NoKeyringError",
    "Preferences",
    "Settings",
    "SettingsError",
    "SettingsStore",
]

_HOME = {
    "CredentialStore": "tracktray.store.credentials",
    "CredentialStoreError": "tracktray.store.credentials",
    "NoKeyringError": "tracktray.store.credentials",
    "AccountConfig": "tracktray.store.account_config",
    "Preferences": "tracktray.store.settings",
    "Settings": "tracktray.store.settings",
    "SettingsError": "tracktray.store.settings",
    "SettingsStore": "tracktray.store.settings",
}

__getattr__ = lazy_exports(__name__, _HOME)
