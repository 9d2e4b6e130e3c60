"""``tracktray status`` wall time next to the floor of any Python command, ``python -c pass``."""

from __future__ import annotations

import sys

from bench.plan import Plan
from bench.sandbox import Sandbox, bin_path, wall_time
from bench.stats import Figure, Results, Summary


def measure(results: Results, plan: Plan) -> None:
    floor = results.add(Figure("python_pass_s", "python -c pass", "s"))
    status = results.add(
        Figure(
            "cli_status_s",
            "tracktray status, local mode",
            "s",
            baseline_key="python_pass_s",
            ratio_key="cli_status_ratio",
        )
    )
    with Sandbox("cli") as sandbox:
        floor_cmd = [sys.executable, "-c", "pass"]
        try:
            status_cmd = [bin_path("tracktray"), "status"]
            # the first run creates the local database: not what a user waits for daily
            wall_time(status_cmd, sandbox.env)
        except (OSError, RuntimeError) as error:
            status.reason = str(error)
            status_cmd = []
        wall_time(floor_cmd, sandbox.env)
        floors: list[float] = []
        statuses: list[float] = []
        for _ in range(plan.runs):  # interleaved, so drift hits both alike
            floors.append(wall_time(floor_cmd, sandbox.env))
            if status_cmd:
                statuses.append(wall_time(status_cmd, sandbox.env))
        floor.summary = Summary.of(floors)
        if statuses:
            status.summary = Summary.of(statuses)
