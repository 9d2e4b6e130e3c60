"""One tray program (the baseline or tracktray) under benchmark, and how to talk to it."""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

from bench.events import EventLog, EventTimeout
from bench.sandbox import BENCH, Sandbox, bin_path, stop_process


def baseline_command() -> list[str]:
    return [sys.executable, str(BENCH / "baseline_tray.py")]


def app_command() -> list[str]:
    """The tray app exactly as a user starts it: ``tracktray`` with no command."""
    return [bin_path("tracktray")]


class TrayProcess:
    """A started tray program with its events file and, if asked, a command FIFO."""

    def __init__(
        self,
        cmd: list[str],
        sandbox: Sandbox,
        display_env: dict[str, str],
        *,
        name: str,
        commands: bool = False,
    ) -> None:
        self.name = name
        self.events = EventLog(sandbox.path(f"{name}-{time.monotonic_ns()}.events"))
        env = {**sandbox.env, **display_env}
        env["TRACKTRAY_BENCH_EVENTS"] = str(self.events.path)
        self._fifo: Path | None = None
        self._writer: IO[str] | None = None
        self._send_lock = threading.Lock()
        if commands:
            self._fifo = self.events.path.with_suffix(".commands")
            os.mkfifo(self._fifo)
            env["TRACKTRAY_BENCH_COMMANDS"] = str(self._fifo)
        self._log = open(sandbox.path(f"{name}.log"), "ab")  # noqa: SIM115 - closed in stop()
        self.started_ns = time.monotonic_ns()
        self.proc = subprocess.Popen(cmd, env=env, stdout=self._log, stderr=self._log)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def wait_for(self, event: str, *, after_ns: int = 0, timeout: float = 30) -> int:
        try:
            return self.events.wait_for(event, after_ns=after_ns, timeout=timeout, alive=self.proc)
        except EventTimeout as error:
            said = self._last_log_line()
            raise EventTimeout(f"{error} (its log: {said})" if said else str(error)) from None

    def send(self, command: str) -> int:
        """Write one bench command; returns the monotonic time it was sent."""
        if self._fifo is None:
            raise RuntimeError("started without a command channel")
        with self._send_lock:  # the ping thread and clicks share the FIFO
            if self._writer is None:
                self._writer = _open_writer(self._fifo, self.proc, timeout=10)
            sent = time.monotonic_ns()
            self._writer.write(command + "\n")
            self._writer.flush()
        return sent

    def _last_log_line(self) -> str:
        self._log.flush()
        lines = Path(self._log.name).read_text(errors="replace").strip().splitlines()
        return lines[-1].strip() if lines else ""

    def crash_line(self) -> str:
        """If the program died: its exit code and the first line of its fatal error."""
        code = self.proc.poll()
        if code is None:
            return ""
        self._log.flush()
        text = Path(self._log.name).read_text(errors="replace")
        fatal = [line for line in text.splitlines() if "Error" in line or "error" in line]
        return f"the app died (exit {code})" + (f": {fatal[0].strip()}" if fatal else "")

    def stop(self) -> None:
        if self._writer is not None:
            with contextlib.suppress(BrokenPipeError):
                self._writer.close()
        stop_process(self.proc)
        self._log.close()
        if self._fifo is not None:
            self._fifo.unlink(missing_ok=True)

    def __enter__(self) -> TrayProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _open_writer(fifo: Path, proc: subprocess.Popen[bytes], timeout: float) -> IO[str]:
    """Open the FIFO once the app listens on it (ENXIO until its reader is open)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as error:
            if error.errno != errno.ENXIO:
                raise
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    "the app does not read bench commands (tracktray.desktop.benchprobe "
                    "is not installed in it)"
                ) from None
            time.sleep(0.01)
            continue
        os.set_blocking(fd, True)
        return os.fdopen(fd, "w", encoding="utf-8")
