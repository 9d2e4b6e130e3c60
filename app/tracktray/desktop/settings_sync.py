"""The widget's copy of ``settings.json``, kept in step with the CLI and other programs.

Every change the widget makes is a *function* over the settings (add this account, set
these preferences), applied at once to the copy in memory and then, on the settings lane,
to what is on disk at that moment under the store's lock: a change made elsewhere in the
meantime is merged, never overwritten. A change made elsewhere is noticed by a
``QFileSystemWatcher`` on the folder (the file is replaced by a rename, so the folder is
what changes) and by a cheap ``stat`` with every poll (in the poll's own worker task:
no extra thread hop), and arrives as :attr:`reloaded`.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QFileSystemWatcher, QObject, Signal

from tracktray.desktop.tasks import TaskBridge
from tracktray.store.settings import Preferences, Settings, SettingsStore, Stamp

__all__ = ["SETTINGS_LANE", "SettingsSync", "preference_changes"]

log = logging.getLogger(__name__)

SETTINGS_LANE = "settings"

Change = Callable[[Settings], Settings]


def preference_changes(before: Preferences, after: Preferences) -> dict[str, Any]:
    """The preferences ``after`` sets differently from ``before`` (what a dialog changed)."""
    return {
        spec.name: getattr(after, spec.name)
        for spec in dataclasses.fields(Preferences)
        if getattr(after, spec.name) != getattr(before, spec.name)
    }


class SettingsSync(QObject):
    #: the settings changed on disk (another program); the new settings
    reloaded = Signal(object)
    #: a save failed; the sentence to show
    failed = Signal(str)

    def __init__(self, bridge: TaskBridge, store: SettingsStore, parent: QObject | None = None):
        super().__init__(parent)
        self._bridge = bridge
        self.store = store
        self.settings = Settings()
        self._stamp: Stamp = None
        self._saving = 0
        self._checking = False
        self._watcher: QFileSystemWatcher | None = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(self.check)
        self._watcher.fileChanged.connect(self.check)

    def loaded(self, settings: Settings, stamp: Stamp) -> None:
        """The first load is done: remember it and start watching the folder."""
        self.settings = settings
        self._stamp = stamp
        folder = str(self.store.config_dir)
        self._bridge.run(
            SETTINGS_LANE,
            lambda: self.store.config_dir.mkdir(parents=True, exist_ok=True),
            lambda _: self._watch(folder),
            lambda exc: log.info("%s", exc),
        )

    def _watch(self, folder: str) -> None:
        if self._watcher is not None and folder not in self._watcher.directories():
            self._watcher.addPath(folder)

    def close(self) -> None:
        """At quit: stop watching, and give back the watcher's inotify handle now rather
        than when Qt gets round to deleting the app (the handles are few per user: 128 on
        many systems, and every app a test suite starts would otherwise keep one)."""
        watcher, self._watcher = self._watcher, None
        if watcher is not None:
            shiboken6.delete(watcher)

    def change(self, change: Change) -> None:
        """Apply ``change`` now in memory, and to the file on the settings lane."""
        self.settings = change(self.settings)
        store = self.store
        self._saving += 1

        def work() -> tuple[Settings, Stamp]:
            return store.update(change), store.stamp()

        def done(result: tuple[Settings, Stamp]) -> None:
            self._saving -= 1
            merged, self._stamp = result
            if not self._saving:
                # what is on disk now, the change of another program included
                before, self.settings = self.settings, merged
                if _differs_beyond(before, merged):
                    self.reloaded.emit(merged)

        def failed(exc: Exception) -> None:
            self._saving -= 1
            self.failed.emit(str(exc))

        self._bridge.run(SETTINGS_LANE, work, done, failed)

    def check(self, *_: object) -> None:
        """Reload when the file on disk is not the one last read or written here."""
        if self._checking:
            return
        self._checking = True

        def done(result: tuple[Stamp, Settings | None]) -> None:
            self._checking = False
            self.check_done(result)

        def failed(exc: Exception) -> None:
            self._checking = False
            log.info("settings not reloaded: %s", exc)

        self._bridge.run(SETTINGS_LANE, self.check_work, done, failed)

    def check_work(self) -> tuple[Stamp, Settings | None]:
        """The worker half of :meth:`check` (any lane): the stamp, and the settings when
        they are not the ones last read or written here."""
        stamp = self.store.stamp()
        return stamp, self.store.load() if stamp != self._stamp else None

    def check_done(self, result: tuple[Stamp, Settings | None]) -> None:
        """The Qt-thread half of :meth:`check`: take what another program wrote."""
        stamp, settings = result
        if settings is None or self._saving or stamp == self._stamp:
            return
        self._stamp = stamp
        self.settings = settings
        self.reloaded.emit(settings)


def _differs_beyond(mine: Settings, merged: Settings) -> bool:
    return mine != merged
