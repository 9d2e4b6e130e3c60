"""`tracktray` as a person runs it: a real process, one per user, quits on SIGTERM.

The process reports what it drew through the bench event file (a line per moment), so
the test waits on what happened instead of guessing how long it takes.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from pytestqt.qtbot import QtBot

from tracktray.store.settings import SettingsStore


def events(path: Path) -> list[str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    return [line.split(" ", 1)[1] for line in lines]


def test_tracktray_starts_in_local_mode_stays_single_and_quits_cleanly(
    qtbot: QtBot, tmp_path: Path
) -> None:
    event_file = tmp_path / "events"
    # A short private runtime dir: the single-instance socket lives there (a long path
    # would fall back to a name shared with every other tracktray of this user).
    runtime = Path(tempfile.mkdtemp(prefix="tt-run-"))
    env = {
        **os.environ,
        "TRACKTRAY_BENCH_EVENTS": str(event_file),
        "XDG_RUNTIME_DIR": str(runtime),
    }
    command = [
        sys.executable,
        "-m",
        "tracktray.cli.main",
        "--config-dir",
        str(tmp_path / "config"),
        "--data-dir",
        str(tmp_path / "data"),
    ]
    first = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    try:
        qtbot.waitUntil(lambda: "status-drawn" in events(event_file), timeout=30_000)
        assert events(event_file)[0] == "icon-shown"
        assert (tmp_path / "data" / "local.sqlite").is_file()

        second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=30)
        assert second.returncode == 0, second.stderr
        # the first one was asked to show its menu
        qtbot.waitUntil(lambda: "menu-shown" in events(event_file), timeout=10_000)
        assert first.poll() is None

        qtbot.waitUntil(
            lambda: SettingsStore(tmp_path / "config").load().preferences.local_notice_shown,
            timeout=10_000,
        )
        first.send_signal(signal.SIGTERM)
        _, stderr = first.communicate(timeout=30)
        assert first.returncode == 0, stderr
        assert "Traceback" not in stderr
    finally:
        if first.poll() is None:
            first.kill()
            first.communicate()
        shutil.rmtree(runtime, ignore_errors=True)
