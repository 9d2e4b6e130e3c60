"""``tracktray status`` wall time next to the floor of any Python command, ``python -c pass``.

Local mode (the default account) is the headline figure; the same command on the
loopback HTTPS server account shows what the engine's imports cost the local one. The
server account is measured twice: alone, and with the widget running on the same
account in the same sandbox (``tracktray status`` then asks the widget).

The sandboxes keep passwords in the bench's file keyring (``PYTHON_KEYRING_BACKEND``),
which costs what keyring's import costs. A Linux desktop keeps them in the Secret
Service, which ``tracktray status`` reads without keyring: where gnome-keyring is
installed, the server account alone is measured a second time with its password there
(gnome-keyring on a private session bus), labelled "Secret Service".

The bench server's accounts name its CA file, which is then all they trust. An account
on a server with a public certificate names none and trusts the system's store: with
the server's CA placed in a system store (``bench/system_trust.py``), the Secret Service
account is measured a third time, labelled "system CAs" — what a desktop user of a
hosted server meets.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

from bench.display import Display
from bench.figures_startup import Setup
from bench.plan import Plan
from bench.sandbox import Sandbox, bin_path, wall_time
from bench.secret_service import in_secret_service
from bench.stats import Figure, Results, Summary
from bench.system_trust import trusting_the_system
from bench.trayproc import TrayProcess, app_command


def measure(
    results: Results,
    plan: Plan,
    modes: dict[str, Setup | None],
    display: Display | None = None,
    ca_file: Path | None = None,
    widget_modes: tuple[str, ...] = ("https",),
) -> None:
    """``modes``: label → account set-up, as for start-up; the first one is the headline.
    ``ca_file``: the server's CA, for the account trusting the system's store.
    ``widget_modes``: those also measured with the widget running (needs ``display``)."""
    floor = results.add(Figure("python_pass_s", "python -c pass", "s"))
    floor_cmd = [sys.executable, "-c", "pass"]
    commands: list[tuple[Figure, Sandbox, list[str]]] = []
    widgets: list[TrayProcess] = []
    desktops = contextlib.ExitStack()
    runs = [(label, setup, False) for label, setup in modes.items()]
    secret_service = in_secret_service(modes.get("https"), desktops)
    if secret_service is not None:
        runs.append(("https, Secret Service", secret_service, False))
        system_trust = trusting_the_system(secret_service, ca_file) if ca_file else None
        if system_trust is not None:
            runs.append(("https, Secret Service, system CAs", system_trust, False))
    if display is not None:
        runs += [(label, modes[label], True) for label in widget_modes if label in modes]
    for index, (label, setup, with_widget) in enumerate(runs):
        slug = label.replace(", ", "_").replace(" ", "_").casefold()
        key = "cli_status" if index == 0 else f"cli_status_{slug}"
        key += "_widget" if with_widget else ""
        text = f"tracktray status, {label}" + (", widget running" if with_widget else "")
        figure = results.add(
            Figure(f"{key}_s", text, "s", baseline_key="python_pass_s", ratio_key=f"{key}_ratio")
        )
        sandbox = Sandbox(f"cli-{slug}")
        try:
            if setup is not None:
                setup(sandbox)
            command = [bin_path("tracktray"), "status"]
            # the first run creates the local database: not what a user waits for daily
            wall_time(command, sandbox.env)
            if with_widget:
                assert display is not None
                widget = TrayProcess(app_command(), sandbox, display.env, name="widget")
                widgets.append(widget)
                widget.wait_for("status-drawn")
            commands.append((figure, sandbox, command))
        except Exception as error:
            figure.reason = str(error)
            sandbox.close()
    samples: dict[str, list[float]] = {figure.key: [] for figure, _, _ in commands}
    floors: list[float] = []
    env = dict(os.environ)
    try:
        wall_time(floor_cmd, env)
        for _ in range(plan.runs):  # interleaved, so drift hits all alike
            floors.append(wall_time(floor_cmd, env))
            for figure, sandbox, command in commands:
                samples[figure.key].append(wall_time(command, sandbox.env))
    finally:
        for widget in widgets:
            widget.stop()
        for _, sandbox, _ in commands:
            sandbox.close()
        desktops.close()
    floor.summary = Summary.of(floors)
    for figure, _, _ in commands:
        figure.summary = Summary.of(samples[figure.key])
