"""`tracktray status` asks the running widget over its single-instance socket.

The widget (in this process, signed in to the real engine over HTTPS) listens on a
private runtime folder; the CLI runs as a real process with that folder, and reports
whether it loaded an HTTP client (httpx, or ``api/_keepalive.py`` for its one request:
it would to ask the server itself). The answer must be the same sentence the CLI prints on its own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from tests.desktop.harness import Harness
from tests.desktop.test_server_account import proxy, server_app  # noqa: F401 fixtures
from tracktray.desktop.icons import TrayState
from tracktray.desktop.single_instance import SingleInstance

_CLI = (
    "import sys\n"
    "from tracktray.cli.main import main\n"
    "code = main(sys.argv[1:])\n"
    # the HTTP client, whichever road a request takes (http.client was the sign once,
    # but keyring's package brought it, and no longer does: store/keyring_import.py)
    "asked = {'httpx', 'tracktray.api._keepalive'} & set(sys.modules)\n"
    # the widget's answer is taken without the journal's and the settings' classes
    "needless = {'dataclasses', 'tracktray.store.journal', 'tracktray.store.settings'}\n"
    "loaded = '' if asked else ' '.join(sorted(needless & set(sys.modules)))\n"
    "print('asked the server' if asked else ('no connection ' + loaded).strip())\n"
    "sys.exit(code)\n"
)


@pytest.fixture
def runtime() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="tt-ask-"))  # short: the socket lives there
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _status(qtbot: QtBot, tmp_path: Path, runtime: Path, *args: str) -> tuple[int, list[str]]:
    env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime)}
    command = [sys.executable, "-c", _CLI, "--config-dir", str(tmp_path / "config")]
    proc = subprocess.Popen([*command, *args, "status"], env=env, stdout=subprocess.PIPE, text=True)
    # the widget answers from this process's event loop: keep it turning meanwhile
    qtbot.waitUntil(lambda: proc.poll() is not None, timeout=30_000)
    out, _ = proc.communicate()
    return proc.returncode, out.splitlines()


def test_status_comes_from_the_running_widget_without_the_cli_opening_a_connection(
    server_app: Harness,  # noqa: F811 - the fixture imported above
    qtbot: QtBot,
    tmp_path: Path,
    runtime: Path,
    trackmypeople_server: Any,
) -> None:
    h = server_app
    alone = _status(qtbot, tmp_path, runtime)  # no widget listens yet: the CLI asks itself
    assert alone == (0, ["Nothing is running. Today: 0:00.", "asked the server"])

    # where the widget listens for this user: the runtime folder's tracktray/
    instance = SingleInstance(directory=runtime / "tracktray")
    assert instance.acquire()
    instance.status_requested.connect(h.app.answer_status)
    try:
        asked = _status(qtbot, tmp_path, runtime)
        assert asked == (0, ["Nothing is running. Today: 0:00.", "no connection"])

        h.click()  # a start the widget made: the answer is the server's fresh one
        h.wait_state(TrayState.RUNNING)
        code, lines = _status(qtbot, tmp_path, runtime)
        assert code == 0 and lines[0].startswith("Running: ") and lines[-1] == "no connection"

        # another account than the widget's: the CLI asks for itself
        code, lines = _status(qtbot, tmp_path, runtime, "--account", "local")
        assert code == 0 and lines[0].startswith("Nothing is running")
    finally:
        instance.release()


def test_the_widget_answers_with_the_status_it_draws_unless_a_command_was_typed_since(
    server_app: Harness,  # noqa: F811 - the fixture imported above
    qtbot: QtBot,
    tmp_path: Path,
    runtime: Path,
    trackmypeople_server: Any,
) -> None:
    h = server_app
    h.app.session.poll_interval_s = 60  # the status stands for a minute once confirmed
    instance = SingleInstance(directory=runtime / "tracktray")
    assert instance.acquire()
    instance.status_requested.connect(h.app.answer_status)
    polls: list[bool] = []
    h.app.session.polled.connect(polls.append)
    try:
        asked = _status(qtbot, tmp_path, runtime)
        assert asked == (0, ["Nothing is running. Today: 0:00.", "no connection"])
        assert polls == []  # the status the tray draws, at once: no poll for it

        # typed in a terminal: the widget learns of it at its next poll only, so its
        # status (fetched before) is not the answer; the command asks the server itself
        env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime)}
        started = subprocess.run(
            [sys.executable, "-m", "tracktray.cli.main", "--config-dir",
             str(tmp_path / "config"), "start"],
            env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert started.returncode == 0, started.stderr
        assert h.state is TrayState.STOPPED  # the widget has not polled since
        code, lines = _status(qtbot, tmp_path, runtime)
        assert code == 0 and lines[0].startswith("Running: ")
        assert lines[-1] == "asked the server"
    finally:
        instance.release()
