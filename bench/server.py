"""The engine's HTTPS server as the widget and the engine benchmarks meet it.

One ``tracktray-server serve`` process on a loopback port (port 0: the OS picks), over
a SQLite file in a sandbox, with one benchmark user. The bench talks to the same file
through an in-process :class:`tracktray.engine.Engine` for set-up only (creating the
user, bulk-inserting report blocks).
"""

from __future__ import annotations

import contextlib
import re
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from bench.sandbox import Sandbox, bin_path, stop_process

USERNAME = "bench"
TRACKER_PATH = "Bench/Work"
_URL = re.compile(r"https://[\w.\[\]:-]+(?::\d+)?/\S*")


class BenchServer:
    """A running server, or the reason there is none (``ready`` False)."""

    def __init__(self) -> None:
        self.ready = False
        self.reason = ""
        self.sandbox = Sandbox("server")
        self.db_url = f"sqlite:///{self.sandbox.path('server.sqlite')}"
        self.password = secrets.token_urlsafe(12)
        self.origin = ""
        self.api_url = ""
        self.ca_file: Path | None = None
        self.profile_id = 0
        self.tracker_id = 0
        self._proc: subprocess.Popen[str] | None = None
        self._log: IO[str] | None = None
        self._db: Any = None  # SQLAlchemy engine for pruning, made on first use

    @classmethod
    @contextlib.contextmanager
    def maybe(cls) -> Iterator[BenchServer]:
        server = cls()
        try:
            try:
                server._start()
                server.ready = True
            except Exception as error:
                server.reason = f"the HTTPS server could not start: {error}"
            yield server
        finally:
            server._stop()

    @property
    def pid(self) -> int | None:
        """The server process (for its memory), while it runs."""
        return self._proc.pid if self._proc is not None and self._proc.poll() is None else None

    # -- set-up ------------------------------------------------------------------------

    def engine(self) -> Any:
        """An in-process Engine on the server's database (set-up and bulk loads)."""
        from tracktray.engine import Engine

        return Engine.open(self.db_url)

    def prune_finished_blocks(self, profile_id: int | None = None) -> None:
        """Delete the widget user's (or ``profile_id``'s) finished blocks.

        The engine's ``status`` sums today's blocks, so thousands of start/stop cycles in
        one day make every answer slower (O(blocks today)); pruning keeps a long cycle
        run measuring the widget rather than that.
        """
        from sqlalchemy import create_engine, delete

        from tracktray.engine.tables import blocks

        if self._db is None:
            self._db = create_engine(self.db_url)
        with self._db.begin() as conn:
            conn.execute(
                delete(blocks).where(
                    blocks.c.profile_id == (profile_id or self.profile_id),
                    blocks.c.stop_utc.is_not(None),
                )
            )

    def _create_user(self) -> None:
        engine = self.engine()
        try:
            tracker = engine.ensure_tracker(TRACKER_PATH)
            profile = engine.create_user(USERNAME, self.password, timezone="UTC")
            engine.grant_role(profile, tracker, can_track=True, can_see_reporting=True)
            engine.update_user(profile, default_tracker_id=tracker)
            self.profile_id, self.tracker_id = profile, tracker
        finally:
            engine.close()

    def _start(self) -> None:
        self._create_user()
        log_path = self.sandbox.path("server.log")
        self._log = open(log_path, "w+", encoding="utf-8")  # noqa: SIM115 - closed in _stop
        tls_dir = self.sandbox.path("tls")  # serve makes its CA and certificate here
        self.ca_file = tls_dir / "ca.pem"
        cmd = [
            bin_path("tracktray-server"), "serve", "--host", "127.0.0.1", "--port", "0",
            "--db", self.db_url, "--self-signed", str(tls_dir),
        ]  # fmt: skip
        self._proc = subprocess.Popen(
            cmd, env=self.sandbox.env, stdout=self._log, stderr=subprocess.STDOUT, text=True
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            text = log_path.read_text(encoding="utf-8", errors="replace")
            found = _URL.search(text)
            if found and self.ca_file.exists():
                url = found.group(0).rstrip("/.,")
                self.origin = re.match(r"https://[^/]+", url).group(0)  # type: ignore[union-attr]
                self.api_url = f"{self.origin}/api/"
                return
            if self._proc.poll() is not None:
                last = text.strip().splitlines()[-1:] or ["no output"]
                raise RuntimeError(f"tracktray-server exited: {last[0]}")
            time.sleep(0.05)
        raise RuntimeError("tracktray-server printed no https URL within 30 s")

    def _stop(self) -> None:
        if self._proc is not None:
            stop_process(self._proc)
        if self._log is not None:
            self._log.close()
        if self._db is not None:
            self._db.dispose()
        self.sandbox.close()

    def unavailable(self, sandbox: Sandbox) -> None:
        """Stands in for :meth:`add_account` when there is no server: says why."""
        raise RuntimeError(self.reason)

    # -- the widget's account ----------------------------------------------------------

    def add_account(self, sandbox: Sandbox, *, api_url: str | None = None) -> None:
        """Make this server the active account of the tray app in ``sandbox``.

        Written through the app's own stores (settings file + keyring), in a process
        with the sandbox's environment, exactly as the settings dialog would leave them.
        """
        done = subprocess.run(
            [sys.executable, "-c", ADD_ACCOUNT, api_url or self.api_url, USERNAME,
             str(self.ca_file)],
            env=sandbox.env, input=self.password, capture_output=True, text=True,
        )  # fmt: skip
        if done.returncode != 0:
            last = done.stderr.strip().splitlines()[-1:] or ["no output"]
            raise RuntimeError(f"could not add the server account: {last[0]}")


ADD_ACCOUNT = """
import sys
from tracktray.store.credentials import CredentialStore
from tracktray.store.settings import AccountConfig, SettingsStore
url, username, ca_file = sys.argv[1:4]
account = AccountConfig(id="bench", kind="trackmypeople", label="Bench server", url=url,
                        username=username, ca_file=ca_file)
store = SettingsStore()
store.save(store.load().with_account(account, activate=True))
CredentialStore().set(account.id, sys.stdin.read())
"""
