"""Every state has its own icon, crisp at tray sizes, readable on light and dark panels."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QColor, QImage, QImageReader, QPainter, QPixmap, QPixmapCache
from pytestqt.qtbot import QtBot

from tracktray.desktop.icons import (
    TrayState,
    app_icon,
    drawn_ahead_path,
    icon_for,
    icon_path,
    resource_file,
)


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
@pytest.mark.parametrize("size", [16, 22, 32, 64, 80])  # 80: not drawn ahead, from the SVG
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


def _svg_drawn(path: Path, side: int) -> QImage:
    reader = QImageReader(str(path))
    reader.setScaledSize(QSize(side, side))
    return reader.read().convertToFormat(QImage.Format.Format_ARGB32)


@pytest.mark.parametrize("side", [16, 22, 24, 40, 64, 128])
def test_the_sizes_trays_ask_for_are_drawn_ahead_as_the_svg_draws_them(
    qtbot: QtBot, side: int
) -> None:
    """The PNG files scripts/bootstrap draws (packaging/render_tray_icons.py) are what
    the engine would draw from the SVG, so nobody can tell which one a panel got."""
    for svg in [*(icon_path(state) for state in TrayState), resource_file("tracktray.svg")]:
        png = drawn_ahead_path(svg, side)
        assert png.is_file(), f"{png} missing: run scripts/bootstrap"
        ahead = QImage(str(png)).convertToFormat(QImage.Format.Format_ARGB32)
        drawn = _svg_drawn(svg, side)
        assert ahead.size() == drawn.size() == QSize(side, side)
        worst = max(
            abs(a - b)
            for y in range(side)
            for x in range(side)
            for a, b in zip(_channels(ahead.pixel(x, y)), _channels(drawn.pixel(x, y)), strict=True)
        )
        assert worst <= 1, f"{png} is not the SVG drawn at {side} px"


def _channels(argb: int) -> tuple[int, int, int, int]:
    return (argb >> 24) & 255, (argb >> 16) & 255, (argb >> 8) & 255, argb & 255


def test_an_area_that_is_not_square_gets_the_glyph_square_in_its_middle(qtbot: QtBot) -> None:
    # trayer, or a vertical panel: the tray's area is 22 wide and 38 high
    icon = icon_for(TrayState.STOPPED)
    assert icon.pixmap(QSize(22, 38)).size() == QSize(22, 22)
    image = QImage(22, 38, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    icon.paint(painter, QRect(0, 0, 22, 38))  # how the X11 tray draws it
    painter.end()
    rows = [
        y for y in range(38) if any(QColor.fromRgba(image.pixel(x, y)).alpha() for x in range(22))
    ]
    assert rows, "the icon draws something"
    assert min(rows) >= 8 and max(rows) <= 29, "drawn in the middle 22 x 22, not stretched"
    square = image.copy(0, 8, 22, 22).convertToFormat(QImage.Format.Format_ARGB32)
    assert square == icon.pixmap(QSize(22, 22)).toImage().convertToFormat(
        QImage.Format.Format_ARGB32
    )
