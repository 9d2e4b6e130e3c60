"""Summaries of repeated measurements and the figures table.

Every figure is a list of samples reduced to median/min/max (machines are noisy: the
median of several runs is the number to compare, min/max show the spread). A figure
that could not be taken carries the plain reason instead of numbers, and lands in the
JSON as ``null``.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

#: The keys scripts read from ``--json``; always present, ``null`` when not measured.
REQUIRED_KEYS: tuple[str, ...] = (
    "startup_s",
    "baseline_startup_s",
    "startup_ratio",
    "rss_mb",
    "baseline_rss_mb",
    "rss_ratio",
    "rss_growth_mb_10k",
    "idle_cpu_pct",
    "idle_wakeups_per_min",
    "max_stall_ms",
    "click_feedback_ms",
    "click_confirmed_ms",
    "cli_status_s",
    "cli_status_ratio",
    "engine_status_rps",
    "engine_status_p99_ms",
    "engine_startstop_rps",
    "report_month_ms",
    "report_year_ms",
)


@dataclass(frozen=True)
class Summary:
    """Median, min and max of some samples."""

    median: float
    low: float
    high: float
    count: int

    @classmethod
    def of(cls, samples: Iterable[float]) -> Summary:
        values = sorted(float(s) for s in samples)
        if not values:
            raise ValueError("no samples to summarise")
        return cls(statistics.median(values), values[0], values[-1], len(values))


def percentile(samples: Sequence[float], pct: float) -> float:
    """The ``pct``-th percentile (nearest-rank, so p99 is a value that really occurred)."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    rank = max(1, -(-len(ordered) * pct // 100))  # ceil without floats drifting
    return ordered[int(rank) - 1]


def ratio(value: float | None, baseline: float | None) -> float | None:
    """``value / baseline``, or None when either is missing or the baseline is zero."""
    if value is None or baseline is None or baseline == 0:
        return None
    return value / baseline


@dataclass
class Figure:
    """One row of the table: a measured quantity, optionally compared to a baseline."""

    key: str
    label: str
    unit: str
    summary: Summary | None = None
    reason: str = ""
    #: JSON key of the baseline figure this one is divided by, and the ratio's key
    baseline_key: str | None = None
    ratio_key: str | None = None
    note: str = ""

    @property
    def value(self) -> float | None:
        return None if self.summary is None else self.summary.median


@dataclass
class Results:
    """All figures of one run, in table order."""

    figures: list[Figure] = field(default_factory=list)
    extra: dict[str, object] = field(default_factory=dict)

    def add(self, figure: Figure) -> Figure:
        self.figures.append(figure)
        return figure

    def get(self, key: str) -> Figure | None:
        return next((f for f in self.figures if f.key == key), None)

    def value(self, key: str) -> float | None:
        figure = self.get(key)
        return None if figure is None else figure.value

    def ratios(self) -> dict[str, float | None]:
        out: dict[str, float | None] = {}
        for figure in self.figures:
            if figure.ratio_key and figure.baseline_key:
                out[figure.ratio_key] = ratio(figure.value, self.value(figure.baseline_key))
        return out

    def to_json(self) -> dict[str, object]:
        """Flat dict: every required key (null when missing), ratios, spreads, reasons."""
        data: dict[str, object] = {key: None for key in REQUIRED_KEYS}
        reasons: dict[str, str] = {}
        spread: dict[str, dict[str, float | int]] = {}
        for figure in self.figures:
            data[figure.key] = _rounded(figure.value)
            if figure.summary is None:
                reasons[figure.key] = figure.reason or "not measured"
            else:
                s = figure.summary
                spread[figure.key] = {
                    "median": _rounded(s.median) or 0.0,
                    "min": _rounded(s.low) or 0.0,
                    "max": _rounded(s.high) or 0.0,
                    "runs": s.count,
                }
        for key, value in self.ratios().items():
            data[key] = _rounded(value)
        for key in REQUIRED_KEYS:
            if data[key] is None and key not in reasons:
                reasons[key] = _ratio_reason(self, key)
        data["null_reasons"] = reasons
        data["spread"] = spread
        data.update(self.extra)
        return data

    def table(self) -> str:
        """A plain-text table: label, median, min, max, runs, ratio to the baseline."""
        ratios = self.ratios()
        head = ("figure", "median", "min", "max", "runs", "× baseline")
        rows: list[tuple[str, ...]] = []
        for f in self.figures:
            label = f"{f.label} ({f.unit})" if f.unit else f.label
            if f.note:
                label = f"{label} [{f.note}]"
            if f.summary is None:
                rows.append((label, "n/a", "", "", "", f"— {f.reason}"))
                continue
            r = ratios.get(f.ratio_key or "")
            rows.append(
                (
                    label,
                    _fmt(f.summary.median),
                    _fmt(f.summary.low),
                    _fmt(f.summary.high),
                    str(f.summary.count),
                    "" if r is None else f"{r:.2f}×",
                )
            )
        widths = [max(len(r[i]) for r in [head, *rows]) for i in range(5)]
        lines = []
        for row in [head, *rows]:
            cells = [row[0].ljust(widths[0])]
            cells += [row[i].rjust(widths[i]) for i in range(1, 5)]
            lines.append("  ".join(cells) + "  " + row[5])
        lines.insert(1, "-" * len(lines[0]))
        return "\n".join(line.rstrip() for line in lines)


def _ratio_reason(results: Results, key: str) -> str:
    for figure in results.figures:
        if figure.ratio_key == key:
            missing = [
                k for k in (figure.key, figure.baseline_key or "") if results.value(k) is None
            ]
            return "ratio needs " + " and ".join(missing)
    return "not measured"


def _rounded(value: float | None) -> float | None:
    if value is None:
        return None
    return round(value, 4) if abs(value) < 100 else round(value, 1)


def _fmt(value: float) -> str:
    if value == 0:
        return "0"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"
