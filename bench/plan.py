"""How much of each benchmark a run does: the full run, or ``--quick`` (< 60 s total)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Plan:
    runs: int  # repetitions of start-up and CLI timings
    idle_s: float  # the idle window for memory, CPU and wake-ups
    clicks: int  # click-latency samples
    cycles: int  # start/stop cycles for memory growth
    stall_s: float  # how long the slow-server stall probe runs
    engine_batch_s: float  # length of one batch of status (or start+stop) requests
    report_blocks: int
    report_runs: int


FULL = Plan(
    runs=7,
    idle_s=60,
    clicks=30,
    cycles=10_000,
    stall_s=15,
    engine_batch_s=4,
    report_blocks=100_000,
    report_runs=7,
)
QUICK = Plan(
    runs=3,
    idle_s=4,
    clicks=5,
    cycles=100,
    stall_s=4,
    engine_batch_s=0.5,
    report_blocks=10_000,
    report_runs=3,
)
