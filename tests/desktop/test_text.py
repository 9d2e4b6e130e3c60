from __future__ import annotations

import datetime as dt

from tracktray.desktop.text import (
    change_notice,
    format_duration,
    header_text,
    today_text,
    tooltip_text,
)
from tracktray.domain import RunningBlock, Status, TrackerRef

UTC = dt.UTC
NOW = dt.datetime(2026, 11, 23, 10, 35, tzinfo=UTC)
WEBSITE = TrackerRef(2, "Website")
SUPPORT = TrackerRef(5, "Support")


def status(running: RunningBlock | None, total: int = 0) -> Status:
    return Status(daytotal_s=total, running=running, default_tracker=WEBSITE, fetched_at=NOW)


def running(tracker: TrackerRef = WEBSITE, minutes_ago: int = 83) -> RunningBlock:
    return RunningBlock(tracker=tracker, started_at=NOW - dt.timedelta(minutes=minutes_ago))


def test_durations_read_like_a_person_writes_them() -> None:
    assert format_duration(0) == "0 min"
    assert format_duration(59) == "0 min"
    assert format_duration(45 * 60) == "45 min"
    assert format_duration(83 * 60 + 30) == "1 h 23 min"
    assert format_duration(5 * 3600) == "5 h"
    assert format_duration(-5) == "0 min"


def test_header_names_the_tracker_its_start_and_the_time_so_far() -> None:
    st = status(running())
    since = (NOW - dt.timedelta(minutes=83)).astimezone().strftime("%H:%M")
    assert header_text(st, NOW) == f"Website — since {since}, 1 h 23 min"
    # the header ticks: the same status read a minute later shows one more minute
    assert header_text(st, NOW + dt.timedelta(minutes=1)).endswith("1 h 24 min")
    assert header_text(status(None), NOW) == "Not tracking"
    assert header_text(None, NOW) == "Connecting…"


def test_today_counts_the_running_block_up_to_now() -> None:
    st = status(running(), total=5 * 3600 + 40 * 60)
    assert today_text(st, NOW) == "Today: 5 h 40 min"
    assert today_text(st, NOW + dt.timedelta(minutes=10)) == "Today: 5 h 50 min"


def test_tooltip_says_what_runs_since_when_and_today() -> None:
    text = tooltip_text(status(running(), total=3600), NOW, account_label="Work")
    assert text.splitlines()[0] == "TrackTray — Work"
    assert "Website since" in text
    assert "Today: 1 h" in text
    offline = tooltip_text(status(None), NOW, problem="Offline: the server cannot be reached.")
    assert offline.splitlines()[1].startswith("Offline")


def test_changes_made_elsewhere_are_named() -> None:
    idle, web, sup = status(None), status(running()), status(running(SUPPORT, 1))
    assert change_notice(idle, web) == "Started Website on another device"
    assert change_notice(web, idle) == "Stopped Website on another device"
    assert change_notice(web, sup) == "Switched to Support on another device"
    assert change_notice(web, status(running())) is None
    assert change_notice(None, web) is None
    assert change_notice(idle, status(None)) is None
