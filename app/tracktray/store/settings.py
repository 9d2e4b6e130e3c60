"""Accounts and preferences, in one human-readable JSON file under the user's config dir.

Never a secret in it: passwords and keys live in the keyring (``credentials.py``). The
file is written atomically (temporary file + rename), so a crash never leaves half of it;
unknown keys are ignored so an older tracktray can read a newer file. A file that cannot
be read is reported, never overwritten.

The widget and the CLI share the file. Every change goes through :meth:`SettingsStore.update`:
under a lock file (``.settings.lock``) it reads what is on disk *now*, applies the change
and writes the result, so a change made by one process is never overwritten by another's
older copy (an account added from the CLI survives the widget's next preference write).
:meth:`SettingsStore.stamp` is a cheap ``stat`` the widget uses to notice a change made
elsewhere and reload.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tracktray.contracts.errors import TrackTrayError
from tracktray.i18n import _
from tracktray.store.account_config import (
    LOCAL_ACCOUNT,
    AccountConfig,
    AccountKind,
    accounts_from,
    active_id_from,
    active_of,
)

# Type names only: every command reads the settings first, and typing costs a few ms
# at run time; importers use AccountKind in annotations.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any, Literal, TypeAlias

    ClickAction: TypeAlias = Literal["toggle", "menu"]
else:
    ClickAction = str

__all__ = [
    "LOCAL_ACCOUNT",
    "AccountConfig",
    "AccountKind",
    "Preferences",
    "Settings",
    "SettingsError",
    "SettingsStore",
    "default_config_dir",
]

FILE_NAME = "settings.json"
LOCK_NAME = ".settings.lock"
#: what identifies one version of the file on disk (None: there is no file)
Stamp = tuple[int, int, int] | None


class SettingsError(TrackTrayError):
    """The settings file exists but cannot be read or written."""


def _default_click_action() -> ClickAction:
    # On macOS a click on a menu-bar item opens its menu; elsewhere a click toggles.
    return "menu" if sys.platform == "darwin" else "toggle"


@dataclass(frozen=True)
class Preferences:
    """The person's preferences; each has a default, unknown ones are ignored."""

    poll_interval_s: int = 60
    click_action: ClickAction = field(default_factory=_default_click_action)
    notifications: bool = True
    start_at_login: bool = False
    skipped_version: str | None = None
    #: account id → ISO 8601 UTC time of that account's last answered update check
    update_checks: dict[str, str] = field(default_factory=dict)
    #: the release last announced by a notification (one notification per release)
    notified_version: str | None = None
    #: tracktray has been started before (the very first launch announces no update)
    launched_before: bool = False
    recent_trackers: dict[str, list[int]] = field(default_factory=dict)
    last_tracker: dict[str, int] = field(default_factory=dict)
    local_notice_shown: bool = False
    # Away and forgotten timers (desktop/idle_flow.py; docs/desktop.md "Idle time")
    #: ask when the person comes back after this long without input
    idle_detection: bool = True
    idle_after_s: int = 600
    stop_on_lock: bool = False
    stop_on_sleep: bool = False
    stop_on_shutdown: bool = False
    #: ask "Still working on …?" once a block runs longer than this
    forgotten_prompt: bool = True
    forgotten_after_s: int = 9 * 3600
    #: remind after this much activity with nothing running, in working hours
    reminder_enabled: bool = False
    reminder_after_s: int = 900
    #: ISO weekdays as bits (bit 0 = Monday): Monday to Friday
    work_days: int = 0b0011111
    work_start: str = "09:00"
    work_end: str = "18:00"
    #: the reminder was offered once (after a few days of use); ISO date of the first use
    reminder_offered: bool = False
    first_used_on: str | None = None
    #: the widget's language: "system" (the desktop's) or a code of tracktray.i18n.LANGUAGES
    language: str = "system"


@dataclass(frozen=True)
class Settings:
    """The accounts, which one is active, and the preferences."""

    accounts: tuple[AccountConfig, ...] = (LOCAL_ACCOUNT,)
    active_account_id: str | None = LOCAL_ACCOUNT.id
    preferences: Preferences = field(default_factory=Preferences)

    def account(self, account_id: str) -> AccountConfig | None:
        return next((a for a in self.accounts if a.id == account_id), None)

    @property
    def active_account(self) -> AccountConfig | None:
        """The active account; the first one if the active id names none."""
        return active_of(self.accounts, self.active_account_id)

    def with_account(self, account: AccountConfig, *, activate: bool = False) -> Settings:
        """These settings with ``account`` added (or replaced, same id)."""
        accounts = [a for a in self.accounts if a.id != account.id]
        accounts.append(account)
        active = account.id if activate else self.active_account_id
        return dataclasses.replace(self, accounts=tuple(accounts), active_account_id=active)

    def without_account(self, account_id: str) -> Settings:
        accounts = tuple(a for a in self.accounts if a.id != account_id)
        active = self.active_account_id
        if active == account_id:
            active = accounts[0].id if accounts else None
        prefs = self.preferences
        prefs = dataclasses.replace(
            prefs,
            recent_trackers={k: v for k, v in prefs.recent_trackers.items() if k != account_id},
            last_tracker={k: v for k, v in prefs.last_tracker.items() if k != account_id},
            update_checks={k: v for k, v in prefs.update_checks.items() if k != account_id},
        )
        return Settings(accounts=accounts, active_account_id=active, preferences=prefs)

    def new_account_id(self, hint: str) -> str:
        """A fresh slug built from ``hint`` ("alice@tmp.example" → "alice-tmp-example")."""
        import re

        base = re.sub(r"[^a-z0-9]+", "-", hint.casefold()).strip("-")[:40] or "account"
        taken = {a.id for a in self.accounts}
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        return candidate


def default_config_dir() -> Path:
    from tracktray.store.places import user_config_dir

    return Path(user_config_dir())


class SettingsStore:
    """Loads and saves :class:`Settings` in ``<config_dir>/settings.json``."""

    def __init__(self, config_dir: Path | None = None) -> None:
        self.config_dir = config_dir if config_dir is not None else default_config_dir()
        self.path = self.config_dir / FILE_NAME
        self.lock_path = self.config_dir / LOCK_NAME

    def stamp(self) -> Stamp:
        """A cheap fingerprint of the file (inode, size, mtime): it changes with each write."""
        try:
            info = self.path.stat()
        except OSError:
            return None
        return (info.st_ino, info.st_size, info.st_mtime_ns)

    def update(self, change: Callable[[Settings], Settings]) -> Settings:
        """Apply ``change`` to the settings on disk now, under the lock; returns the result."""
        from tracktray.store.filelock import locked  # writes only: a read takes no lock

        try:
            with locked(self.lock_path):
                merged = change(self.load())
                self._write(merged)
        except OSError as exc:
            raise SettingsError(
                _("The settings could not be saved in {config_dir}: {value}.").format(
                    config_dir=self.config_dir, value=exc.strerror or exc
                )
            ) from None
        return merged

    def load(self) -> Settings:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return Settings()
        except OSError as exc:
            raise SettingsError(
                _("The settings file {path} cannot be read: {exc}.").format(path=self.path, exc=exc)
            ) from None
        if not text.strip():
            return Settings()
        try:
            data = json.loads(text)
        except ValueError:
            raise SettingsError(
                _(
                    "The settings file {path} is damaged (not valid JSON); fix it or move "
                    "it away to start afresh."
                ).format(path=self.path)
            ) from None
        if not isinstance(data, dict):
            raise SettingsError(
                _("The settings file {path} does not hold settings.").format(path=self.path)
            )
        return _settings_from(data)

    def save(self, settings: Settings) -> None:
        """Replace the whole file with ``settings`` (under the lock); prefer :meth:`update`."""
        from tracktray.store.filelock import locked

        try:
            with locked(self.lock_path):
                self._write(settings)
        except OSError as exc:
            raise SettingsError(
                _("The settings could not be saved in {config_dir}: {value}.").format(
                    config_dir=self.config_dir, value=exc.strerror or exc
                )
            ) from None

    def _write(self, settings: Settings) -> None:
        import tempfile  # only a save needs it; every command loads

        text = json.dumps(_settings_to(settings), indent=2, ensure_ascii=False) + "\n"
        try:
            self.config_dir.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.config_dir, prefix=".settings-", suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(text)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise SettingsError(
                _("The settings could not be saved in {config_dir}: {value}.").format(
                    config_dir=self.config_dir, value=exc.strerror or exc
                )
            ) from None


def _settings_to(settings: Settings) -> dict[str, Any]:
    return {
        "version": 1,
        "active_account": settings.active_account_id,
        "accounts": [a.as_dict() for a in settings.accounts],
        "preferences": dataclasses.asdict(settings.preferences),
    }


def _settings_from(data: Mapping[str, Any]) -> Settings:
    return Settings(
        accounts=accounts_from(data),
        active_account_id=active_id_from(data),
        preferences=_preferences_from(data.get("preferences")),
    )


def _preferences_from(raw: object) -> Preferences:
    """Each known preference of the right type; anything else keeps its default."""
    if not isinstance(raw, dict):
        return Preferences()
    defaults = Preferences()
    values: dict[str, Any] = {}
    for spec in dataclasses.fields(Preferences):
        if spec.name not in raw:
            continue
        value = raw[spec.name]
        default = getattr(defaults, spec.name)
        if spec.name == "click_action":
            if value in ("toggle", "menu"):
                values[spec.name] = value
        elif spec.name == "recent_trackers" and isinstance(value, dict):
            values[spec.name] = {
                str(k): [i for i in v if isinstance(i, int) and not isinstance(i, bool)]
                for k, v in value.items()
                if isinstance(v, list)
            }
        elif spec.name == "last_tracker" and isinstance(value, dict):
            values[spec.name] = {
                str(k): v
                for k, v in value.items()
                if isinstance(v, int) and not isinstance(v, bool)
            }
        elif spec.name == "update_checks" and isinstance(value, dict):
            values[spec.name] = {str(k): v for k, v in value.items() if isinstance(v, str)}
        elif _same_kind(default, value):
            values[spec.name] = value
    return Preferences(**values)


def _same_kind(default: object, value: object) -> bool:
    """Whether a stored ``value`` may replace a preference whose default is ``default``."""
    if default is None:
        return value is None or isinstance(value, str)
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, str):
        return isinstance(value, str)
    if isinstance(default, int):
        return isinstance(value, int) and not isinstance(value, bool) and value > 0
    return False
