"""Render the app icon (resources/icons/tracktray.svg) for every platform's packaging.

Writes into OUT: ``hicolor/<n>x<n>/apps/tracktray.png`` (Linux menus and AppStream),
``tracktray.ico`` (Windows executables and installer) and ``tracktray.icns`` (macOS
app). Qt's own SVG renderer and image writers do it, offscreen: no other tool needed.

    python packaging/render_icons.py OUT
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QImageWriter, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "resources" / "icons" / "tracktray.svg"
LINUX_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    return image


def write(image: QImage, path: Path, fmt: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = QImageWriter(str(path), fmt.encode())
    if not writer.write(image):
        raise SystemExit(f"render_icons: cannot write {path}: {writer.errorString()}")


def main(out: Path) -> None:
    _app = QGuiApplication([])
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"render_icons: {SOURCE} is not a valid SVG")
    for size in LINUX_SIZES:
        write(render(renderer, size), out / "hicolor" / f"{size}x{size}/apps/tracktray.png", "png")
    write(render(renderer, 256), out / "tracktray.ico", "ico")
    write(render(renderer, 512), out / "tracktray.icns", "icns")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    main(Path(sys.argv[1]))
