"""No window of the widget may block the tray: no modality, no nested event loop.

A modal window or a nested event loop (``exec()``) leaves the tray icon dead while it is
open and throws the person's clicks away; ``QMessageBox`` is even application-modal by
default when merely shown. Every window goes through ``desktop/dialogs.py``. This test
reads the source of every module of the desktop package and fails on:

- ``exec()`` / ``exec_()`` on anything but the application (``app.exec()`` in app.py);
- the static helpers ``QMessageBox.question/information/warning/critical/about`` and
  ``QInputDialog.get*`` (each runs a modal box in a nested loop);
- ``setModal(True)``, and any ``WindowModal`` / ``ApplicationModal`` modality;
- ``.open()`` on a dialog (window-modal by definition).
"""

from __future__ import annotations

import ast
from pathlib import Path

import tracktray.desktop

PACKAGE = Path(tracktray.desktop.__file__).parent

STATIC_HELPERS = {
    "QMessageBox": {"question", "information", "warning", "critical", "about", "aboutQt"},
    "QInputDialog": {"getText", "getItem", "getInt", "getDouble", "getMultiLineText"},
}


def offences(source: str, name: str) -> list[str]:
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute):
            owner = node.value.id if isinstance(node.value, ast.Name) else ""
            if node.attr in STATIC_HELPERS.get(owner, ()):
                found.append(f"{name}:{node.lineno}: {owner}.{node.attr} (modal, nested loop)")
            if node.attr in ("WindowModal", "ApplicationModal"):
                found.append(f"{name}:{node.lineno}: {node.attr}")
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        attr, target = node.func.attr, node.func.value
        if attr in ("exec", "exec_"):
            on_app = isinstance(target, ast.Name) and target.id == "app" and name == "app.py"
            if not on_app:
                found.append(f"{name}:{node.lineno}: .{attr}() runs a nested event loop")
        if attr == "setModal" and not (
            node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value is False
        ):
            found.append(f"{name}:{node.lineno}: setModal(...) other than False")
        if attr == "open" and not node.args and not node.keywords:
            found.append(f"{name}:{node.lineno}: .open() shows a dialog window-modal")
    return found


def test_no_module_of_the_desktop_package_blocks_the_tray() -> None:
    found: list[str] = []
    modules = sorted(PACKAGE.rglob("*.py"))  # subpackages (idle/, reports/…) too
    assert len(modules) > 40
    for path in modules:
        name = path.relative_to(PACKAGE).as_posix()
        found += offences(path.read_text(encoding="utf-8"), name)
    assert found == []


def test_the_check_catches_each_kind_of_blocking_call() -> None:
    sample = "\n".join(
        [
            "QMessageBox.question(None, 'a', 'b')",
            "name, ok = QInputDialog.getText(self, 'a', 'b')",
            "dialog.exec()",
            "box.setModal(True)",
            "box.setWindowModality(Qt.WindowModality.ApplicationModal)",
            "dialog.open()",
        ]
    )
    assert len(offences(sample, "sample.py")) == 6
    assert offences("app.exec()\nbox.setModal(False)\n", "app.py") == []
