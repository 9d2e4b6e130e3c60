"""The public surface of the idle package and the modules the app wires in."""

from __future__ import annotations

import importlib

import pytest

EXPORTS = {
    "tracktray.desktop.idle": [
        "Away",
        "AwayTracker",
        "IdleChoice",
        "IdleSource",
        "IdleUnavailable",
        "choose_source",
        "next_check_in",
    ],
    "tracktray.desktop.idle.watch": ["IDLE_LANE", "IdleWatch"],
    "tracktray.desktop.idle.session_events": ["EventKind", "SessionEventListener"],
    "tracktray.desktop.idle.choose": ["IdleChoice", "choose_source"],
    "tracktray.desktop.idle.x11": ["X11Idle"],
    "tracktray.desktop.idle.dbus_sources": ["FreedesktopScreenSaverIdle", "MutterIdle"],
    "tracktray.desktop.idle.windows": ["WindowsIdle"],
    "tracktray.desktop.idle.macos": ["MacIdle"],
    "tracktray.desktop.idle_flow": ["IdleFlow"],
    "tracktray.desktop.away_prompt": ["AwayChoice", "AwayPrompt"],
    "tracktray.desktop.forgotten_prompt": ["ForgottenPrompt"],
}


@pytest.mark.parametrize(("module", "names"), EXPORTS.items())
def test_exports_are_pinned(module: str, names: list[str]) -> None:
    loaded = importlib.import_module(module)
    assert sorted(loaded.__all__) == sorted(names)
    for name in names:
        assert hasattr(loaded, name), f"{module} promises {name}"
