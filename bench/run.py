"""Run every benchmark and print the table; ``--json FILE`` also writes the figures.

    python bench/run.py [--quick] [--json FILE] [--offscreen] [--only SECTION ...]
                        [--language CODE]

Figures that could not be taken are printed with the reason and written as ``null``.
See ``bench/RESULTS.md`` for what each figure means and the latest table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):  # started as a script: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import figures_cli, figures_idle, figures_startup, machine
from bench.display import Display, open_display
from bench.plan import FULL, QUICK, Plan
from bench.stats import Results

SECTIONS = ("cli", "startup", "idle", "engine", "clicks")


def _section(name: str, results: Results, body: Callable[[], None]) -> None:
    started = time.monotonic()
    before = len(results.figures)
    print(f"· {name} …", file=sys.stderr, flush=True)
    try:
        body()
    except Exception as error:  # one broken section must not hide the others' figures
        reason = f"{name} benchmark failed: {error}"
        print(f"  {reason}", file=sys.stderr)
        traceback.print_exc(file=sys.stderr)
        for figure in results.figures[before:]:
            if figure.summary is None and not figure.reason:
                figure.reason = reason
    print(f"  {name} took {time.monotonic() - started:.1f} s", file=sys.stderr, flush=True)


def run(plan: Plan, display: Display, only: set[str]) -> Results:
    from bench import figures_clicks, figures_engine, server

    results = Results()
    with server.BenchServer.maybe() as srv:
        modes: dict[str, figures_startup.Setup | None] = {
            "local": None,
            "https": srv.add_account if srv.ready else srv.unavailable,
        }
        if srv.reason:
            results.extra["server_unavailable"] = srv.reason
        if "startup" in only:
            _section(
                "startup", results, lambda: figures_startup.measure(results, plan, display, modes)
            )
        if "idle" in only:
            idle_modes = {**modes, "local-running": figures_idle.start_a_block}
            _section(
                "idle",
                results,
                lambda: figures_idle.measure(
                    results, plan, display, idle_modes, clicked=("local", "https")
                ),
            )
        if "clicks" in only:
            _section("clicks", results, lambda: figures_clicks.measure(results, plan, display, srv))
        if "engine" in only:
            _section("engine", results, lambda: figures_engine.measure(results, plan, srv))
        if "cli" in only:
            ca_file = srv.ca_file if srv.ready else None
            _section(
                "cli", results, lambda: figures_cli.measure(results, plan, modes, display, ca_file)
            )
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, smaller data (< 60 s)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument(
        "--offscreen", action="store_true", help="Qt offscreen platform even if Xvfb is there"
    )
    parser.add_argument("--only", nargs="+", choices=SECTIONS, help="run only these sections")
    parser.add_argument(
        "--language",
        help="LANGUAGE for every program measured (de: the widget and the CLI in German)",
    )
    args = parser.parse_args(argv)
    if args.language:
        os.environ["LANGUAGE"] = args.language  # the sandboxes copy this environment
    plan = QUICK if args.quick else FULL
    started = time.monotonic()
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    with open_display(prefer_tray=not args.offscreen) as display:
        if display.why:
            print(f"· widget figures on the offscreen platform ({display.why})", file=sys.stderr)
        results = run(plan, display, set(args.only or SECTIONS))
    results.extra["platform"] = display.name
    results.extra["quick"] = args.quick
    results.extra["language"] = os.environ.get("LANGUAGE", "")
    results.extra["plan"] = vars(plan)
    results.extra["machine"] = {**machine.describe(), "load_average_at_start": load_at_start}
    results.extra["duration_s"] = round(time.monotonic() - started, 1)
    print(results.table())
    data = results.to_json()
    reasons = data["null_reasons"]
    assert isinstance(reasons, dict)
    for key, reason in reasons.items():
        print(f"{key}: null — {reason}")
    print(f"({'quick' if args.quick else 'full'} run on {display.name}, "
          f"{platform.python_version()}, {data['duration_s']} s)")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
