"""The tray icon for each state of the widget, drawn from SVG so every size is crisp.

Each icon is rendered from its SVG file at whatever size the panel asks for (16, 22, 24,
32 px, HiDPI), instead of scaling one bitmap. Each glyph is dark with a light halo, so it
reads on light and dark panels alike.

The icons are drawn by :class:`SvgIconEngine`, not by Qt's own SVG icon engine: Qt's
engine (and its plain-pixmap one) keeps every pixmap it draws in the application-wide
``QPixmapCache``, whose clean-up timer then wakes the Qt thread at 30 s and every 10 s
after until the cache is empty again — about five wake-ups after each new pixmap, so a
tray whose tooltip and icon are redrawn once a minute (a block running) never slept.
Ours keeps the tray's few pixmaps itself (a handful of KiB) and the application icon's
none at all: that one is drawn only when a window is created.

Drawing an SVG loads Qt's SVG module and its image plugin, ~0.7 MiB of resident memory
for the rest of the run, for a glyph that never changes. So the icons are also drawn
ahead as PNG files at every square size from 16 to 64 pixels, and 96 and 128
(``packaging/render_tray_icons.py``, run by ``scripts/bootstrap`` and the packaging):
the engine reads the file of the size asked, and draws the SVG only for another size
(a window's large icon, when a window opens). The application's icon is drawn at 16,
32, 64 and 128 pixels already when the tray shows: Qt gives the tray's X11 window the
application's icon.

A panel may give the icon an area that is not square (a vertical panel, trayer): the
glyph is drawn square, as large as fits, in its middle, never stretched.
"""

from __future__ import annotations

import enum
from contextlib import ExitStack
from functools import cache
from pathlib import Path

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import (
    QGuiApplication,
    QIcon,
    QIconEngine,
    QImage,
    QImageReader,
    QPainter,
    QPixmap,
)

import tracktray

__all__ = [
    "SvgIconEngine",
    "TrayState",
    "app_icon",
    "drawn_ahead_path",
    "icon_for",
    "icon_path",
    "resource_file",
]


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


class SvgIconEngine(QIconEngine):
    """Draws one SVG file at the size asked, square, from its PNG drawn ahead at that
    size where there is one, else through Qt's SVG image reader.

    With ``keep`` the pixmaps drawn are kept here (the tray asks for the same one or two
    sizes at every repaint); without, each is drawn when asked (the application icon,
    asked for once per window created). Either way nothing goes into ``QPixmapCache``
    (see the module's docstring). Every mode and state draws the same glyph: the tray
    and the window decorations ask only for the normal one.
    """

    def __init__(self, path: Path, *, keep: bool) -> None:
        super().__init__()
        self._path = path
        self._keep = keep
        self._drawn: dict[int, QPixmap] = {}

    def scaledPixmap(
        self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float
    ) -> QPixmap:
        """A square as large as fits in ``size`` (Qt allows a smaller pixmap than asked)."""
        scale = max(scale, 1.0)
        side = max(1, round(min(size.width(), size.height()) * scale))
        pixmap = self._drawn.get(side)
        if pixmap is None:
            pixmap = QPixmap.fromImage(self._render(side))
            if self._keep:
                self._drawn[side] = pixmap
        # a copy sharing the pixels, so a caller's device pixel ratio is its own
        shown = QPixmap(pixmap)
        shown.setDevicePixelRatio(scale)
        return shown

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        # the application's ratio, not ``painter.device()``'s: wrapping the tray's own
        # widget for Python costs ~1.4 MiB that stays
        app = QGuiApplication.instance()
        scale = app.devicePixelRatio() if isinstance(app, QGuiApplication) else 1.0
        side = min(rect.width(), rect.height())
        square = QRect(
            rect.x() + (rect.width() - side) // 2,
            rect.y() + (rect.height() - side) // 2,
            side,
            side,
        )
        painter.drawPixmap(square, self.scaledPixmap(square.size(), mode, state, scale))

    def clone(self) -> QIconEngine:
        twin = SvgIconEngine(self._path, keep=self._keep)
        twin._drawn = self._drawn  # the same drawings, shared
        return twin

    def isNull(self) -> bool:
        return False

    def _render(self, side: int) -> QImage:
        drawn_ahead = QImage(str(drawn_ahead_path(self._path, side)))
        if not drawn_ahead.isNull():  # a missing file is a null image, not an error
            return drawn_ahead
        reader = QImageReader(str(self._path))
        reader.setScaledSize(QSize(side, side))
        image = reader.read()
        if image.isNull():  # no SVG image plugin: a clear, empty icon rather than none
            image = QImage(side, side, QImage.Format.Format_ARGB32_Premultiplied)
            image.fill(0)  # transparent (PySide6's ``Qt`` namespace costs ~1 MiB to load)
        return image


def drawn_ahead_path(svg: Path, side: int) -> Path:
    """Where ``packaging/render_tray_icons.py`` puts ``svg`` drawn ``side`` pixels square."""
    return svg.parent / "tray" / f"{svg.stem}-{side}.png"


@cache
def icon_for(state: TrayState) -> QIcon:
    """The icon for ``state`` (cached: the tray swaps between a handful of them)."""
    return QIcon(SvgIconEngine(icon_path(state), keep=True))


def app_icon() -> QIcon:
    """The application's own icon (windows, dialogs, the launcher entry's ``Icon``)."""
    return QIcon(SvgIconEngine(_icon_dir() / "tracktray.svg", keep=False))
