"""What a running process costs, read from Linux's /proc (no extra tools needed).

- CPU time: ``schedstat`` (run time in ns) summed over ``/proc/<pid>/task/*``, or
  ``utime + stime`` of ``/proc/<pid>/stat`` (clock ticks, exited threads included) if
  larger.
- Wake-ups: voluntary + non-voluntary context switches, summed over
  ``/proc/<pid>/task/*/status`` (the process-level file counts only the main thread).
  Every time a thread is scheduled in after sleeping counts once, so a 100 ms timer shows
  as ~600 a minute and a quiet app as a handful.
- Memory: ``VmRSS`` (now) and ``VmHWM`` (peak) of ``/proc/<pid>/status``.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK")
_PROC = Path("/proc")


@dataclass(frozen=True)
class Sample:
    """A snapshot of one process's counters."""

    at: float  # time.monotonic()
    cpu_s: float
    switches: int
    rss_mb: float
    peak_mb: float


def cpu_seconds(pid: int) -> float:
    """CPU time of all threads, to the nanosecond (``schedstat``) when the kernel has it.

    ``utime + stime`` of ``/proc/<pid>/stat`` covers threads that already exited but
    counts in clock ticks (10 ms): too coarse for an idle minute. ``schedstat`` of each
    live thread is exact; the larger of the two is taken.
    """
    fields = (_PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    # after the command name: state is field 3, utime field 14, stime field 15
    ticks = (int(fields[11]) + int(fields[12])) / _TICKS
    exact = sum(int(text.split()[0]) for text in _per_thread(pid, "schedstat")) / 1e9
    return max(ticks, exact)


def context_switches(pid: int) -> int:
    total = 0
    for status in _per_thread(pid, "status"):
        for line in status.splitlines():
            if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                total += int(line.split()[1])
    return total


def _per_thread(pid: int, name: str) -> list[str]:
    texts = []
    for task in (_PROC / str(pid) / "task").iterdir():
        try:
            texts.append((task / name).read_text())
        except (FileNotFoundError, ProcessLookupError):
            continue  # the thread ended while we looked
    return texts


def memory_mb(pid: int) -> tuple[float, float]:
    """(resident now, resident peak) in MiB."""
    rss = peak = 0.0
    for line in (_PROC / str(pid) / "status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1]) / 1024
        elif line.startswith("VmHWM:"):
            peak = int(line.split()[1]) / 1024
    return rss, peak


def sample(pid: int) -> Sample:
    rss, peak = memory_mb(pid)
    return Sample(time.monotonic(), cpu_seconds(pid), context_switches(pid), rss, peak)


@dataclass(frozen=True)
class Idle:
    """Cost of a process over an idle window."""

    seconds: float
    cpu_pct: float
    wakeups_per_min: float


def idle_between(first: Sample, last: Sample) -> Idle:
    span = last.at - first.at
    if span <= 0:
        raise ValueError("the samples must be taken at different times")
    return Idle(
        seconds=span,
        cpu_pct=100 * (last.cpu_s - first.cpu_s) / span,
        wakeups_per_min=60 * (last.switches - first.switches) / span,
    )
