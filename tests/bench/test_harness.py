"""The benchmark harness itself: it imports, summarises, divides and writes the schema.

These tests check the bookkeeping, not the machine: no figure here has a threshold.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from bench import events, plan, procprobe, stats


def test_summary_reports_median_min_max_and_count() -> None:
    summary = stats.Summary.of([3.0, 1.0, 2.0, 10.0])
    assert (summary.median, summary.low, summary.high, summary.count) == (2.5, 1.0, 10.0, 4)


def test_percentile_is_a_sample_that_occurred() -> None:
    samples = [float(n) for n in range(1, 101)]
    assert stats.percentile(samples, 50) == 50.0
    assert stats.percentile(samples, 99) == 99.0
    assert stats.percentile([7.0], 99) == 7.0


@pytest.mark.parametrize(
    ("value", "baseline", "expected"),
    [(3.0, 1.5, 2.0), (None, 1.0, None), (1.0, None, None), (1.0, 0.0, None)],
)
def test_ratio_is_none_when_it_cannot_be_taken(
    value: float | None, baseline: float | None, expected: float | None
) -> None:
    assert stats.ratio(value, baseline) == expected


def _results() -> stats.Results:
    results = stats.Results()
    results.add(stats.Figure("baseline_startup_s", "baseline", "s", stats.Summary.of([0.1, 0.2])))
    results.add(
        stats.Figure(
            "startup_s",
            "app",
            "s",
            stats.Summary.of([0.3, 0.45, 0.6]),
            baseline_key="baseline_startup_s",
            ratio_key="startup_ratio",
        )
    )
    results.add(stats.Figure("cli_status_s", "cli", "s", reason="the CLI is not installed"))
    results.add(
        stats.Figure(
            "rss_mb", "app rss", "MiB", stats.Summary.of([80.0]),
            baseline_key="baseline_rss_mb", ratio_key="rss_ratio",
        )
    )  # fmt: skip
    return results


def test_json_has_every_required_key_with_ratios_and_reasons_for_nulls() -> None:
    data = json.loads(json.dumps(_results().to_json()))
    assert set(stats.REQUIRED_KEYS) <= set(data)
    assert data["startup_s"] == pytest.approx(0.45)
    assert data["startup_ratio"] == pytest.approx(0.45 / 0.15)
    assert data["cli_status_s"] is None
    assert data["null_reasons"]["cli_status_s"] == "the CLI is not installed"
    assert data["rss_ratio"] is None
    assert data["null_reasons"]["rss_ratio"] == "ratio needs baseline_rss_mb"
    assert data["null_reasons"]["engine_status_rps"] == "not measured"
    assert data["spread"]["startup_s"] == {"median": 0.45, "min": 0.3, "max": 0.6, "runs": 3}
    for key in stats.REQUIRED_KEYS:
        assert data[key] is None or isinstance(data[key], float)


def test_table_shows_spread_ratio_and_why_a_figure_is_missing() -> None:
    lines = _results().table().splitlines()
    app = next(line for line in lines if line.startswith("app (s)"))
    assert app.split()[-5:] == ["0.450", "0.300", "0.600", "3", "3.00×"]
    cli = next(line for line in lines if line.startswith("cli (s)"))
    assert cli.endswith("— the CLI is not installed")


def test_quick_plan_is_smaller_than_the_full_one() -> None:
    assert plan.FULL.cycles == 10_000
    assert plan.FULL.report_blocks == 100_000
    assert plan.FULL.idle_s == 60
    for name, full in vars(plan.FULL).items():
        assert getattr(plan.QUICK, name) <= full, name


def test_proc_probe_reads_this_process() -> None:
    meter = procprobe.Meter(os.getpid())
    first = meter.tick()
    deadline = time.process_time() + 0.05
    while time.process_time() < deadline:  # burn a little CPU so the counter moves
        pass
    time.sleep(0.01)  # and sleep once: a voluntary context switch
    last = meter.tick()
    idle = meter.total()
    assert idle.cpu_pct > 0
    assert idle.wakeups_per_min > 0
    assert last.switches > first.switches
    assert 0 < last.rss_mb <= last.peak_mb
    assert 0 < last.anon_mb < last.rss_mb  # the process's own heap, without its libraries
    assert meter.anon_mb == [first.anon_mb, last.anon_mb]


def test_a_thread_that_ends_never_makes_a_difference_negative() -> None:
    first = procprobe.Sample(0.0, {1: (1.0, 10), 2: (5.0, 50)}, 10.0, 10.0)
    last = procprobe.Sample(2.0, {1: (1.5, 16), 3: (0.25, 2)}, 10.0, 10.0)
    assert procprobe.difference(first, last) == (0.75, 8)


def test_meter_adds_up_steps_and_slices_them() -> None:
    meter = procprobe.Meter(pid=0)
    meter.steps = [(1.0, 0.01, 1)] * 5 + [(1.0, 0.0, 0)] * 5 + [(1.0, 0.0, 3)] * 4
    whole = meter.total()
    assert whole.seconds == pytest.approx(14)
    assert whole.wakeups_per_min == pytest.approx(60 * 17 / 14)
    slices = meter.slices(5)
    assert [round(s.wakeups_per_min) for s in slices] == [60, 0, 180]  # last one: 4 s


def test_event_log_follows_appended_lines(tmp_path: Path) -> None:
    path = tmp_path / "events"
    log = events.EventLog(path)
    assert log.poll() == []
    with open(path, "a") as f:
        f.write("100 icon-shown\n200 status-dr")
    assert log.poll() == [(100, "icon-shown")]
    with open(path, "a") as f:
        f.write("awn\n300 pong 4\n")
    assert log.wait_for("status-drawn", timeout=1) == 200
    assert log.wait_for("pong 4", after_ns=250, timeout=1) == 300
    with pytest.raises(events.EventTimeout):
        log.wait_for("icon-shown", after_ns=150, timeout=0.01)


def test_every_bench_module_imports() -> None:
    import importlib
    import pkgutil

    import bench

    names = [info.name for info in pkgutil.iter_modules(bench.__path__)]
    assert {"run", "stats", "baseline_tray", "figures_engine"} <= set(names)
    for name in names:
        importlib.import_module(f"bench.{name}")
