"""A private home for every program the bench starts, and wall-clock timing of commands.

The bench must never read or write the real user's settings, data or secrets, and each
figure must start from a known state: every run gets a fresh temporary HOME with its XDG
directories, and secrets go to a file keyring inside it (the OS keyring needs a session
bus this machine does not have, and would add its own daemon to the figures).
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"

#: Byte-code of every program the bench starts, cached for the whole run (outside the
#: source tree): an installed copy has its modules compiled, so a start must not pay
#: for compiling them from source, even where the environment says not to write
#: byte-code (``PYTHONDONTWRITEBYTECODE``, as in this project's containers).
_PYCACHE = tempfile.mkdtemp(prefix="tracktray-bench-pycache-")
atexit.register(shutil.rmtree, _PYCACHE, ignore_errors=True)


def bin_path(name: str) -> str:
    """A console script installed next to the running Python (the venv's ``bin/``)."""
    candidate = Path(sys.executable).with_name(name)
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise FileNotFoundError(f"{name} is not installed next to {sys.executable}")
    return found


class Sandbox:
    """A temporary HOME; :attr:`env` is the environment for the programs run in it."""

    def __init__(self, label: str = "run") -> None:
        self.home = Path(tempfile.mkdtemp(prefix=f"tracktray-bench-{label}-"))
        self.env = dict(os.environ)
        for name, sub in {
            "HOME": "",
            "XDG_CONFIG_HOME": ".config",
            "XDG_DATA_HOME": ".local/share",
            "XDG_CACHE_HOME": ".cache",
            "XDG_STATE_HOME": ".local/state",
            "XDG_RUNTIME_DIR": "run",
        }.items():
            path = self.home / sub
            path.mkdir(parents=True, exist_ok=True, mode=0o700)
            self.env[name] = str(path)
        self.env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p
        )
        self.env["PYTHON_KEYRING_BACKEND"] = "tests.support.filekeyring.FileKeyring"
        self.env["TRACKTRAY_TEST_KEYRING"] = str(self.home / "keyring.json")
        self.env["DBUS_SESSION_BUS_ADDRESS"] = "disabled:"
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.env["PYTHONPYCACHEPREFIX"] = _PYCACHE
        for var in ("TRACKTRAY_URL", "TRACKTRAY_USER", "TRACKTRAY_PASSWORD", "TRACKTRAY_CA"):
            self.env.pop(var, None)

    def path(self, name: str) -> Path:
        return self.home / name

    def close(self) -> None:
        shutil.rmtree(self.home, ignore_errors=True)

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def wall_time(cmd: list[str], env: dict[str, str], timeout: float = 60) -> float:
    """Seconds from spawning ``cmd`` to its exit; a failure is an error, not a figure."""
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise RuntimeError(f"{' '.join(cmd[-2:])} exited {done.returncode}: {tail[0]}")
    return elapsed


def stop_process(
    proc: subprocess.Popen[bytes] | subprocess.Popen[str], timeout: float = 10
) -> None:
    """Ask ``proc`` to end (SIGTERM); kill it when it has not within ``timeout`` seconds."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
