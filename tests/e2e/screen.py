"""Looking at the virtual screen the way a person would: what changed, where the icon is."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from jeepney import MatchRule
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QImage

from tests.support.desktop_env import TRAY_AREA

#: every notification any program sends, as seen on the session bus
NOTIFY_CALLS = MatchRule(
    type="method_call", interface="org.freedesktop.Notifications", member="Notify"
)


def tray_pixels(shot: Path) -> tuple[int, tuple[int, int, int, int]]:
    """Pixels in the tray strip that differ from its background, and their bounding box."""
    image = QImage(str(shot))
    assert not image.isNull(), f"cannot read {shot}"
    x0, y0, width, height = TRAY_AREA
    colours = {
        (x, y): image.pixel(x, y) for x in range(x0, x0 + width) for y in range(y0, y0 + height)
    }
    background = Counter(colours.values()).most_common(1)[0][0]
    icon = [xy for xy, colour in colours.items() if colour != background]
    if not icon:
        return 0, (0, 0, 0, 0)
    xs, ys = [x for x, _ in icon], [y for _, y in icon]
    return len(icon), (min(xs), min(ys), max(xs), max(ys))


def tray_changed(before: Path, after: Path) -> bool:
    return QImage(str(before)).copy(*TRAY_AREA) != QImage(str(after)).copy(*TRAY_AREA)


#: where dunst draws notifications (top right); they may come and go at any moment
NOTIFICATION_AREA = QRect(600, 0, 424, 250)


def screen_changes(before: Path, after: Path) -> int:
    """Pixels that differ between two screenshots, outside the tray and notifications."""
    old, new = QImage(str(before)), QImage(str(after))
    tray = QRect(*TRAY_AREA)
    changed = 0
    for y in range(0, old.height(), 2):  # every other row and column: plenty for a window
        for x in range(0, old.width(), 2):
            point = QPoint(x, y)
            if tray.contains(point) or NOTIFICATION_AREA.contains(point):
                continue
            changed += old.pixel(x, y) != new.pixel(x, y)
    return changed
