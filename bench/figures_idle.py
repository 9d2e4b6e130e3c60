"""Memory, CPU time and wake-ups of programs sitting idle, all watched at the same time.

The baseline and each app mode start together and idle side by side for the window
(a minute in the full run) with default settings, so polling runs as a user has it.
Each app runs once in its sandbox first (its first run creates settings and the local
database), so the window watches an everyday start.
``https, Secret Service`` is the server account with its password in a real Secret Service
(gnome-keyring on a private session bus, where installed; ``bench/secret_service.py``):
the other sandboxes use the bench's file keyring, which loads keyring's package, and a
Linux desktop's widget reads the Secret Service without it.
``local-running`` is local mode with a block running, the only state in which the idle
time is read (at the earliest 10 minutes after a reading that saw the person active).
``…, after clicks``: the same account whose tray was clicked twice before the window (a
start, then a stop, each awaited until the account confirmed it; the bench's ``click``
command runs the tray click's own slot): what a person's widget costs for the rest of a
day once they have used it, not only before their first click.
Memory: resident size sampled every second (median/min/max = steady state) and the peak
(``VmHWM``, start-up included); beside it the anonymous part alone (``RssAnon``), which
does not move with the page cache (see ``procprobe``): compare builds on that one.
CPU and wake-ups: the rate over the whole window, with min/max over 10-second slices to
show how even it is. See ``procprobe`` for the sources.
"""

from __future__ import annotations

import contextlib
import time

from bench import procprobe
from bench.display import Display
from bench.figures_startup import Setup
from bench.plan import Plan
from bench.sandbox import Sandbox, bin_path, wall_time
from bench.secret_service import in_secret_service
from bench.stats import Figure, Results, Summary
from bench.trayproc import TrayProcess, app_command, baseline_command

SLICE_S = 10.0
SETTLE_S = 1.0


class _Watched:
    def __init__(self, prefix: str, label: str, tray: TrayProcess | None, results: Results) -> None:
        self.tray = tray
        base = prefix == "baseline"
        suffix = "" if prefix in ("", "baseline") else f"_{prefix}"
        pre = "baseline_" if base else ""

        def fig(name: str, text: str, unit: str, ratio: str | None) -> Figure:
            return results.add(
                Figure(
                    f"{pre}{name}{suffix}",
                    f"{label}: {text}",
                    unit,
                    baseline_key=None if base or ratio is None else f"baseline_{name}",
                    ratio_key=None if base or ratio is None else f"{ratio}{suffix}",
                )
            )

        self.rss = fig("rss_mb", "steady resident memory", "MiB", "rss_ratio")
        self.anon = fig("anon_mb", "steady anonymous memory", "MiB", "anon_ratio")
        self.peak = fig("rss_peak_mb", "peak resident memory", "MiB", "rss_peak_ratio")
        self.cpu = fig("idle_cpu_pct", "idle CPU", "%", "idle_cpu_ratio")
        self.wakeups = fig("idle_wakeups_per_min", "idle wake-ups", "/min", "idle_wakeups_ratio")

    def fail(self, reason: str) -> None:
        for figure in (self.rss, self.anon, self.peak, self.cpu, self.wakeups):
            figure.reason = reason


def start_a_block(box: Sandbox) -> None:
    """Local mode with a block running (``tracktray start``): idle detection is on."""
    wall_time([bin_path("tracktray"), "start"], box.env)


def _ran_once(box: Sandbox, display: Display) -> None:
    """The app's first run in ``box`` (settings written, local database created), so the
    idle window watches the widget as it runs every day, as the start-up figure does."""
    with TrayProcess(app_command(), box, _env(box, display), name="first-run") as tray:
        tray.wait_for("status-drawn")


def _click_twice(tray: TrayProcess) -> None:
    """A start and a stop on the tray, each awaited until the account confirmed it."""
    for _ in ("start", "stop"):
        sent = tray.send("click")
        tray.wait_for("icon-confirmed", after_ns=sent, timeout=60)


def _env(box: Sandbox, display: Display) -> dict[str, str]:
    """The display's environment, keeping the sandbox's own session bus where it has one
    (the Secret Service's); otherwise no bus, as for the baseline."""
    bus = box.env.get("DBUS_SESSION_BUS_ADDRESS", "disabled:")
    return display.env if bus == "disabled:" else {**display.env, "DBUS_SESSION_BUS_ADDRESS": bus}


def measure(
    results: Results,
    plan: Plan,
    display: Display,
    modes: dict[str, Setup | None],
    clicked: tuple[str, ...] = (),
) -> None:
    """``clicked``: the modes also watched after a start and a stop click (``… after
    clicks``)."""
    watched: list[_Watched] = []
    with contextlib.ExitStack() as stack:
        box = stack.enter_context(Sandbox("idle-baseline"))
        tray = stack.enter_context(
            TrayProcess(baseline_command(), box, display.env, name="baseline")
        )
        watched.append(_Watched("baseline", "baseline", tray, results))
        modes = dict(modes)
        secret_service = in_secret_service(modes.get("https"), stack)
        if secret_service is not None:  # what a Linux desktop's server account costs
            modes["https, Secret Service"] = secret_service
        runs = [(label, setup, False) for label, setup in modes.items()]
        runs += [(f"{label}, after clicks", modes[label], True) for label in clicked]
        for index, (label, setup, clicks) in enumerate(runs):
            slug = label.replace(", ", "_").replace(" ", "_").casefold()
            box = stack.enter_context(Sandbox(f"idle-{slug}"))
            prefix = "" if index == 0 else slug
            try:
                if setup is not None:
                    setup(box)
                _ran_once(box, display)
            except Exception as error:
                _Watched(prefix, f"app, {label}", None, results).fail(str(error))
                continue
            env = _env(box, display)
            tray = stack.enter_context(
                TrayProcess(app_command(), box, env, name=slug, commands=clicks)
            )
            watched.append(_Watched(prefix, f"app, {label}", tray, results))
        ready: list[tuple[_Watched, TrayProcess]] = []
        for item in watched:
            assert item.tray is not None
            event = "icon-shown" if item.tray.name == "baseline" else "status-drawn"
            try:
                item.tray.wait_for(event)
                if item.tray.name.endswith("_after_clicks"):
                    _click_twice(item.tray)
                ready.append((item, item.tray))
            except Exception as error:
                item.fail(f"did not get ready: {error}")
        time.sleep(SETTLE_S)
        meters = [(item, procprobe.Meter(tray.pid)) for item, tray in ready]
        end = time.monotonic() + plan.idle_s
        while True:
            for _, meter in meters:
                meter.tick()
            now = time.monotonic()
            if now >= end:
                break
            time.sleep(min(1.0, end - now))
        for item, meter in meters:
            _summarise(item, meter)


def _summarise(item: _Watched, meter: procprobe.Meter) -> None:
    last = meter.tick()
    item.rss.summary = Summary.of(meter.rss_mb)
    item.anon.summary = Summary.of(meter.anon_mb)
    item.peak.summary = Summary.of([last.peak_mb])
    whole = meter.total()
    parts = meter.slices(SLICE_S)
    item.cpu.summary = _whole_with_spread(whole.cpu_pct, [p.cpu_pct for p in parts])
    item.wakeups.summary = _whole_with_spread(
        whole.wakeups_per_min, [p.wakeups_per_min for p in parts]
    )


def _whole_with_spread(whole: float, parts: list[float]) -> Summary:
    """The whole window's rate, with min/max over its slices (the window itself if shorter)."""
    parts = parts or [whole]
    return Summary(whole, min(parts), max(parts), len(parts))
