"""Start at login writes and removes the platform's autostart entry.

The XDG entry is tested for real on this Linux machine; the macOS LaunchAgent is a
plain file, so it is tested here too; the Windows Run key needs a Windows runner.
"""

from __future__ import annotations

import importlib
import os
import plistlib
import re
import stat
import sys
from pathlib import Path
from typing import Any

import pytest

from tracktray.desktop import autostart
from tracktray.desktop.autostart import (
    AutostartError,
    LaunchAgentEntry,
    autostart_enabled,
    desktop_exec,
    launch_command,
    set_autostart,
)

RESOURCES = Path(__file__).resolve().parents[2] / "resources"


@pytest.fixture
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path / "config"


def exec_argv(entry: Path) -> list[str]:
    """The command a desktop would run for ``entry``, read as the Desktop Entry spec says.

    (shlex is not the spec: it does not unescape \\$ or \\` inside double quotes.)
    """
    for line in entry.read_text(encoding="utf-8").splitlines():
        if line.startswith("Exec="):
            value = line.removeprefix("Exec=").replace("\\\\", "\\")  # string escape
            return [_unquote(arg).replace("%%", "%") for arg in _split_exec(value)]
    raise AssertionError(f"no Exec line in {entry}")


def _split_exec(value: str) -> list[str]:
    return re.findall(r'"(?:[^"\\]|\\.)*"|[^\s"]+', value)


def _unquote(argument: str) -> str:
    if argument.startswith('"'):
        return re.sub(r"\\([\"`$\\])", r"\1", argument[1:-1])
    return argument


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="XDG autostart is Linux's")
def test_turning_it_on_writes_an_xdg_entry_that_starts_this_installation(
    config_home: Path,
) -> None:
    assert not autostart_enabled()
    set_autostart(True)
    entry = config_home / "autostart" / "tracktray.desktop"
    assert autostart_enabled()
    lines = entry.read_text(encoding="utf-8").splitlines()
    packaged = (RESOURCES / "desktop" / "tracktray.desktop").read_text(encoding="utf-8")
    # The launcher entry the package ships (name, icon...), only Exec is this installation.
    assert [line for line in lines if not line.startswith("Exec=")] == [
        *[line for line in packaged.splitlines() if not line.startswith("Exec=")],
        "X-GNOME-Autostart-enabled=true",
    ]
    argv = exec_argv(entry)
    assert argv == launch_command()
    program = Path(argv[0])
    assert program.is_absolute()
    assert program.stat().st_mode & stat.S_IXUSR, "the entry must start an executable"


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="XDG autostart is Linux's")
def test_turning_it_off_removes_the_entry(config_home: Path) -> None:
    set_autostart(True)
    set_autostart(False)
    assert not (config_home / "autostart" / "tracktray.desktop").exists()
    assert not autostart_enabled()
    set_autostart(False)  # already off: nothing to do, no error


def test_the_command_is_the_running_tracktray(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    installed = tmp_path / "My Apps" / "tracktray"
    installed.parent.mkdir()
    installed.write_text("#!/bin/sh\n", encoding="utf-8")
    monkeypatch.setattr(sys, "argv", [str(installed)])
    assert launch_command() == [str(installed.resolve())]


def test_exec_quotes_paths_with_spaces_and_specials_so_desktops_read_them_back(
    tmp_path: Path,
) -> None:
    awkward = [r"/opt/My Apps/100% \"fast\"/$tracktray", "--flag"]
    entry = tmp_path / "x.desktop"
    entry.write_text(f"[Desktop Entry]\nExec={desktop_exec(awkward)}\n", encoding="utf-8")
    assert exec_argv(entry) == awkward


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="XDG autostart is Linux's")
def test_an_entry_switched_off_by_the_desktop_counts_as_off(config_home: Path) -> None:
    set_autostart(True)
    entry = config_home / "autostart" / "tracktray.desktop"
    entry.write_text(entry.read_text(encoding="utf-8") + "Hidden=true\n", encoding="utf-8")
    assert not autostart_enabled()


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="XDG autostart is Linux's")
def test_an_unwritable_place_gives_one_plain_sentence(config_home: Path) -> None:
    config_home.mkdir()
    (config_home / "autostart").write_text("not a folder", encoding="utf-8")
    with pytest.raises(AutostartError) as caught:
        set_autostart(True)
    message = str(caught.value)
    assert message.startswith("Could not turn on start at login (")
    assert "Traceback" not in message and message.endswith(".")
    assert not autostart_enabled()


def test_the_macos_launch_agent_runs_the_widget_at_login(tmp_path: Path) -> None:
    agents = tmp_path / "Library" / "LaunchAgents"
    entry = LaunchAgentEntry(agents)
    entry.write(["/Applications/tracktray.app/Contents/MacOS/tracktray"])
    assert entry.exists()
    with (agents / "org.tracktray.tracktray.plist").open("rb") as file:
        agent = plistlib.load(file)
    assert agent == {
        "Label": "org.tracktray.tracktray",
        "ProgramArguments": ["/Applications/tracktray.app/Contents/MacOS/tracktray"],
        "RunAtLoad": True,
        "ProcessType": "Interactive",
    }
    entry.remove()
    assert not entry.exists()
    assert os.listdir(agents) == []


@pytest.mark.skipif(sys.platform != "win32", reason="the Run key exists only on Windows")
def test_windows_run_key_round_trip() -> None:  # pragma: no cover - Windows CI
    # winreg exists on Windows only (and the type checker runs on Linux)
    winreg: Any = importlib.import_module("winreg")

    set_autostart(True)
    with winreg.OpenKey(winreg.HKEY_CURRENT_USER, autostart.RUN_KEY) as key:
        value, kind = winreg.QueryValueEx(key, "tracktray")
    assert kind == winreg.REG_SZ and "tracktray" in value
    assert autostart_enabled()
    set_autostart(False)
    assert not autostart_enabled()
