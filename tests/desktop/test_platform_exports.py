"""The public surface of the platform modules the tray app wires in (contract 6)."""

from __future__ import annotations

import importlib

import pytest

EXPORTS = {
    "tracktray.desktop.notify": ["Notifier", "packaged_icon"],
    "tracktray.desktop.autostart": [
        "AutostartError",
        "autostart_enabled",
        "launch_command",
        "set_autostart",
    ],
    "tracktray.desktop.single_instance": ["SingleInstance"],
    "tracktray.desktop.update": [
        "UpdateChecker",
        "UpdateChoice",
        "UpdateDialog",
        "platform_version_string",
    ],
}


@pytest.mark.parametrize(("module", "names"), EXPORTS.items())
def test_exports_are_pinned(module: str, names: list[str]) -> None:
    loaded = importlib.import_module(module)
    assert sorted(loaded.__all__) == sorted(names)
    for name in names:
        assert hasattr(loaded, name), f"{module} promises {name}"
