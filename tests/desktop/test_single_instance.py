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


@pytest.mark.skipif(sys.platform == "win32", reason="a named pipe there")
@pytest.mark.parametrize("tmpdir", ["unset", "linked", "trailing slash"])
def test_the_cli_finds_a_short_named_socket_where_qt_puts_it(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tmpdir: str
) -> None:
    # A runtime folder this long makes the widget listen under a short name, which Qt
    # places in its temp folder; `tracktray status` must compute the same file.
    import socket

    from PySide6.QtNetwork import QLocalServer

    from tracktray.store.instance import instance_address

    if tmpdir == "unset":
        monkeypatch.delenv("TMPDIR", raising=False)
    else:
        real = tmp_path / "real-temp"
        real.mkdir()
        (tmp_path / "temp").symlink_to(real)
        suffix = "/" if tmpdir == "trailing slash" else ""
        monkeypatch.setenv("TMPDIR", f"{tmp_path / 'temp'}{suffix}")
    monkeypatch.setenv("TEMP", str(tmp_path))  # read by tempfile, never by Qt
    address = instance_address(directory=tmp_path / ("x" * 100))
    assert "/" not in address.server_name
    server = QLocalServer()
    QLocalServer.removeServer(address.server_name)
    assert server.listen(address.server_name), server.errorString()
    try:
        assert address.socket_file == server.fullServerName()
        with socket.socket(socket.AF_UNIX) as client:
            client.connect(address.socket_file)
    finally:
        server.close()
