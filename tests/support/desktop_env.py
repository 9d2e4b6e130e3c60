"""Real desktop parts for tests: a private X server, tray host, session bus and services.

Each piece is a real program (Xvfb, trayer, dbus-daemon, dunst, gnome-keyring-daemon)
started with its own readiness signal — Xvfb's ``-displayfd``, dbus-daemon's
``--print-address``, a bus name appearing, a window appearing — never a fixed sleep.
Everything lives under one temporary HOME and is stopped by :meth:`DesktopSession.close`,
so nothing outlives the test run. The session bus has no service directories: no daemon
is ever started behind our back by bus activation.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import IO

from jeepney import DBusAddress, MatchRule, Message, new_method_call
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection

#: program → Debian package, for skip messages that say what to install
PROGRAMS: Mapping[str, str] = {
    "Xvfb": "xvfb",
    "trayer": "trayer",
    "xdotool": "xdotool",
    "import": "imagemagick",
    "dbus-daemon": "dbus",
    "dunst": "dunst",
    "dunstctl": "dunst",
    "gnome-keyring-daemon": "gnome-keyring",
}

_BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={socket_dir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""

_MONITORING = DBusAddress(
    "/org/freedesktop/DBus", "org.freedesktop.DBus", "org.freedesktop.DBus.Monitoring"
)

#: trayer's geometry: a 200×40 strip at the top left of the screen
TRAY_AREA = (0, 0, 200, 40)


def missing_programs(*names: str) -> list[str]:
    """Those of ``names`` not on PATH, as "program (package)"."""
    return [f"{name} ({PROGRAMS.get(name, '?')})" for name in names if not shutil.which(name)]


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    """Wait until ``condition()`` holds, checking every 20 ms; fail saying ``what``."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.02)


def _read_line_from(fd: int, what: str, timeout: float = 10.0) -> str:
    """Read one line a child writes to pipe ``fd`` (its readiness announcement)."""
    result: list[str] = []

    def read() -> None:
        with os.fdopen(fd) as pipe:
            result.append(pipe.readline())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout)
    if not result or not result[0].strip():
        raise TimeoutError(f"{what} did not announce itself within {timeout:g} s")
    return result[0].strip()


class DesktopSession:
    """Xvfb on a free display and a private session bus, plus services on demand."""

    def __init__(self, home: Path, *, screen: str = "1024x768x24") -> None:
        self.home = home
        self.logs = home / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self._stack = contextlib.ExitStack()
        try:
            self.display = self._start_xvfb(screen)
            self.bus_address = self._start_bus()
        except BaseException:
            self.close()
            raise

    # -- environment -----------------------------------------------------------------

    def env(self, base: Mapping[str, str] | None = None, **extra: str) -> dict[str, str]:
        """An environment for programs in this session (Qt on xcb, our bus and HOME)."""
        env = dict(os.environ if base is None else base)
        env.update(
            DISPLAY=self.display,
            DBUS_SESSION_BUS_ADDRESS=self.bus_address,
            QT_QPA_PLATFORM="xcb",
            HOME=str(self.home),
            XDG_RUNTIME_DIR=str(self._runtime_dir()),
            XDG_DATA_HOME=str(self.home / ".local/share"),
        )
        env.update(extra)
        return env

    def _runtime_dir(self) -> Path:
        path = self.home / "run"
        path.mkdir(mode=0o700, exist_ok=True)
        return path

    def spawn(
        self, name: str, argv: list[str], stdin: IO[bytes] | int | None = None
    ) -> subprocess.Popen[bytes]:
        """Start ``argv`` in this session; it is stopped on :meth:`close`."""
        log = (self.logs / f"{name}.log").open("wb")
        self._stack.callback(log.close)
        proc = subprocess.Popen(
            argv,
            env=self.env(),
            stdin=stdin if stdin is not None else subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=self.home,
        )
        self._stack.callback(_stop, proc)
        return proc

    # -- pieces ----------------------------------------------------------------------

    def _start_xvfb(self, screen: str, attempts: int = 5) -> str:
        """Xvfb on a display number nobody uses; ``-displayfd`` says when it is ready.

        Why not let Xvfb pick (``-displayfd`` alone): it starts at :0, this Xvfb build
        writes no lock files, and a second server probing a taken number unlinks the
        first one's socket file, leaving it unreachable. Other programs on this machine
        (the bench) do let Xvfb pick, so choose a random number far above theirs and
        check that a client can connect. ``-noreset``: by default an X server resets when
        its last client leaves, and refuses connections while it does — a client starting
        just then (trayer after the probe) fails with "cannot open display".
        """
        for attempt in range(1, attempts + 1):
            number = _unused_display_number()
            read_fd, write_fd = os.pipe()
            log = (self.logs / f"xvfb-{attempt}.log").open("wb")
            proc = subprocess.Popen(
                ["Xvfb", f":{number}", "-displayfd", str(write_fd), "-screen", "0", screen,
                 "-nolisten", "tcp", "-noreset"],
                pass_fds=(write_fd,),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
            os.close(write_fd)
            try:
                display = ":" + _read_line_from(read_fd, "Xvfb")
            except TimeoutError:
                display = ""  # it exited: the number was taken after all
            if display and _reachable(display):
                self._stack.callback(log.close)
                self._stack.callback(_stop, proc)
                return display
            _stop(proc)
            log.close()
        raise RuntimeError(f"no reachable Xvfb display after {attempts} attempts")

    def _start_bus(self) -> str:
        return self._stack.enter_context(private_session_bus(self._runtime_dir(), self.logs))

    def start_trayer(self) -> None:
        """A tray host (XEmbed system tray) in :data:`TRAY_AREA`."""
        _, _, width, height = TRAY_AREA
        proc = self.spawn(
            "trayer",
            ["trayer", "--edge", "top", "--align", "left", "--widthtype", "pixel",
             "--width", str(width), "--height", str(height), "--SetDockType", "false",
             "--transparent", "true", "--alpha", "0"],
        )  # fmt: skip
        self._wait_while_running(proc, lambda: self._has_window("trayer"), "trayer's window")

    def start_dunst(self) -> None:
        """dunst, the freedesktop notification service, on this session's bus."""
        proc = self.spawn("dunst", ["dunst"])
        self._wait_while_running(
            proc, lambda: self.name_has_owner("org.freedesktop.Notifications"), "dunst on the bus"
        )

    def start_keyring(self, password: str) -> None:
        """gnome-keyring's Secret Service, its login keyring unlocked with ``password``."""
        read_fd, write_fd = os.pipe()
        with os.fdopen(read_fd, "rb") as stdin:
            self.spawn(
                "gnome-keyring",
                ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
                stdin=stdin,
            )
        with os.fdopen(write_fd, "wb") as pipe:
            pipe.write(password.encode())
        wait_for(lambda: self.name_has_owner("org.freedesktop.secrets"), "gnome-keyring")

    def _wait_while_running(
        self, proc: subprocess.Popen[bytes], condition: Callable[[], bool], what: str
    ) -> None:
        """Wait for ``condition``; if the program dies or hangs, fail with its log."""
        name = Path(str(proc.args[0])).name  # type: ignore[index]

        def ready() -> bool:
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited with {proc.returncode}: {self._log(name)}")
            return condition()

        try:
            wait_for(ready, what)
        except TimeoutError as exc:
            raise TimeoutError(f"{exc}; {name} said: {self._log(name)}") from None

    def _log(self, name: str) -> str:
        logs = sorted(self.logs.glob(f"{name.split('-')[0]}*.log"))
        return logs[0].read_text(errors="replace")[-2000:] if logs else "(no log)"

    # -- looking and touching ----------------------------------------------------------

    def dunstctl(self, *args: str) -> str:
        """Ask dunst (e.g. ``count displayed``, ``close-all``, ``action 0``)."""
        done = subprocess.run(
            ["dunstctl", *args], env=self.env(), capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    def name_has_owner(self, name: str) -> bool:
        with open_dbus_connection(self.bus_address) as connection:
            reply = connection.send_and_get_reply(message_bus.NameHasOwner(name), timeout=5)
            return bool(reply.body[0])

    def _has_window(self, classname: str) -> bool:
        found = subprocess.run(
            ["xdotool", "search", "--classname", classname],
            env=self.env(),
            capture_output=True,
            check=False,
        )
        return found.returncode == 0

    def screenshot(self, path: Path) -> Path:
        """The whole screen as PNG at ``path`` (ImageMagick's ``import``)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["import", "-window", "root", str(path)], env=self.env(), check=True)
        return path

    def click(self, x: int, y: int, button: int = 1) -> None:
        """A real pointer click through the X server."""
        subprocess.run(
            ["xdotool", "mousemove", str(x), str(y), "click", str(button)],
            env=self.env(),
            check=True,
        )

    def close(self) -> None:
        self._stack.close()


@contextlib.contextmanager
def private_session_bus(socket_dir: Path, log_dir: Path) -> Iterator[str]:
    """A dbus-daemon of our own (no service activation); yields its address."""
    config = socket_dir / "session-bus.conf"
    config.write_text(_BUS_CONFIG.format(socket_dir=socket_dir), encoding="utf-8")
    read_fd, write_fd = os.pipe()
    with (log_dir / "dbus-daemon.log").open("wb") as log:
        proc = subprocess.Popen(
            ["dbus-daemon", f"--config-file={config}", "--nofork", f"--print-address={write_fd}"],
            pass_fds=(write_fd,),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        os.close(write_fd)
        try:
            yield _read_line_from(read_fd, "dbus-daemon")
        finally:
            _stop(proc)


@contextlib.contextmanager
def bus_monitor(bus_address: str, rule: MatchRule) -> Iterator[list[Message]]:
    """Collect every message on the bus that matches ``rule`` (``BecomeMonitor``).

    The list fills from a background thread while the ``with`` block runs.
    """
    connection = open_dbus_connection(bus_address)
    become = new_method_call(
        _MONITORING,
        "BecomeMonitor",
        "asu",
        ([rule.serialise()], 0),
    )
    connection.send_and_get_reply(become, timeout=5)  # monitoring from here on
    seen: list[Message] = []

    def receive() -> None:
        with contextlib.suppress(OSError, ValueError):
            while True:
                message = connection.receive()
                if rule.matches(message):  # not the bus's own NameLost to us
                    seen.append(message)

    thread = threading.Thread(target=receive, daemon=True)
    thread.start()
    try:
        yield seen
    finally:
        # shutdown() wakes the blocked receive; close() alone would not.
        connection.sock.shutdown(socket.SHUT_RDWR)
        thread.join(5)
        connection.close()


def _unused_display_number() -> int:
    for _ in range(100):
        number = random.randrange(100, 1000)
        if not any(
            Path(path).exists() for path in (f"/tmp/.X11-unix/X{number}", f"/tmp/.X{number}-lock")
        ):
            return number
    raise RuntimeError("no free X display number between 100 and 999")


def _reachable(display: str) -> bool:
    probe = subprocess.run(
        ["xdotool", "getdisplaygeometry"],
        env={**os.environ, "DISPLAY": display},
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
