"""Real desktop parts for end-to-end tests: Xvfb, a tray host, a session bus, dunst.

One desktop per test session (starting it costs ~0.3 s). Tests that take the
``desktop`` fixture are marked ``gui`` automatically; they skip, saying which Debian
packages to install, when the programs are missing. GUI programs run in subprocesses on
this display (``QT_QPA_PLATFORM=xcb``); the in-process Qt of pytest-qt stays offscreen,
because a process cannot change its Qt platform.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.desktop_env import DesktopSession, missing_programs

#: screenshots and logs kept for a person to look at (ignored by git)
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "desktop" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(scope="session")
def desktop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DesktopSession]:
    """Xvfb + trayer + a private session bus with dunst on it."""
    missing = missing_programs(
        "Xvfb", "trayer", "xdotool", "import", "dbus-daemon", "dunst", "dunstctl"
    )
    if missing:
        pytest.skip(f"needs {', '.join(missing)}: run scripts/install-system-packages")
    session = DesktopSession(tmp_path_factory.mktemp("desktop"))
    try:
        session.start_trayer()
        session.start_dunst()
        yield session
    finally:
        session.close()


@pytest.fixture(scope="session")
def secret_service(desktop: DesktopSession) -> DesktopSession:
    """gnome-keyring's Secret Service on the desktop's bus, unlocked."""
    missing = missing_programs("gnome-keyring-daemon")
    if missing:
        pytest.skip(f"needs {', '.join(missing)}: run scripts/install-system-packages")
    desktop.start_keyring("e2e login password")
    return desktop


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
