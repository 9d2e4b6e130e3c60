"""Clicks on the tray icon: feedback and confirmation latency, freezes, memory growth.

The app runs with an account on the engine's HTTPS server (for the freeze, reached
through :class:`bench.slowproxy.SlowProxy`, which can hold requests). Clicks are real X
clicks on the docked icon (xdotool) when a tray host runs, else the bench's ``click``
command (the same slot a tray click runs). Latencies are measured between the app's own
events (``click`` → ``icon-waiting`` → ``icon-confirmed``).

Freezes: while the proxy holds every request 3 s and the user clicks twice, the bench
sends ``ping <n>`` every 10 ms; the app answers ``pong <n>`` from its event loop. The
longest ping→pong delay is the longest time the app could not react to anything.

Growth: resident memory after ``cycles`` start/stop cycles (bench ``click`` commands,
each awaited until confirmed) minus the memory after a warm-up of 5 % of them. Finished
blocks are deleted from the server every 250 cycles: the engine's answers slow down with
the number of blocks in a day, which is not what this figure is about.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from bench import procprobe
from bench.display import Display
from bench.events import EventTimeout
from bench.plan import Plan
from bench.sandbox import Sandbox
from bench.server import BenchServer
from bench.slowproxy import SlowProxy
from bench.stats import Figure, Results, Summary
from bench.trayproc import TrayProcess, app_command

SLOW_S = 3.0
PING_EVERY_S = 0.010
DOUBLE_CLICK_GAP_S = 0.5
PRUNE_EVERY = 250  # cycles


def measure(results: Results, plan: Plan, display: Display, server: BenchServer) -> None:
    feedback = results.add(Figure("click_feedback_ms", "click → icon changes", "ms"))
    confirmed = results.add(Figure("click_confirmed_ms", "click → confirmed by server", "ms"))
    stall = results.add(
        Figure("max_stall_ms", f"longest freeze, server {SLOW_S:.0f} s slow + clicks", "ms")
    )
    growth = results.add(Figure("rss_growth_mb_10k", "memory growth over cycles", "MiB"))
    figures = (feedback, confirmed, stall, growth)
    if not server.ready:
        for figure in figures:
            figure.reason = server.reason
        return
    try:
        with Sandbox("clicks") as box:
            server.add_account(box)
            with TrayProcess(app_command(), box, display.env, name="clicks", commands=True) as app:
                app.wait_for("status-drawn")
                display.wait_docked("tracktray")
                _click_latency(app, display, plan.clicks, feedback, confirmed)
                series = _growth(app, plan.cycles, growth, server.prune_finished_blocks)
                results.extra["rss_growth_series_mb"] = series
    except Exception as error:  # the freeze below is measured on an app of its own
        _explain((feedback, confirmed, growth), error)
    try:
        host, port = server.origin.removeprefix("https://").rsplit(":", 1)
        with SlowProxy(host, int(port)).running() as proxy, Sandbox("stall") as box:
            server.add_account(box, api_url=f"https://{host}:{proxy.port}/api/")
            with TrayProcess(app_command(), box, display.env, name="stall", commands=True) as app:
                app.wait_for("status-drawn")
                display.wait_docked("tracktray")
                _stall(app, display, proxy, plan.stall_s, stall)
    except Exception as error:
        _explain((stall,), error)


def _explain(figures: tuple[Figure, ...], error: Exception) -> None:
    for figure in figures:
        if figure.summary is None and not figure.reason:
            figure.reason = str(error)


def _click(app: TrayProcess, display: Display) -> int:
    sent = time.monotonic_ns()
    if display.has_tray:
        display.click_tray()
    else:
        app.send("click")
    return sent


def _click_latency(
    app: TrayProcess, display: Display, count: int, feedback: Figure, confirmed: Figure
) -> None:
    to_feedback: list[float] = []
    to_confirmed: list[float] = []
    for _ in range(count):
        sent = _click(app, display)
        clicked = app.wait_for("click", after_ns=sent)
        waiting = app.wait_for("icon-waiting", after_ns=clicked)
        done = app.wait_for("icon-confirmed", after_ns=waiting)
        to_feedback.append((waiting - clicked) / 1e6)
        to_confirmed.append((done - clicked) / 1e6)
        # two clicks within Qt's double-click interval (400 ms) are a double click
        time.sleep(DOUBLE_CLICK_GAP_S)
    feedback.summary = Summary.of(to_feedback)
    confirmed.summary = Summary.of(to_confirmed)
    feedback.note = confirmed.note = "real X click" if display.has_tray else "bench click"


def ping_delays(app: TrayProcess, during: Callable[[], None]) -> list[float]:
    """Ping the app's event loop every 10 ms while ``during()`` runs; delays in ms.

    A ping the app has not answered when the run ends is waited for (up to 10 s more),
    so a freeze at the very end still counts in full.
    """
    sent: dict[int, int] = {}
    stop = threading.Event()

    def pinger() -> None:
        n = 0
        while not stop.is_set():
            sent[n] = app.send(f"ping {n}")
            n += 1
            time.sleep(PING_EVERY_S)

    thread = threading.Thread(target=pinger, daemon=True)
    started = time.monotonic_ns()
    thread.start()
    try:
        during()
    finally:
        stop.set()
        thread.join()
    last = max(sent)
    app.wait_for(f"pong {last}", after_ns=sent[last], timeout=10)
    pongs = {
        int(event.split()[1]): stamp
        for stamp, event in app.events.seen
        if event.startswith("pong ") and stamp >= started
    }
    return [(pongs.get(n, pongs[last]) - at) / 1e6 for n, at in sent.items()]


def _stall(
    app: TrayProcess, display: Display, proxy: SlowProxy, seconds: float, stall: Figure
) -> None:
    clicks: list[int] = []

    def user() -> None:
        time.sleep(0.5)
        clicks.append(_click(app, display))
        time.sleep(1.0)
        clicks.append(_click(app, display))  # impatient: the first is still in flight
        time.sleep(max(0.0, seconds - 1.5))

    proxy.delay_s = SLOW_S
    try:
        delays = ping_delays(app, user)
    finally:
        proxy.delay_s = 0.0
    # both clicks must have been answered (each toggles), or the figure is incomplete
    app.wait_for("icon-confirmed", after_ns=clicks[0], timeout=4 * SLOW_S)
    stall.summary = Summary(max(delays), min(delays), max(delays), len(delays))
    stall.note = f"{len(delays)} pings; min = fastest ping"


def _growth(
    app: TrayProcess, cycles: int, growth: Figure, prune: Callable[[], None]
) -> list[float]:
    """Returns the growth at each tenth of the cycles (the figure is the last one)."""
    warmup = max(20, cycles // 20)
    rss_after_warmup = 0.0
    samples: list[float] = []
    for i in range(warmup + cycles):
        if i % PRUNE_EVERY == PRUNE_EVERY - 1:
            prune()  # keeps the server's day short: see BenchServer.prune_finished_blocks
        try:
            for _ in range(2):  # start, then stop
                sent = app.send("click")
                app.wait_for("icon-confirmed", after_ns=sent, timeout=30)
        except (EventTimeout, OSError) as error:
            crash = app.crash_line()
            growth.reason = f"after {i} of {warmup + cycles} cycles: {crash or error}"
            return [round(x, 3) for x in samples]
        if i == warmup - 1:
            rss_after_warmup = procprobe.memory_mb(app.pid)[0]
        elif i >= warmup and (i - warmup + 1) % max(1, cycles // 10) == 0:
            samples.append(procprobe.memory_mb(app.pid)[0] - rss_after_warmup)
    final = samples[-1]
    growth.summary = Summary(final, min(samples), max(samples), len(samples))
    growth.note = f"{cycles:,} cycles after {warmup} warm-up; min/max along the way"
    return [round(x, 3) for x in samples]
