"""The X11 idle backend against a real X server: Xvfb's MIT-SCREEN-SAVER extension.

Input is injected through XTest by ``xdotool``, exactly as a person's keyboard and pointer
reach the server; the backend runs in this process through ctypes on that display.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest

from tests.support.desktop_env import DesktopSession, wait_for
from tracktray.desktop.idle import IdleUnavailable
from tracktray.desktop.idle.choose import choose_source
from tracktray.desktop.idle.x11 import X11Idle, _load


@pytest.fixture
def x11(desktop: DesktopSession) -> Iterator[X11Idle]:
    try:
        source = X11Idle(desktop.display)
    except IdleUnavailable as exc:
        if "library" not in str(exc):
            raise
        pytest.skip(f"{exc} Install libxss1: run scripts/install-system-packages")
    yield source
    source.close()


def _xdotool(desktop: DesktopSession, *args: str) -> None:
    subprocess.run(["xdotool", *args], env=desktop.env(), check=True)


def test_idle_time_grows_without_input_and_drops_after_pointer_and_key_input(
    desktop: DesktopSession, x11: X11Idle
) -> None:
    _xdotool(desktop, "mousemove", "500", "500")
    wait_for(lambda: x11.idle_seconds() >= 1.2, "the X idle time to grow past 1.2 s")
    _xdotool(desktop, "mousemove", "510", "505")
    assert x11.idle_seconds() < 1.0
    wait_for(lambda: x11.idle_seconds() >= 1.2, "the X idle time to grow again")
    _xdotool(desktop, "key", "shift")
    assert x11.idle_seconds() < 1.0


def test_the_chooser_picks_x11_in_an_x11_session(
    desktop: DesktopSession, x11: X11Idle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISPLAY", desktop.display)  # libX11 opens $DISPLAY
    choice = choose_source("linux", {"DISPLAY": desktop.display, "XDG_SESSION_TYPE": "x11"})
    assert choice.source is not None
    try:
        assert choice.explanation == "Idle time comes from X11 (screen saver extension)."
        assert choice.source.idle_seconds() >= 0
    finally:
        choice.source.close()


def test_no_display_is_refused_with_a_sentence(desktop: DesktopSession) -> None:
    with pytest.raises(IdleUnavailable, match="No X display"):
        X11Idle(":1999")


def test_a_missing_library_is_one_sentence() -> None:
    with pytest.raises(IdleUnavailable, match=r"^The library libtracktray-none is not installed"):
        _load("tracktray-none")
