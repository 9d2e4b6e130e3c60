"""One widget per user: a second start tells the first to show itself and exits 0."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tracktray.desktop.single_instance import SingleInstance

# What tracktray does at start, in a process of its own.
SECOND_START = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from PySide6.QtCore import QCoreApplication
    from tracktray.desktop.single_instance import SingleInstance

    app = QCoreApplication([])
    instance = SingleInstance(sys.argv[1], directory=Path(sys.argv[2]))
    if not instance.acquire():
        sys.exit(0)
    print("first", flush=True)
    if sys.argv[3:] == ["hold"]:
        sys.stdin.read()  # stay first until killed
    sys.exit(3)
    """
)


def start(key: str, folder: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", SECOND_START, key, str(folder), *extra],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def first(qtbot: QtBot, tmp_path: Path) -> Iterator[SingleInstance]:
    instance = SingleInstance("tracktray", directory=tmp_path)
    assert instance.acquire()
    yield instance
    instance.release()


def test_a_second_start_in_another_process_activates_the_first_and_exits_0(
    qtbot: QtBot, first: SingleInstance, tmp_path: Path
) -> None:
    with qtbot.waitSignal(first.activation_requested, timeout=10_000):
        second = start("tracktray", tmp_path)
        # The event loop runs while waiting, so the first instance can answer.
        qtbot.waitUntil(lambda: second.poll() is not None, timeout=10_000)
    assert second.returncode == 0
    assert second.communicate()[0] == ""


def test_a_second_instance_in_the_same_process_is_refused_too(
    qtbot: QtBot, first: SingleInstance, tmp_path: Path
) -> None:
    with qtbot.waitSignal(first.activation_requested, timeout=5000):
        assert not SingleInstance("tracktray", directory=tmp_path).acquire()


def test_other_keys_do_not_interfere(qtbot: QtBot, first: SingleInstance, tmp_path: Path) -> None:
    other = SingleInstance("tracktray-other", directory=tmp_path)
    with qtbot.assertNotEmitted(first.activation_requested, wait=100):
        assert other.acquire()
    other.release()


def test_after_the_first_quits_the_next_start_is_first(qtbot: QtBot, tmp_path: Path) -> None:
    instance = SingleInstance("tracktray", directory=tmp_path)
    assert instance.acquire()
    instance.release()
    successor = SingleInstance("tracktray", directory=tmp_path)
    assert successor.acquire()
    successor.release()


def test_a_crashed_instance_leaves_nothing_that_blocks_the_next(
    qtbot: QtBot, tmp_path: Path
) -> None:
    crashed = start("tracktray", tmp_path, "hold")
    assert crashed.stdout is not None
    assert crashed.stdout.readline() == "first\n"
    os.kill(crashed.pid, signal.SIGKILL)  # no clean-up code runs
    crashed.wait(10)
    crashed.stdin.close()  # type: ignore[union-attr]
    crashed.stdout.close()
    assert list(tmp_path.glob("tracktray-*.lock")), "the crash left its lock file"
    assert list(tmp_path.glob("tracktray-*.socket")), "...and its socket"

    survivor = SingleInstance("tracktray", directory=tmp_path)
    assert survivor.acquire()
    try:
        # ...and it answers on the socket the crashed one left behind.
        with qtbot.waitSignal(survivor.activation_requested, timeout=10_000):
            second = start("tracktray", tmp_path)
            qtbot.waitUntil(lambda: second.poll() is not None, timeout=10_000)
        assert second.returncode == 0
        second.communicate()
    finally:
        survivor.release()


def test_instances_of_different_long_runtime_folders_stay_apart(
    qtbot: QtBot, tmp_path: Path
) -> None:
    # Paths this long use the short socket name; each folder must still get its own.
    deep = "x" * 60
    one = SingleInstance("tracktray", directory=tmp_path / "one" / deep)
    two = SingleInstance("tracktray", directory=tmp_path / "two" / deep)
    assert one.server_name != two.server_name
    try:
        assert one.acquire()
        with qtbot.assertNotEmitted(one.activation_requested, wait=300):
            assert two.acquire()
    finally:
        two.release()
        one.release()


@pytest.mark.skipif(sys.platform == "win32", reason="a named pipe there")
def test_the_socket_is_this_users_and_a_status_answer_to_a_client_gone_is_dropped(
    qtbot: QtBot, first: SingleInstance, tmp_path: Path
) -> None:
    import json
    import socket
    import stat

    sockets = list(tmp_path.glob("tracktray-*.socket"))
    assert len(sockets) == 1
    assert stat.S_IMODE(sockets[0].stat().st_mode) == 0o600
    replies: list[object] = []
    first.status_requested.connect(replies.append)

    def ask() -> socket.socket:
        client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        client.connect(str(sockets[0]))
        client.sendall(b"status\n")
        return client

    gone = ask()
    qtbot.waitUntil(lambda: len(replies) == 1)
    gone.close()
    waiting = ask()
    qtbot.waitUntil(lambda: len(replies) == 2)
    replies[0]({"late": True})  # type: ignore[operator]  # nobody listens: no error
    replies[1]({"status": "fine"})  # type: ignore[operator]
    waiting.settimeout(5)
    assert json.loads(waiting.recv(4096)) == {"status": "fine"}
    assert waiting.recv(4096) == b""  # one answer, then the widget hangs up
    waiting.close()
