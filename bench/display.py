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

from bench.sandbox import stop_process

#: inside the first icon trayer docks (top-left panel, 200×40), above where Qt puts balloons
TRAY_ICON_XY = (12, 10)


@dataclass
class Display:
    """Environment variables for a Qt app, and how to click its tray icon."""

    name: str  # "xvfb+trayer" or "offscreen"
    env: dict[str, str] = field(default_factory=dict)
    why: str = ""

    @property
    def has_tray(self) -> bool:
        return self.name == "xvfb+trayer"

    def wait_docked(self, wm_class: str, timeout: float = 10) -> None:
        """Wait until a window of ``wm_class`` is docked in trayer's panel.

        The app docks its icon a few X round trips after ``show()``; a click before
        that lands on the empty panel and is lost.
        """
        if not self.has_tray:
            return
        deadline = time.monotonic() + timeout
        env = {**os.environ, **self.env}
        while time.monotonic() < deadline:
            if _docked(_window_tree(env), wm_class):
                return
            time.sleep(0.02)
        raise RuntimeError(f"no {wm_class} icon docked in the tray within {timeout:.0f} s")

    def click_tray(self, button: int = 1) -> None:
        """A real mouse click on the tray icon (xdotool through XTest)."""
        x, y = TRAY_ICON_XY
        subprocess.run(
            ["xdotool", "mousemove", str(x), str(y), "click", str(button)],
            env={**os.environ, **self.env},
            check=True,
        )


def _window_tree(env: dict[str, str]) -> str:
    return subprocess.run(
        ["xwininfo", "-root", "-tree"], env=env, capture_output=True, text=True
    ).stdout


def _docked(tree: str, wm_class: str) -> bool:
    """Is a window of ``wm_class`` nested under trayer's panel in ``xwininfo -tree``?"""
    panel_indent: int | None = None
    for line in tree.splitlines():
        indent = len(line) - len(line.lstrip())
        if '("panel" "trayer")' in line:
            panel_indent = indent
        elif panel_indent is not None:
            if line.strip() and indent <= panel_indent:
                panel_indent = None  # left the panel's subtree
            elif f'("{wm_class}" ' in line:
                return True
    return False


def _wait_for_panel(env: dict[str, str], deadline: float) -> bool:
    """trayer's panel window exists once it has claimed the tray selection."""
    while time.monotonic() < deadline:
        if '("panel" "trayer")' in _window_tree(env):
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
            stop_process(trayer, timeout=5)
        stop_process(xvfb, timeout=5)
