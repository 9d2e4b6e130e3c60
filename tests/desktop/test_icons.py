"""Every state has its own icon, crisp at tray sizes, readable on light and dark panels."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from tracktray.desktop.icons import TrayState, icon_for, icon_path


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
