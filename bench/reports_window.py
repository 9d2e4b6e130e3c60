"""The reports window's cost: time to open it on a busy user's data, memory it keeps.

    python bench/reports_window.py [--runs N]

Each run is a fresh process in a sandbox HOME (``bench/reports_probe.py``): a local
database with 100 blocks a day over a year (36,600 blocks, 60 trackers), the real tray
app on the offscreen platform, then Reports… opened once: first open (a week), a busy
month (about 3,000 blocks), closed; opened again for the whole year. Memory is the
process's resident set before the window was ever opened, while it shows the month,
after it was closed, and while it shows the year, next to a bare PySide6 tray
(``bench/baseline_tray.py``) measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.procprobe import memory_mb
from bench.sandbox import BENCH, Sandbox
from bench.trayproc import TrayProcess, baseline_command

OFFSCREEN = {"QT_QPA_PLATFORM": "offscreen", "DBUS_SESSION_BUS_ADDRESS": "disabled:"}


def baseline_rss() -> float:
    with (
        Sandbox("reports-baseline") as sandbox,
        TrayProcess(baseline_command(), sandbox, OFFSCREEN, name="baseline") as tray,
    ):
        tray.wait_for("icon-shown")
        return memory_mb(tray.pid)[0]


def probe() -> dict[str, float]:
    with Sandbox("reports") as sandbox:
        done = subprocess.run(
            [sys.executable, str(BENCH / "reports_probe.py"), str(sandbox.home)],
            env={**sandbox.env, **OFFSCREEN},
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(done.stderr.strip().splitlines()[-1:] or "the probe failed")
        figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
        return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    baseline = statistics.median(baseline_rss() for _ in range(args.runs))
    runs = [probe() for _ in range(args.runs)]

    def row(label: str, key: str, unit: str, scale: float = 1.0) -> str:
        values = [r[key] * scale for r in runs]
        return (
            f"{label:<58} {statistics.median(values):>8.1f} {min(values):>8.1f} "
            f"{max(values):>8.1f} {len(values):>5}"
        ) + (f"  {unit}" if unit else "")

    print(f"{'figure':<58} {'median':>8} {'min':>8} {'max':>8} {'runs':>5}")
    print(row("reports: first open, a week drawn (ms)", "open_s", "", 1000))
    print(
        row(
            f"reports: a busy month, {int(runs[0]['month_blocks'])} blocks (ms)",
            "month_s",
            "",
            1000,
        )
    )
    print(row(f"reports: a year, {int(runs[0]['year_blocks'])} blocks (ms)", "year_s", "", 1000))
    print(row("widget RSS before opening reports (MiB)", "rss_before_mb", ""))
    print(row("widget RSS showing the busy month (MiB)", "rss_open_mb", ""))
    print(row("widget RSS after closing it (MiB)", "rss_after_mb", ""))
    print(row("widget RSS showing the year, opened again (MiB)", "rss_year_mb", ""))
    grown = [r["rss_after_mb"] - r["rss_before_mb"] for r in runs]
    print(
        f"{'kept after one open (MiB), and as a share of the bare tray':<58} "
        f"{statistics.median(grown):>8.1f}  = {statistics.median(grown) / baseline:.2f} × "
        f"the baseline's {baseline:.1f} MiB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
