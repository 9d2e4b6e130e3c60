"""The public surface of the widget's own modules (DESKTOP-CORE), pinned."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

EXPORTS = {
    "tracktray.desktop.app": ["run"],
    "tracktray.desktop.tasks": ["TaskBridge"],
    "tracktray.desktop.session": ["Notice", "Phase", "Session", "default_open_backend"],
    "tracktray.desktop.failures": ["Failure", "Notice", "Phase", "describe_failure"],
    "tracktray.desktop.controller": ["LOCAL_NOTICE", "TrayApp"],
    "tracktray.desktop.commands": ["Command", "Kind"],
    "tracktray.desktop.menu": ["BuiltMenu", "MenuModel", "build_menu", "find_action"],
    "tracktray.desktop.tray": ["TrayView", "tray_state"],
    "tracktray.desktop.icons": [
        "SvgIconEngine",
        "TrayState",
        "app_icon",
        "drawn_ahead_path",
        "icon_for",
        "icon_path",
        "resource_file",
    ],
    "tracktray.desktop.passwords": ["KEYRING_LANE", "SecretKeeper"],
}


@pytest.mark.parametrize(("module", "names"), EXPORTS.items())
def test_exports_are_pinned(module: str, names: list[str]) -> None:
    loaded = importlib.import_module(module)
    assert sorted(loaded.__all__) == sorted(names)
    assert all(hasattr(loaded, name) for name in names)


def test_importing_the_desktop_package_loads_no_qt() -> None:
    """The CLI reaches ``tracktray.desktop.app`` lazily; the package root loads nothing."""
    probe = "import sys, tracktray.desktop; sys.exit('PySide6' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", probe], check=False).returncode == 0
