"""A script in a new interpreter, for what only holds in a process of its own."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

__all__ = ["run_fresh"]


def run_fresh(script: str, folder: Path) -> None:
    """``script`` in a new interpreter with ``folder`` on its path and as its working
    folder; it must end by printing ``ok``. A process as the CLI and the keyring helper
    are: one thread, no PySide6 (whose import hook asks every imported module for
    ``__wrapped__``)."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        cwd=folder,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(folder), *_python_path()])},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("ok"), done.stdout


def _python_path() -> list[str]:
    return [part for part in os.environ.get("PYTHONPATH", "").split(os.pathsep) if part]
