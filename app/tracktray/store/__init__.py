"""Where tracktray keeps things between runs: settings (platformdirs' folders, ``places``) and
secrets (keyring)."""

from tracktray.store.credentials import CredentialStore, CredentialStoreError, NoKeyringError
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
