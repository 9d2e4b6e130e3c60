"""Running the CLI in-process (main([...]) with capsys) and as a real subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tracktray.cli.main import main


@dataclass
class Outcome:
    code: int
    out: str
    err: str


CliRunner = Callable[..., Outcome]


@pytest.fixture
def dirs(tmp_path: Path) -> list[str]:
    """Global options giving this test its own settings and local database."""
    return ["--config-dir", str(tmp_path / "config"), "--data-dir", str(tmp_path / "data")]


@pytest.fixture
def cli(
    dirs: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> CliRunner:
    """``cli("status", "--json", stdin="pw\\n", env={...})`` → Outcome, in-process."""

    def run(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> Outcome:
        for name, value in (env or {}).items():
            monkeypatch.setenv(name, value)
        if stdin is not None:
            import io

            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        code = main([*dirs, *args])
        captured = capsys.readouterr()
        for name in env or {}:
            monkeypatch.delenv(name)
        return Outcome(code, captured.out, captured.err)

    return run


def run_subprocess(
    args: list[str], *, stdin: str = "", env: dict[str, str] | None = None
) -> Outcome:
    """The installed entry point as a user runs it (a fresh interpreter)."""
    proc = subprocess.run(
        [sys.executable, "-m", "tracktray.cli.main", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=60,
        check=False,
    )
    return Outcome(proc.returncode, proc.stdout, proc.stderr)
