"""Render the tray's icons (resources/icons/*.svg) as PNG files, once per size.

The tray icon is drawn at every size a panel asks for, and the application's icon at
16, 32, 64 and 128 pixels when the tray's own X11 window is made (``_NET_WM_ICON``).
Drawing an SVG loads Qt's SVG module and image plugin (~0.7 MiB of the widget's resident
memory for its whole run), so the sizes trays ask for, 16 to 64 pixels square (and 96
and 128), are drawn here ahead, through the same Qt SVG image reader the widget would use:
``resources/icons/tray/<name>-<n>.png``. A window's larger icon is drawn from the SVG
when a window opens.
The widget reads the file of the size asked and draws the SVG only for another size
(``tracktray/desktop/icons.py``). Generated, never committed: ``scripts/bootstrap`` and
``scripts/package`` run this; it redraws only what is older than its SVG.

    python packaging/render_tray_icons.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "resources" / "icons"
OUT = ICONS / "tray"
#: every square size from a 1x panel's 16 px to a 2x panel's 64 px, and the larger ones
#: Qt draws the application's icon at for an X11 window (16, 32, 64 and 128)
SIZES = (*range(16, 65), 96, 128)


def stale(sources: list[Path]) -> list[tuple[Path, int, Path]]:
    """(svg, size, png) for each PNG missing or older than its SVG."""
    todo = []
    for svg in sources:
        for size in SIZES:
            png = OUT / f"{svg.stem}-{size}.png"
            if not png.exists() or png.stat().st_mtime < svg.stat().st_mtime:
                todo.append((svg, size, png))
    return todo


def main() -> int:
    sources = sorted(ICONS.glob("*.svg"))
    todo = stale(sources)
    if not todo:
        return 0
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QGuiApplication, QImageReader

    app = QGuiApplication.instance() or QGuiApplication([])
    OUT.mkdir(exist_ok=True)
    for svg, size, png in todo:
        reader = QImageReader(str(svg))
        reader.setScaledSize(QSize(size, size))
        image = reader.read()
        if image.isNull() or not image.save(str(png), "PNG"):
            print(f"{png}: {reader.errorString()}", file=sys.stderr)
            return 1
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
