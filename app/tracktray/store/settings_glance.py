"""The few facts of ``settings.json`` the widget's first stage needs, read plainly.

The widget draws its icon with the status remembered from the last run before it
imports the rest of itself (``desktop/first_stage.py``); for that it needs the language,
the active account (its id and the label the tooltip shows) and whether tracktray ran
here before — not the whole :class:`~tracktray.store.settings.Settings`, whose ~40
dataclass fields cost ~13 ms to define. This reads them with :mod:`json` alone, by the
same rules as :mod:`tracktray.store.settings` (``tests/store/test_settings_glance.py``
holds both side by side); anything it is unsure of answers None, and the caller then
takes the full road.

``tracktray status`` finds its account the same way (:func:`accounts`): the accounts
and the active one, read by :mod:`tracktray.store.account_config`'s rules, which the full
read uses too.
"""

from __future__ import annotations

import json
import os

from tracktray.store.account_config import (
    LOCAL_ACCOUNT,
    AccountConfig,
    accounts_from,
    active_id_from,
    active_of,
)

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from tracktray.store.account_config import StrPath

__all__ = ["SettingsGlance", "accounts", "glance"]


class SettingsGlance:
    """The language choice and the active account, as :class:`Settings` would see them."""

    __slots__ = ("account_id", "account_kind", "account_label", "language")

    def __init__(self, language: str, account_id: str, kind: str, label: str) -> None:
        self.language = language
        self.account_id = account_id
        self.account_kind = kind
        #: the label as stored (the local account's is translated where shown)
        self.account_label = label


def glance(config_dir: StrPath) -> SettingsGlance | None:
    """The glance at ``config_dir/settings.json``; None on a first run (no file, or
    tracktray never started here) or when the file is not plainly readable."""
    try:
        data = json.loads(_read(config_dir))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    preferences = data.get("preferences")
    if not isinstance(preferences, dict) or preferences.get("launched_before") is not True:
        return None  # the first launch takes the full road (notices, local database)
    language = preferences.get("language", "system")
    if not isinstance(language, str):
        language = "system"
    account = _active_account(data)
    return SettingsGlance(language, *account)


def _active_account(data: Mapping[str, Any]) -> tuple[str, str, str]:
    """(id, kind, label) of the active account: settings.py's ``active_account``, and the
    local account when there is none (what the widget opens then)."""
    account = active_of(accounts_from(data), active_id_from(data)) or LOCAL_ACCOUNT
    return account.id, account.kind, account.label


def _read(config_dir: StrPath) -> str:
    # os.path and open() rather than pathlib: ``tracktray status`` imports no pathlib
    with open(os.path.join(config_dir, "settings.json"), encoding="utf-8") as file:
        return file.read()


def accounts(config_dir: StrPath) -> tuple[tuple[AccountConfig, ...], str | None] | None:
    """The accounts of ``config_dir/settings.json`` and the active account's id, as
    :meth:`SettingsStore.load <tracktray.store.settings.SettingsStore.load>` reads them
    (no file, or an empty one: the local account alone); None when the file cannot be
    plainly read — the full read then says why."""
    try:
        text = _read(config_dir)
    except FileNotFoundError:
        text = ""
    except (OSError, ValueError):
        return None
    if not text.strip():
        return (LOCAL_ACCOUNT,), LOCAL_ACCOUNT.id  # Settings()
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    return accounts_from(data), active_id_from(data)
