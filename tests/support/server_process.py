"""``tracktray-server serve`` as a real child process, for tests that need several workers
on one database, a signal, or memory that belongs to the server alone."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

__all__ = ["ServerProcess"]

_READY = "Listening on "


class ServerProcess:
    """One ``python -m tracktray.server serve`` on 127.0.0.1 with a free port."""

    def __init__(
        self,
        db_url: str,
        tls_dir: Path,
        extra: Sequence[str] = (),
        env: dict[str, str] | None = None,
    ) -> None:
        command = [
            sys.executable,
            "-m",
            "tracktray.server",
            "serve",
            "--db",
            db_url,
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--self-signed",
            str(tls_dir),
            *extra,
        ]
        self.process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, **(env or {})},
        )
        self.output: list[str] = []
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._pump_thread = threading.Thread(target=self._pump, daemon=True)
        self._pump_thread.start()
        self.api_url = self._wait_ready()
        self.origin = self.api_url.removesuffix("/api/")
        self.ca_file = tls_dir / "ca.pem"

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)
            self._lines.put(line)
        self._lines.put(None)

    def _wait_ready(self, timeout: float = 60) -> str:
        while True:
            try:
                line = self._lines.get(timeout=timeout)
            except queue.Empty:
                self.stop()
                raise RuntimeError("the server did not start in time") from None
            if line is None:
                raise RuntimeError("the server exited: " + "".join(self.output))
            if line.startswith(_READY):
                return line[len(_READY) :].strip()

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._pump_thread.join(timeout=5)
        if self.process.stdout is not None:
            self.process.stdout.close()
