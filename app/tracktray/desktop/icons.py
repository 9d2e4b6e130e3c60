"""The tray icon for each state of the widget, drawn from SVG so every size is crisp.

Qt's SVG icon engine renders the file at whatever size the panel asks for (16, 22, 24,
32 px, HiDPI), instead of scaling one bitmap. Each glyph is dark with a light halo, so it
reads on light and dark panels alike.
"""

from __future__ import annotations

import enum
from contextlib import ExitStack
from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon

import tracktray

__all__ = ["TrayState", "app_icon", "icon_for", "icon_path", "resource_file"]


class TrayState(enum.Enum):
    STOPPED = "stopped"
    RUNNING = "running"
    #: a TimeTrack timer on a break
    PAUSED = "paused"
    #: an action was sent and the server has not confirmed it yet
    WAITING = "waiting"
    #: the server cannot be reached; the last known state may be stale
    OFFLINE = "offline"
    #: the server rejected the credentials, or the account could not be opened
    SIGNED_OUT = "signed-out"


# Keeps the files extracted for as long as the process runs when the package is
# zipped (a plain install hands back the real directory and this costs nothing).
_files = ExitStack()


@cache
def _icon_dir() -> Path:
    # An installed package is a folder: use it without importlib.resources (~4 ms of
    # imports at start-up); a zipped one is extracted for as long as the process runs.
    folder = Path(tracktray.__file__).parent / "resources" / "icons"
    if folder.is_dir():
        return folder
    import importlib.resources

    resource = importlib.resources.files("tracktray") / "resources" / "icons"
    return _files.enter_context(importlib.resources.as_file(resource))


def resource_file(name: str) -> Path:
    """One of the app's icon files (``tracktray.svg``, ``running.svg``...)."""
    return _icon_dir() / name


def icon_path(state: TrayState) -> Path:
    return _icon_dir() / f"{state.value}.svg"


@cache
def icon_for(state: TrayState) -> QIcon:
    """The icon for ``state`` (cached: the tray swaps between a handful of them)."""
    return QIcon(str(icon_path(state)))


def app_icon() -> QIcon:
    """The application's own icon (windows, dialogs, the launcher entry's ``Icon``)."""
    return QIcon(str(_icon_dir() / "tracktray.svg"))
