"""Where an everyday start of the widget spends its time: a per-phase trace.

    python bench/trace_startup.py [--runs N] [--offscreen]

Starts the bare tray and the widget (local mode, then a server account over HTTPS)
alternately, as ``figures_startup`` does, and prints for each phase the app reports
(``phase <name>`` events from ``tracktray.desktop.benchhooks``, plus ``icon-shown``
and ``status-drawn``) the median milliseconds from spawning the process, and the CPU
time each thread had used when the first status was drawn (``/proc``). A tool for
finding causes; the figures for the table come from ``bench/run.py``.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # started as a script: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import server
from bench.display import Display, open_display
from bench.events import EventTimeout
from bench.sandbox import Sandbox
from bench.trayproc import TrayProcess, app_command, baseline_command


def _thread_cpu_ms(pid: int) -> dict[str, float]:
    """CPU milliseconds by thread, named ``main`` or by their ``comm`` and number."""
    out: dict[str, float] = {}
    for task in sorted((Path("/proc") / str(pid) / "task").iterdir(), key=lambda p: int(p.name)):
        try:
            cpu_ns = int((task / "schedstat").read_text().split()[0])
            name = (task / "comm").read_text().strip()
        except (FileNotFoundError, ProcessLookupError):
            continue
        label = "main" if task.name == str(pid) else name
        while label in out:
            label += "'"
        out[label] = cpu_ns / 1e6
    return out


def _one(sandbox: Sandbox, display: Display) -> tuple[dict[str, float], dict[str, float]]:
    env = {**display.env, "TRACKTRAY_BENCH_PHASES": "1"}
    with TrayProcess(app_command(), sandbox, env, name="trace") as tray:
        tray.wait_for("status-drawn")
        threads = _thread_cpu_ms(tray.pid)
        tray.wait_for("icon-shown")
        with contextlib.suppress(EventTimeout):  # the rest of start-up, when it reports it
            tray.wait_for("phase settled", timeout=5)
        phases: dict[str, float] = {}
        for stamp, event in tray.events.seen:
            name = event.removeprefix("phase ")
            phases.setdefault(name, (stamp - tray.started_ns) / 1e6)
        return phases, threads


def _baseline(sandbox: Sandbox, display: Display) -> tuple[float, float]:
    """(ms from spawn to its icon, CPU ms of its whole process then)."""
    with TrayProcess(baseline_command(), sandbox, display.env, name="baseline") as tray:
        shown = (tray.wait_for("icon-shown") - tray.started_ns) / 1e6
        return shown, sum(_thread_cpu_ms(tray.pid).values())


def _print(label: str, runs: list[tuple[dict[str, float], dict[str, float]]]) -> None:
    names: list[str] = []
    for phases, _ in runs:
        for name in sorted(phases, key=phases.__getitem__):
            if name not in names:
                names.append(name)
    rows = {n: [p[n] for p, _ in runs if n in p] for n in names}
    print(f"\n{label}: ms from spawn (median, min–max over {len(runs)} runs)")
    for name in sorted(names, key=lambda n: statistics.median(rows[n])):
        values = rows[name]
        print(
            f"  {name:<20} {statistics.median(values):7.1f}  ({min(values):.1f}–{max(values):.1f})"
        )
    threads: dict[str, list[float]] = {}
    for _, cpu in runs:
        for name, ms in cpu.items():
            threads.setdefault(name, []).append(ms)
    total = statistics.median(sum(cpu.values()) for _, cpu in runs)
    print(f"  CPU by thread at status-drawn (ms, median; all threads {total:.1f}):")
    for name, values in threads.items():
        print(f"    {name:<18} {statistics.median(values):7.1f}  (in {len(values)} runs)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--offscreen", action="store_true")
    args = parser.parse_args()
    with open_display(prefer_tray=not args.offscreen) as display, server.BenchServer.maybe() as srv:
        boxes: dict[str, Sandbox] = {"local": Sandbox("trace-local")}
        if srv.ready:
            boxes["https"] = Sandbox("trace-https")
            srv.add_account(boxes["https"])
        base_box = Sandbox("trace-baseline")
        try:
            for box in boxes.values():
                _one(box, display)  # the first run creates settings and the database
            _baseline(base_box, display)
            base: list[tuple[float, float]] = []
            runs: dict[str, list[tuple[dict[str, float], dict[str, float]]]] = {
                label: [] for label in boxes
            }
            for _ in range(args.runs):
                base.append(_baseline(base_box, display))
                for label, box in boxes.items():
                    runs[label].append(_one(box, display))
                    time.sleep(0.2)
            shown = [wall for wall, _ in base]
            print(f"baseline icon-shown: {statistics.median(shown):.1f} ms "
                  f"({min(shown):.1f}–{max(shown):.1f}) on {display.name}; CPU "
                  f"{statistics.median(cpu for _, cpu in base):.1f} ms")  # fmt: skip
            for label, label_runs in runs.items():
                _print(label, label_runs)
        finally:
            base_box.close()
            for box in boxes.values():
                box.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
