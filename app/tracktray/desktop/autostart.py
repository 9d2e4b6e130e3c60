"""Start at login: the platform's own autostart entry, written when set, removed when unset.

- Linux and other XDG desktops: ``tracktray.desktop`` in ``$XDG_CONFIG_HOME/autostart/``
  (the XDG Autostart specification every desktop environment reads).
- Windows: a ``tracktray`` value under ``HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run``.
- macOS: a LaunchAgent ``~/Library/LaunchAgents/org.tracktray.tracktray.plist`` with
  ``RunAtLoad``; launchd reads it at the next login.

The command is the running ``tracktray`` resolved when the setting is switched on, so the
entry follows the installation the person actually uses (a venv, pipx, a frozen bundle).
These are disk (or registry) calls: the widget runs them off the UI thread. No Qt here.
"""

from __future__ import annotations

import importlib.resources
import os
import plistlib
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Final, Protocol

import platformdirs

from tracktray.api import TrackTrayError
from tracktray.i18n import _

__all__ = ["AutostartError", "autostart_enabled", "launch_command", "set_autostart"]

APP_NAME: Final = "tracktray"
LAUNCH_AGENT_LABEL: Final = "org.tracktray.tracktray"
RUN_KEY: Final = r"Software\Microsoft\Windows\CurrentVersion\Run"


class AutostartError(TrackTrayError):
    """The autostart entry could not be written or removed."""


def set_autostart(enabled: bool) -> None:
    """Write (``True``) or remove (``False``) this user's start-at-login entry."""
    entry = _entry_for(sys.platform)
    try:
        if enabled:
            entry.write(launch_command())
        else:
            entry.remove()
    except OSError as exc:
        action = _("turn on") if enabled else _("turn off")
        raise AutostartError(
            _("Could not {action} start at login ({where}): {value}.").format(
                action=action, where=entry.where, value=exc.strerror or exc
            )
        ) from exc


def autostart_enabled() -> bool:
    """Whether this user's start-at-login entry exists (and is not hidden)."""
    return _entry_for(sys.platform).exists()


def launch_command() -> list[str]:
    """The command that starts the tray widget of the running installation."""
    if getattr(sys, "frozen", False):  # a PyInstaller bundle: the executable is the app
        return [sys.executable]
    script = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if script is not None and script.stem == APP_NAME and script.is_file():
        return [str(script.resolve())]
    beside_python = Path(sys.executable).parent / (
        f"{APP_NAME}.exe" if sys.platform == "win32" else APP_NAME
    )
    if beside_python.is_file():
        return [str(beside_python)]
    on_path = shutil.which(APP_NAME)
    if on_path:
        return [str(Path(on_path).resolve())]
    return [sys.executable, "-m", APP_NAME]


class _Entry(Protocol):
    @property
    def where(self) -> str: ...

    def write(self, command: list[str]) -> None: ...

    def remove(self) -> None: ...

    def exists(self) -> bool: ...


def _entry_for(platform: str) -> _Entry:
    if platform == "win32":
        return RunKeyEntry()
    if platform == "darwin":
        return LaunchAgentEntry(Path.home() / "Library" / "LaunchAgents")
    return XdgAutostartEntry(Path(platformdirs.user_config_dir()) / "autostart")


class XdgAutostartEntry:
    """``<autostart dir>/tracktray.desktop`` (XDG Autostart / Desktop Entry specs)."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / f"{APP_NAME}.desktop"

    @property
    def where(self) -> str:
        return str(self.path)

    def write(self, command: list[str]) -> None:
        _atomic_write(self.path, autostart_desktop_entry(command).encode("utf-8"))

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)

    def exists(self) -> bool:
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return False
        # A desktop (or the person) can switch an entry off without deleting it.
        off = {"Hidden=true", "X-GNOME-Autostart-enabled=false"}
        return not off.intersection(line.strip() for line in lines)


class LaunchAgentEntry:
    """A per-user launchd agent that runs the widget at login."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / f"{LAUNCH_AGENT_LABEL}.plist"

    @property
    def where(self) -> str:
        return str(self.path)

    def write(self, command: list[str]) -> None:
        agent = {
            "Label": LAUNCH_AGENT_LABEL,
            "ProgramArguments": command,
            "RunAtLoad": True,
            # An interactive app: launchd must not throttle it like a background daemon.
            "ProcessType": "Interactive",
        }
        _atomic_write(self.path, plistlib.dumps(agent))

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)

    def exists(self) -> bool:
        return self.path.is_file()


class RunKeyEntry:
    """A value in the current user's ``Run`` registry key (Windows only)."""

    where = f"HKEY_CURRENT_USER\\{RUN_KEY}"

    def write(self, command: list[str]) -> None:
        if sys.platform == "win32":
            import winreg

            with winreg.CreateKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
                winreg.SetValueEx(key, APP_NAME, 0, winreg.REG_SZ, subprocess.list2cmdline(command))

    def remove(self) -> None:
        if sys.platform == "win32":
            import winreg

            try:
                with winreg.OpenKey(
                    winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE
                ) as key:
                    winreg.DeleteValue(key, APP_NAME)
            except FileNotFoundError:
                pass

    def exists(self) -> bool:
        if sys.platform == "win32":
            import winreg

            try:
                with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
                    winreg.QueryValueEx(key, APP_NAME)
            except FileNotFoundError:
                return False
            return True
        return False


def autostart_desktop_entry(command: list[str]) -> str:
    """The launcher entry the package ships, with ``Exec`` set to ``command``.

    One source for the name, icon and categories a desktop shows; only ``Exec`` differs,
    because the autostart entry must start this very installation.
    """
    exec_line = f"Exec={desktop_exec(command)}"
    lines = [
        exec_line if line.startswith("Exec=") else line
        for line in _packaged_desktop_entry().splitlines()
        if not line.startswith("X-GNOME-Autostart-enabled=")
    ]
    if exec_line not in lines:
        lines.append(exec_line)
    return "\n".join([*lines, "X-GNOME-Autostart-enabled=true", ""])


def _packaged_desktop_entry() -> str:
    resource = (
        importlib.resources.files("tracktray") / "resources" / "desktop" / "tracktray.desktop"
    )
    try:
        return resource.read_text(encoding="utf-8")
    except OSError:  # a trimmed install without resources: the essentials
        # not translated: a file for the desktop, not a sentence
        return "[Desktop Entry]\nType=Application\nName=TrackTray\nIcon=tracktray\nTerminal=false\n"


def desktop_exec(command: list[str]) -> str:
    """``command`` as a Desktop Entry ``Exec`` value (quoting rules of the spec)."""
    quoted = " ".join(_quote_exec_argument(argument) for argument in command)
    # Exec is also a "string" value, whose own escaping applies on top of the quoting.
    return quoted.replace("\\", "\\\\")


def _quote_exec_argument(argument: str) -> str:
    # The spec: "%" is a field code and must be doubled; arguments with reserved
    # characters go in double quotes, inside which " ` $ \ are backslash-escaped.
    argument = argument.replace("%", "%%")
    reserved = set(" \t\n\"'\\><~|&;$*?#()`")
    if argument and not reserved.intersection(argument):
        return argument
    escaped = "".join("\\" + char if char in '"`$\\' else char for char in argument)
    return f'"{escaped}"'


def _atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash never leaves half an entry."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
