"""The Qt platform the widget figures run on: Xvfb + trayer (a real tray) or offscreen.

With a tray host the app really docks an icon, as on a desktop; the offscreen platform
has no tray (``isSystemTrayAvailable()`` is False) and is the fallback when Xvfb or
trayer is missing. The baseline and the app always run on the same one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

#: where trayer puts the first icon (trayer at the top-left corner, 200×40 panel)
TRAY_ICON_XY = (12, 20)


@dataclass
class Display:
    """Environment variables for a Qt app, and how to click its tray icon."""

    name: str  # "xvfb+trayer" or "offscreen"
    env: dict[str, str] = field(default_factory=dict)
    why: str = ""

    @property
    def has_tray(self) -> bool:
        return self.name == "xvfb+trayer"

    def click_tray(self, button: int = 1) -> None:
        """A real mouse click on the tray icon (xdotool through XTest)."""
        x, y = TRAY_ICON_XY
        subprocess.run(
            ["xdotool", "mousemove", str(x), str(y), "click", str(button)],
            env={**os.environ, **self.env},
            check=True,
        )


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _wait_for_panel(env: dict[str, str], deadline: float) -> bool:
    """trayer's panel window exists once it has claimed the tray selection."""
    while time.monotonic() < deadline:
        tree = subprocess.run(
            ["xwininfo", "-root", "-tree"], env=env, capture_output=True, text=True
        ).stdout
        if '"panel": ("panel" "trayer")' in tree:
            return True
        time.sleep(0.05)
    return False


@contextlib.contextmanager
def open_display(prefer_tray: bool = True) -> Iterator[Display]:
    """Xvfb + trayer when installed (and wanted), else the offscreen platform."""
    base = {"DBUS_SESSION_BUS_ADDRESS": "disabled:"}  # no stray dbus-daemon, same for both
    missing = [t for t in ("Xvfb", "trayer", "xwininfo", "xdotool") if not shutil.which(t)]
    if not prefer_tray or missing:
        why = "asked for offscreen" if not prefer_tray else f"missing {', '.join(missing)}"
        yield Display("offscreen", {**base, "QT_QPA_PLATFORM": "offscreen"}, why)
        return
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1024x768x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    trayer: subprocess.Popen[bytes] | None = None
    try:
        with os.fdopen(read_fd) as numbers:
            number = numbers.readline().strip()
        if not number:
            raise RuntimeError("Xvfb did not start")
        env = {**base, "DISPLAY": f":{number}", "QT_QPA_PLATFORM": "xcb"}
        trayer = subprocess.Popen(
            ["trayer", "--edge", "top", "--align", "left", "--widthtype", "pixel",
             "--width", "200", "--height", "40", "--SetDockType", "false",
             "--transparent", "true", "--alpha", "0"],
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        if not _wait_for_panel({**os.environ, **env}, time.monotonic() + 10):
            raise RuntimeError("trayer did not show its panel")
        yield Display("xvfb+trayer", env)
    finally:
        if trayer is not None:
            _stop(trayer)
        _stop(xvfb)
