"""Every state has its own icon, crisp at tray sizes, readable on light and dark panels."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap, QPixmapCache
from pytestqt.qtbot import QtBot

from tracktray.desktop.icons import TrayState, app_icon, icon_for, icon_path


def _render(state: TrayState, size: int) -> QImage:
    image = icon_for(state).pixmap(size, size).toImage()
    assert image.width() == size, "the SVG engine renders at the asked size"
    return image


def _lightness(image: QImage) -> list[float]:
    values = []
    for y in range(image.height()):
        for x in range(image.width()):
            c = QColor(image.pixel(x, y))
            if QColor.fromRgba(image.pixel(x, y)).alpha() > 200:
                values.append(c.lightnessF())
    return values


@pytest.mark.parametrize("state", list(TrayState))
@pytest.mark.parametrize("size", [16, 22, 32, 64])
def test_each_icon_has_dark_and_light_parts_at_every_size(
    qtbot: QtBot, state: TrayState, size: int
) -> None:
    assert icon_path(state).is_file()
    light = _lightness(_render(state, size))
    assert light, "the icon draws something"
    assert min(light) < 0.25, "a dark outline shows on light panels"
    assert max(light) > 0.9, "a light halo shows on dark panels"


def test_states_look_different(qtbot: QtBot) -> None:
    images = {s: _render(s, 32) for s in TrayState}
    assert len({bytes(img.constBits()) for img in images.values()}) == len(TrayState)


def test_drawing_the_icons_puts_nothing_in_qts_pixmap_cache(qtbot: QtBot) -> None:
    """Qt's pixmap cache wakes the Qt thread at 30 s and every 10 s after each pixmap
    put in it, until it is empty again: a tray redrawn once a minute would never sleep.

    Seen from outside: a pixmap of our own that fills the cache stays in it, where any
    icon pixmap put in beside it would push it out (the cache drops the oldest first).
    """
    limit = QPixmapCache.cacheLimit()
    sentinel = QPixmap(64, 64)  # 16 KiB
    sentinel.fill(QColor("red"))
    QPixmapCache.clear()
    QPixmapCache.setCacheLimit(17)  # KiB: room for the sentinel and nothing else
    try:
        assert QPixmapCache.insert("tracktray-test-sentinel", sentinel)
        for state in TrayState:
            icon = icon_for(state)
            for size in (16, 22, 32):
                assert not icon.pixmap(size, size).isNull()
            image = QImage(22, 22, QImage.Format.Format_ARGB32_Premultiplied)
            image.fill(0)
            painter = QPainter(image)
            icon.paint(painter, QRect(0, 0, 22, 22))  # how the X11 tray draws it
            painter.end()
            assert image != QImage(22, 22, QImage.Format.Format_ARGB32_Premultiplied)
        for size in (16, 32):
            assert not app_icon().pixmap(size, size).isNull()
        found = QPixmapCache.find("tracktray-test-sentinel", QPixmap())
        assert found, "an icon pixmap went into the cache and pushed ours out"
    finally:
        QPixmapCache.clear()
        QPixmapCache.setCacheLimit(limit)


def test_the_tray_icon_is_drawn_once_per_size_and_pixel_ratio(qtbot: QtBot) -> None:
    icon = icon_for(TrayState.RUNNING)
    first = icon.pixmap(QSize(22, 22), 1.0)
    assert icon.pixmap(QSize(22, 22), 1.0).cacheKey() == first.cacheKey()
    sharp = icon.pixmap(QSize(22, 22), 2.0)
    assert sharp.size() == QSize(44, 44) and sharp.devicePixelRatio() == 2.0
    assert first.devicePixelRatio() == 1.0, "each caller's ratio is its own"
