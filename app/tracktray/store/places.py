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

    Taken straight from ``$XDG_RUNTIME_DIR`` when that is a real folder of this user with
    mode 0700, as platformdirs requires; ``tracktray`` inside it is made the way
    platformdirs makes it (mode 0700) when missing. Anything else is left to platformdirs
    (which also looks at the parents, and falls back elsewhere)."""
    base = os.environ.get("XDG_RUNTIME_DIR", "")
    if _plain_xdg() and os.path.isabs(base) and _private_folder(base):
        inner = os.path.join(base, APP)
        import contextlib  # not at the top: ``tracktray status`` in local mode never asks

        with contextlib.suppress(OSError):  # there already, or not makeable: checked next
            os.mkdir(inner, 0o700)
        if _private_folder(inner):
            return inner
    import platformdirs

    return platformdirs.user_runtime_dir(APP, ensure_exists=True)


def _private_folder(path: str) -> bool:
    """A folder (not a link) of this user that nobody else may enter: mode 0700."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return (
        stat.S_ISDIR(info.st_mode)
        and info.st_uid == os.geteuid()
        and stat.S_IMODE(info.st_mode) == 0o700
    )
