"""Cold start: spawn to "icon shown" (baseline) and to "icon shown and first status drawn".

Two starts of the app, labelled: the **everyday start** (a new process in a sandbox
where the program already ran once: settings and local database exist) and the **first
run** (a fresh sandbox each time: settings written, the local database created and
migrated). Runs of the baseline and the app alternate so that machine drift hits both
alike.
"""

from __future__ import annotations

from collections.abc import Callable

from bench.display import Display
from bench.plan import Plan
from bench.sandbox import Sandbox
from bench.stats import Figure, Results, Summary
from bench.trayproc import TrayProcess, app_command, baseline_command

#: prepares a sandbox for one app mode (e.g. adds a server account); None = local mode
Setup = Callable[[Sandbox], None]


def _baseline_start(sandbox: Sandbox, display: Display) -> float:
    with TrayProcess(baseline_command(), sandbox, display.env, name="baseline") as tray:
        return (tray.wait_for("icon-shown") - tray.started_ns) / 1e9


def _app_start(sandbox: Sandbox, display: Display) -> tuple[float, float]:
    """Seconds to icon + first status drawn, and to icon + the account's own answer
    drawn (later when the first status drawn is the one remembered from the last run)."""
    with TrayProcess(app_command(), sandbox, display.env, name="app") as tray:
        shown = tray.wait_for("icon-shown")
        drawn = tray.wait_for("status-drawn")
        answered = tray.wait_for("status-answered")
        return (max(shown, drawn) - tray.started_ns) / 1e9, (
            max(shown, answered) - tray.started_ns
        ) / 1e9


def _first_run(setup: Setup | None, display: Display, label: str) -> float:
    with Sandbox(f"first-{label}") as sandbox:
        if setup is not None:
            setup(sandbox)
        return _app_start(sandbox, display)[0]


def measure(results: Results, plan: Plan, display: Display, modes: dict[str, Setup | None]) -> None:
    """``modes``: label → setup, e.g. {"local": None, "https": add_server_account}."""
    baseline = results.add(
        Figure("baseline_startup_s", "baseline: start to icon shown", "s", note=display.name)
    )
    apps: dict[str, tuple[Figure, Sandbox]] = {}
    answers: dict[str, Figure] = {}
    firsts: dict[str, tuple[Figure, Setup | None]] = {}
    for index, (label, setup) in enumerate(modes.items()):
        key = "startup_s" if index == 0 else f"startup_{label}_s"
        figure = results.add(
            Figure(
                key,
                f"start to icon + first status, {label}, everyday start",
                "s",
                baseline_key="baseline_startup_s",
                ratio_key="startup_ratio" if index == 0 else f"startup_{label}_ratio",
            )
        )
        answers[label] = results.add(
            Figure(
                f"startup_answered_{label}_s",
                f"start to icon + the account's first answer drawn, {label}, everyday start",
                "s",
                baseline_key="baseline_startup_s",
                ratio_key=f"startup_answered_{label}_ratio",
            )
        )
        firsts[label] = (
            results.add(
                Figure(
                    f"startup_first_{label}_s",
                    f"start to icon + first status, {label}, first run",
                    "s",
                    baseline_key="baseline_startup_s",
                    ratio_key=f"startup_first_{label}_ratio",
                )
            ),
            setup,
        )
        sandbox = Sandbox(f"start-{label}")
        try:
            if setup is not None:
                setup(sandbox)
            _app_start(sandbox, display)  # first run: creates settings/database
            apps[label] = (figure, sandbox)
        except Exception as error:
            figure.reason = f"the app did not start: {error}"
            answers[label].reason = figure.reason
            sandbox.close()
    samples: dict[str, list[float]] = {label: [] for label in apps}
    answer_samples: dict[str, list[float]] = {label: [] for label in apps}
    first_samples: dict[str, list[float]] = {label: [] for label in apps}
    base_samples: list[float] = []
    with Sandbox("start-baseline") as base_box:
        _baseline_start(base_box, display)
        for _ in range(plan.runs):
            base_samples.append(_baseline_start(base_box, display))
            for label, (figure, sandbox) in list(apps.items()):
                try:
                    drawn, answered = _app_start(sandbox, display)
                    samples[label].append(drawn)
                    answer_samples[label].append(answered)
                    first_samples[label].append(_first_run(firsts[label][1], display, label))
                except Exception as error:
                    figure.reason = f"a run failed: {error}"
                    firsts[label][0].reason = figure.reason
                    answers[label].reason = figure.reason
                    sandbox.close()
                    del apps[label]
    baseline.summary = Summary.of(base_samples)
    for label, (figure, sandbox) in apps.items():
        figure.summary = Summary.of(samples[label])
        answers[label].summary = Summary.of(answer_samples[label])
        firsts[label][0].summary = Summary.of(first_samples[label])
        sandbox.close()
    for label, (first, _) in firsts.items():
        if label not in apps and not first.reason:
            first.reason = "the app did not start"
