"""What a running process costs, read from Linux's /proc (no extra tools needed).

- CPU time: ``schedstat`` (time on a CPU, in ns) of every thread in
  ``/proc/<pid>/task/*``.
- Wake-ups: voluntary + non-voluntary context switches of every thread (from
  ``/proc/<pid>/task/*/status``; the process-level file counts only the main thread).
  Every time a thread is scheduled in after sleeping counts once, so a 100 ms timer shows
  as ~600 a minute and a quiet app as a handful.
- Memory: ``VmRSS`` (now) and ``VmHWM`` (peak) of ``/proc/<pid>/status``, and its
  anonymous part ``RssAnon`` (the process's own heap: Python objects, Qt's allocations).
  The rest of ``VmRSS`` is shared libraries' pages mapped so far, which depends on how
  much of those files the page cache holds (the kernel maps the cached pages around
  each fault): the same bare tray measured 50–64 MiB on one machine in one afternoon,
  while its ``RssAnon`` stayed at 14.3 MiB.

Counters are kept per thread so that a thread ending between two samples can never make
a difference negative; what such a thread did after the earlier sample is lost, which is
why :func:`Meter` samples often (every second) and adds the differences up.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

_PROC = Path("/proc")


@dataclass(frozen=True)
class Sample:
    """A snapshot of one process: per-thread (cpu_s, switches), and its memory."""

    at: float  # time.monotonic()
    threads: dict[int, tuple[float, int]]
    rss_mb: float
    peak_mb: float
    anon_mb: float = 0.0

    @property
    def cpu_s(self) -> float:
        return sum(cpu for cpu, _ in self.threads.values())

    @property
    def switches(self) -> int:
        return sum(n for _, n in self.threads.values())


def memory_mb(pid: int) -> tuple[float, float]:
    """(resident now, resident peak) in MiB."""
    rss, peak, _anon = _status_memory_mb(pid)
    return rss, peak


def _status_memory_mb(pid: int) -> tuple[float, float, float]:
    """(resident now, resident peak, anonymous resident now) in MiB."""
    rss = peak = anon = 0.0
    for line in (_PROC / str(pid) / "status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1]) / 1024
        elif line.startswith("VmHWM:"):
            peak = int(line.split()[1]) / 1024
        elif line.startswith("RssAnon:"):
            anon = int(line.split()[1]) / 1024
    return rss, peak, anon


def _thread_counters(task: Path) -> tuple[float, int]:
    cpu_ns = int((task / "schedstat").read_text().split()[0])
    switches = 0
    for line in (task / "status").read_text().splitlines():
        if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
            switches += int(line.split()[1])
    return cpu_ns / 1e9, switches


def sample(pid: int) -> Sample:
    threads: dict[int, tuple[float, int]] = {}
    for task in (_PROC / str(pid) / "task").iterdir():
        try:
            threads[int(task.name)] = _thread_counters(task)
        except (FileNotFoundError, ProcessLookupError):
            continue  # the thread ended while we looked
    rss, peak, anon = _status_memory_mb(pid)
    return Sample(time.monotonic(), threads, rss, peak, anon)


def difference(first: Sample, last: Sample) -> tuple[float, int]:
    """(CPU seconds, wake-ups) between two samples; never negative."""
    cpu = 0.0
    switches = 0
    for tid, (cpu_now, n_now) in last.threads.items():
        cpu_then, n_then = first.threads.get(tid, (0.0, 0))  # new thread: all of it
        cpu += max(0.0, cpu_now - cpu_then)
        switches += max(0, n_now - n_then)
    return cpu, switches


@dataclass(frozen=True)
class Idle:
    """Cost of a process over a window."""

    seconds: float
    cpu_pct: float
    wakeups_per_min: float


@dataclass
class Meter:
    """Adds up a process's cost over many short steps (see the module docstring)."""

    pid: int
    steps: list[tuple[float, float, int]] = field(default_factory=list)  # (s, cpu_s, n)
    rss_mb: list[float] = field(default_factory=list)
    anon_mb: list[float] = field(default_factory=list)
    _last: Sample | None = None

    def tick(self) -> Sample:
        now = sample(self.pid)
        if self._last is not None:
            cpu, switches = difference(self._last, now)
            self.steps.append((now.at - self._last.at, cpu, switches))
        self.rss_mb.append(now.rss_mb)
        self.anon_mb.append(now.anon_mb)
        self._last = now
        return now

    def total(self) -> Idle:
        return _rate(self.steps)

    def slices(self, seconds: float) -> list[Idle]:
        """Rates over consecutive slices of about ``seconds`` each."""
        out: list[Idle] = []
        current: list[tuple[float, float, int]] = []
        for step in self.steps:
            current.append(step)
            if sum(s for s, _, _ in current) >= seconds - 1e-3:
                out.append(_rate(current))
                current = []
        if current and sum(s for s, _, _ in current) >= seconds / 2:
            out.append(_rate(current))
        return out


def _rate(steps: list[tuple[float, float, int]]) -> Idle:
    span = sum(s for s, _, _ in steps)
    if span <= 0:
        raise ValueError("no time measured")
    cpu = sum(c for _, c, _ in steps)
    switches = sum(n for _, _, n in steps)
    return Idle(span, 100 * cpu / span, 60 * switches / span)
