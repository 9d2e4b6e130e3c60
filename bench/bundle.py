"""The packaged app against the app from the virtual environment: size, start-up, memory.

    .venv/bin/python bench/bundle.py [BUNDLE] [--runs N] [--offscreen]

BUNDLE is ``scripts/package``'s one-folder bundle (default ``build/dist/tracktray``).
Start-up is spawn → icon shown and first status drawn, in local mode, in a sandbox where
the program already ran once, runs alternating between the bare PySide6 tray (the
baseline), ``tracktray`` from ``.venv`` (what ``scripts/run`` starts) and the bundle.
Memory is ``VmRSS`` after a 5 s idle window. Sizes are of the bundle folder and of the
tarball and ``.deb`` beside it when ``dist/`` has them. Prints a table; nothing here is a
threshold.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.display import Display, open_display  # noqa: E402
from bench.procprobe import memory_mb  # noqa: E402
from bench.sandbox import Sandbox  # noqa: E402
from bench.stats import Summary  # noqa: E402
from bench.trayproc import TrayProcess, app_command, baseline_command  # noqa: E402

IDLE_S = 5.0


def _mib(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 2**20
    return (
        sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) / 2**20
    )


def _bundle_sandbox(label: str) -> Sandbox:
    sandbox = Sandbox(label)
    for name in ("PYTHONPATH", "PYTHON_KEYRING_BACKEND", "TRACKTRAY_TEST_KEYRING"):
        sandbox.env.pop(name, None)  # the bundle brings everything it needs
    return sandbox


def _start(cmd: list[str], sandbox: Sandbox, display: Display, *, app: bool) -> tuple[float, float]:
    """(seconds to ready, resident MiB after the idle window)."""
    with TrayProcess(cmd, sandbox, display.env, name="bench") as tray:
        ready = tray.wait_for("icon-shown")
        if app:
            ready = max(ready, tray.wait_for("status-drawn"))
        seconds = (ready - tray.started_ns) / 1e9
        time.sleep(IDLE_S)  # a measurement window, not a wait for a condition
        rss, _peak = memory_mb(tray.pid)
        return seconds, rss


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", nargs="?", type=Path, default=ROOT / "build/dist/tracktray")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--offscreen", action="store_true")
    args = parser.parse_args(argv)
    bundle: Path = args.bundle
    if not (bundle / "tracktray").is_file():
        raise SystemExit(f"bench/bundle.py: no bundle in {bundle}; run scripts/package --bundle")
    print(f"bundle folder: {_mib(bundle):.1f} MiB")
    for pattern in ("tracktray-*-linux-*.tar.xz", "tracktray_*.deb"):
        for made in sorted((ROOT / "dist").glob(pattern)):
            print(f"{made.name}: {_mib(made):.1f} MiB")
    programs: dict[str, tuple[list[str], Callable[[str], Sandbox], bool]] = {
        "baseline (bare PySide6 tray)": (baseline_command(), Sandbox, False),
        "tracktray from .venv (scripts/run)": (app_command(), Sandbox, True),
        "tracktray bundle": ([str(bundle / "tracktray")], _bundle_sandbox, True),
    }
    starts: dict[str, list[float]] = {name: [] for name in programs}
    memory: dict[str, list[float]] = {name: [] for name in programs}
    with open_display(prefer_tray=not args.offscreen) as display:
        boxes = {name: make(name.split()[0]) for name, (_, make, _) in programs.items()}
        try:
            for name, (cmd, _, app) in programs.items():
                _start(cmd, boxes[name], display, app=app)  # first run creates settings/db
            for _ in range(args.runs):
                for name, (cmd, _, app) in programs.items():
                    seconds, rss = _start(cmd, boxes[name], display, app=app)
                    starts[name].append(seconds)
                    memory[name].append(rss)
        finally:
            for box in boxes.values():
                box.close()
        print(f"display: {display.name}; {args.runs} runs each, alternating")
    base_start = Summary.of(starts["baseline (bare PySide6 tray)"]).median
    base_rss = Summary.of(memory["baseline (bare PySide6 tray)"]).median
    print(f"{'program':40} {'start (s)':>10} {'×base':>6} {'RSS (MiB)':>10} {'×base':>6}")
    for name in programs:
        took, resident = Summary.of(starts[name]), Summary.of(memory[name])
        print(
            f"{name:40} {took.median:10.3f} {took.median / base_start:6.2f} "
            f"{resident.median:10.1f} {resident.median / base_rss:6.2f}"
            f"   (start min {took.low:.3f} max {took.high:.3f})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
