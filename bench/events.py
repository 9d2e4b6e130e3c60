"""Reading the ``<monotonic-ns> <event>`` lines a benchmarked app appends to a file.

The app writes them through ``tracktray.desktop.benchhooks`` (the baseline writes the
same format). ``time.monotonic_ns()`` is one clock for every process on Linux, so the
bench subtracts its own timestamps from the app's directly.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path


class EventTimeout(Exception):
    """The app did not reach the awaited event in time."""


class EventLog:
    """Follows one events file; remembers every line read so far."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.seen: list[tuple[int, str]] = []
        self._offset = 0
        self._partial = b""

    def poll(self) -> list[tuple[int, str]]:
        """Lines appended since the last call."""
        try:
            with open(self.path, "rb") as f:
                f.seek(self._offset)
                chunk = f.read()
        except FileNotFoundError:
            return []
        self._offset += len(chunk)
        data = self._partial + chunk
        *lines, self._partial = data.split(b"\n")
        new = []
        for line in lines:
            stamp, _, event = line.decode().partition(" ")
            new.append((int(stamp), event))
        self.seen.extend(new)
        return new

    def wait_for(
        self,
        event: str,
        *,
        after_ns: int = 0,
        timeout: float = 30,
        alive: subprocess.Popen[bytes] | None = None,
    ) -> int:
        """Timestamp of the first ``event`` at or after ``after_ns`` (waiting for it).

        If the ``alive`` process exits, waiting stops at once.
        """
        deadline = time.monotonic() + timeout
        pending = self.seen
        while True:
            for stamp, name in pending:
                if name == event and stamp >= after_ns:
                    return stamp
            if time.monotonic() > deadline:
                raise EventTimeout(f"no {event!r} within {timeout:.0f} s")
            if alive is not None and alive.poll() is not None:
                raise EventTimeout(f"the app exited (code {alive.returncode}) before {event!r}")
            time.sleep(0.0005)
            pending = self.poll()
