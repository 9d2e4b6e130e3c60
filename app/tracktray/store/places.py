"""The user's folders for tracktray (settings, data, the widget's socket): platformdirs',
read straight from the environment where the XDG rules leave no doubt.

Every command starts by finding its settings, and importing platformdirs costs more than
``tracktray status`` spends on anything else of its own (~7 ms: it loads tempfile,
shutil, bz2, lzma and random). On Linux the answer is the XDG variable when it holds an
absolute path, else ``$HOME`` plus the XDG default, which is exactly what platformdirs
returns then; every other case — another system, a relative or missing ``$HOME``, a
relative XDG variable, a runtime folder that is not plainly the user's — is left to
platformdirs itself, so both roads always name the same folder
(``tests/store/test_places.py`` holds them side by side).
"""

from __future__ import annotations

import os
import stat
import sys

__all__ = ["user_config_dir", "user_data_dir", "user_runtime_dir"]

APP = "tracktray"


def _plain_xdg() -> bool:
    """Whether this is a Linux where platformdirs reads the XDG variables (not Android)."""
    return sys.platform == "linux" and "ANDROID_DATA" not in os.environ


def _xdg_home(variable: str, default: str) -> str | None:
    """``$variable/tracktray``, or ``$HOME/<default>/tracktray``; None when unsure."""
    value = os.environ.get(variable, "")
    if os.path.isabs(value):
        return os.path.join(value, APP)
    home = os.environ.get("HOME", "")
    if value.strip() or not os.path.isabs(home):
        return None  # a relative variable or home: platformdirs' versions differ
    return os.path.join(os.path.expanduser(f"~/{default}"), APP)


def user_config_dir() -> str:
    """Where the settings live (platformdirs' ``user_config_dir("tracktray")``)."""
    found = _xdg_home("XDG_CONFIG_HOME", ".config") if _plain_xdg() else None
    if found is not None:
        return found
    import platformdirs

    return platformdirs.user_config_dir(APP, appauthor=False)


def user_data_dir() -> str:
    """Where local mode and the journal keep their files (``user_data_dir("tracktray")``)."""
    found = _xdg_home("XDG_DATA_HOME", ".local/share") if _plain_xdg() else None
    if found is not None:
        return found
    import platformdirs

    return platformdirs.user_data_dir(APP, appauthor=False)


def user_runtime_dir() -> str:
    """The widget's socket folder (``user_runtime_dir("tracktray", ensure_exists=True)``).

    Taken straight from ``$XDG_RUNTIME_DIR`` only when that is a real folder of this user
    that nobody else may enter, and ``tracktray`` inside it exists already; otherwise
    platformdirs checks it (and creates the folder)."""
    base = os.environ.get("XDG_RUNTIME_DIR", "")
    if _plain_xdg() and os.path.isabs(base):
        try:
            info: os.stat_result | None = os.lstat(base)
            inner: os.stat_result | None = os.lstat(os.path.join(base, APP))
        except OSError:
            info = inner = None
        if (
            info is not None
            and inner is not None
            and stat.S_ISDIR(info.st_mode)
            and stat.S_ISDIR(inner.st_mode)
            and info.st_uid == inner.st_uid == os.getuid()
            and not (info.st_mode | inner.st_mode) & 0o077
        ):
            return os.path.join(base, APP)
    import platformdirs

    return platformdirs.user_runtime_dir(APP, ensure_exists=True)
