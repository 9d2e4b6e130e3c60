"""A throwaway PostgreSQL server for tests, from Debian's ``postgresql`` package.

The cluster lives in a temporary directory and listens only on a Unix socket there
(no TCP port to collide with). PostgreSQL refuses to run as root, so when the tests run
as root the server runs as the ``postgres`` user (which the package creates), or
``nobody``.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg

__all__ = ["PostgresServer", "find_binaries"]

SUPERUSER = "tracktray"
PORT = 5432  # only names the socket file: the server has no TCP listener


def find_binaries() -> Path | None:
    """The newest installed ``/usr/lib/postgresql/<v>/bin`` with initdb and pg_ctl."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: (
            int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0
        ),
    )
    for initdb in reversed(found):
        bindir = Path(initdb).parent
        if (bindir / "pg_ctl").exists():
            return bindir
    env = shutil.which("initdb")
    return Path(env).parent if env and shutil.which("pg_ctl") else None


def _unprivileged_account() -> pwd.struct_passwd:
    """Whom to run the server as when the tests run as root (PostgreSQL refuses root)."""
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise RuntimeError("no postgres or nobody account to run PostgreSQL as")


class PostgresServer:
    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="tracktray-pg-"))
        self.data = self.root / "data"
        self.socket_dir = self.root / "sock"
        self.socket_dir.mkdir()
        self._runas: list[str] = []
        if os.geteuid() == 0:
            account = _unprivileged_account()
            for path in (self.root, self.socket_dir):
                os.chown(path, account.pw_uid, account.pw_gid)
            self._runas = ["runuser", "-u", account.pw_name, "--"]
        self._counter = 0

    def _run(self, *args: str) -> None:
        subprocess.run(
            [*self._runas, *args], check=True, capture_output=True, text=True, timeout=120
        )

    def start(self) -> None:
        self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--no-sync",
        )
        options = (
            f"-k {self.socket_dir} -p {PORT} -c listen_addresses='' -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.root / "log"),
            "-o",
            options,
            "-w",
            "start",
        )

    def stop(self) -> None:
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@/{database}?host={self.socket_dir}&port={PORT}"

    def create_database(self, template: str | None = None) -> str:
        """A new empty database (or a copy of ``template``); returns its name."""
        self._counter += 1
        name = f"t{self._counter}"
        with psycopg.connect(
            host=str(self.socket_dir),
            port=PORT,
            user=SUPERUSER,
            dbname="postgres",
            autocommit=True,
        ) as conn:
            suffix = f" TEMPLATE {template}" if template else ""
            conn.execute(f"CREATE DATABASE {name}{suffix}")
        return name
