"""The launcher entry starts the widget by the command the package installs."""

from __future__ import annotations

import configparser
import importlib.resources
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENTRY = importlib.resources.files("tracktray") / "resources" / "desktop" / "tracktray.desktop"


def read_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(ENTRY.read_text(encoding="utf-8"))
    return parser["Desktop Entry"]


def test_the_entry_runs_the_installed_command_with_the_packaged_icon() -> None:
    entry = read_entry()
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "scripts"
    ]
    assert entry["Type"] == "Application"
    assert entry["Exec"] in scripts
    assert entry["Terminal"] == "false"
    icon = importlib.resources.files("tracktray") / "resources" / "icons" / f"{entry['Icon']}.svg"
    assert icon.is_file()


@pytest.mark.skipif(
    shutil.which("desktop-file-validate") is None,
    reason="desktop-file-validate is not installed (apt-get install desktop-file-utils)",
)
def test_the_entry_passes_the_freedesktop_validator() -> None:
    with importlib.resources.as_file(ENTRY) as path:
        result = subprocess.run(
            ["desktop-file-validate", str(path)], capture_output=True, text=True, check=False
        )
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr
