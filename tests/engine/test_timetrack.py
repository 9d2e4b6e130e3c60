"""TimeTrack rules in the engine: timers with breaks, attendance entries, catalogue, keys."""

from __future__ import annotations

import datetime as dt
import tomllib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.clock import FakeClock
from tests.support.org import TestUser, new_user
from tracktray.domain import ReportQuery
from tracktray.engine import Engine, Refused, ValidationError
from tracktray.engine.timetrack import Changes, TimeTrack
from tracktray.engine.timetrack.loading import load_api_keys


@pytest.fixture
def tt(engine: Engine) -> TimeTrack:
    return TimeTrack(engine)


@pytest.fixture
def user(engine: Engine, tree: dict[str, int]) -> TestUser:
    return new_user(engine, tree, timezone="Europe/Brussels")


def wall(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def test_pause_resume_across_midnight_keeps_the_break(tt: TimeTrack, user: TestUser) -> None:
    name = user.username
    started = tt.start_project_timer(name, wall("2026-11-20 22:00"), "acme", "Website")
    assert started.playing and started.client_name == "Acme"
    paused = tt.pause_project_timer(name, wall("2026-11-20 23:30"))
    assert paused.paused and paused.worked_s == 90 * 60
    during = tt.project_timer(name, wall("2026-11-21 00:15"))
    assert (during.worked_s, during.break_s) == (90 * 60, 45 * 60)
    tt.resume_project_timer(name, wall("2026-11-21 00:30"))
    entry_id = tt.stop_project_timer(name, wall("2026-11-21 02:00"))
    [entry] = tt.project_entries(name, wall("2026-11-20 00:00"), wall("2026-11-22 00:00"))
    assert entry.id == entry_id
    assert (entry.worked_minutes, entry.break_minutes) == (180, 60)
    assert (entry.client_name, entry.project_name) == ("Acme", "Website")
    assert not tt.project_timer(name).running


def test_worked_time_across_the_dst_fall_back(tt: TimeTrack, user: TestUser) -> None:
    # Brussels falls back at 03:00 on 2026-10-25: 01:00 → 05:00 wall-clock is 5 real hours.
    tt.start_project_timer(user.username, wall("2026-10-25 01:00"), "Acme", "Support")
    tt.pause_project_timer(user.username, wall("2026-10-25 02:00"))
    tt.resume_project_timer(user.username, wall("2026-10-25 02:30"))
    tt.stop_project_timer(user.username, wall("2026-10-25 05:00"))
    [entry] = tt.project_entries(user.username)
    assert (entry.worked_minutes, entry.break_minutes) == (270, 30)


def test_stopping_while_paused_counts_the_pause_as_break(tt: TimeTrack, user: TestUser) -> None:
    tt.start_project_timer(user.username, wall("2026-11-23 09:00"), "Acme", "Website")
    tt.pause_project_timer(user.username, wall("2026-11-23 12:00"))
    tt.stop_project_timer(user.username, wall("2026-11-23 12:45"))
    [entry] = tt.project_entries(user.username)
    assert (entry.worked_minutes, entry.break_minutes) == (180, 45)


def test_timer_state_errors_are_sentences(tt: TimeTrack, user: TestUser) -> None:
    name = user.username
    with pytest.raises(Refused, match="not running"):
        tt.pause_project_timer(name, wall("2026-11-23 09:00"))
    tt.start_project_timer(name, wall("2026-11-23 09:00"), "Acme", "Website")
    with pytest.raises(Refused, match="already running"):
        tt.start_project_timer(name, wall("2026-11-23 09:05"), "Acme", "Support")
    with pytest.raises(Refused, match="not paused"):
        tt.resume_project_timer(name, wall("2026-11-23 09:10"))
    with pytest.raises(ValidationError, match="before the timer"):
        tt.pause_project_timer(name, wall("2026-11-23 08:00"))
    with pytest.raises(ValidationError, match="no project"):
        tt.start_project_timer(name, wall("2026-11-23 09:00"), "Acme", "Nope")


def test_a_task_naming_a_subtracker_runs_on_it(tt: TimeTrack, user: TestUser) -> None:
    tt.start_project_timer(
        user.username, wall("2026-11-23 09:00"), "Acme", "Website", task="design", note="logo"
    )
    timer = tt.project_timer(user.username, wall("2026-11-23 09:30"))
    assert (timer.project_name, timer.task_name, timer.note) == ("Website", "Design", "logo")
    assert timer.worked_s == 1800


def test_clock_in_and_out_writes_a_clock_entry(tt: TimeTrack, user: TestUser) -> None:
    clock = tt.clock_in(user.username, wall("2026-11-23 08:00"))
    assert clock.playing
    entry = tt.clock_out(user.username, wall("2026-11-23 16:30"))
    assert not entry.manual and entry.worked_minutes == 510
    assert entry.start == wall("2026-11-23 08:00")
    [day] = tt.work_reports(user.username, wall("2026-11-23 00:00"), wall("2026-11-23 23:59"))
    assert (day.worked_s, day.target_s) == (510 * 60, 8 * 3600)


def test_attendance_crud_and_validation(tt: TimeTrack, user: TestUser) -> None:
    name = user.username
    entry = tt.add_attendance(
        name, wall("2020-10-17 10:00"), wall("2020-10-17 14:00"), break_minutes=15, notes="Test"
    )
    assert (entry.worked_minutes, entry.manual, entry.user) == (225, True, name)
    edited = tt.edit_attendance(entry.id, Changes(end=wall("2020-10-17 23:00"), break_minutes=0))
    assert edited.worked_minutes == 13 * 60 and edited.notes == "Test"
    with pytest.raises(ValidationError, match="before its end"):
        tt.edit_attendance(entry.id, Changes(end=wall("2020-10-17 09:00")))
    with pytest.raises(ValidationError, match="shorter"):
        tt.add_attendance(
            name, wall("2020-10-18 10:00"), wall("2020-10-18 11:00"), break_minutes=60
        )
    with pytest.raises(ValidationError, match="negative"):
        tt.add_attendance(
            name, wall("2020-10-18 10:00"), wall("2020-10-18 11:00"), break_minutes=-1
        )
    with pytest.raises(ValidationError, match="no user"):
        tt.add_attendance("nobody", wall("2020-10-18 10:00"), wall("2020-10-18 11:00"))
    listed = tt.attendances(name, wall("2020-10-01 00:00"), wall("2020-10-31 00:00"))
    assert [a.id for a in listed] == [entry.id]
    tt.delete_attendance(entry.id)
    assert tt.attendances(name) == []


def test_catalogue_is_the_two_level_tree(
    tt: TimeTrack, engine: Engine, tree: dict[str, int]
) -> None:
    assert [c.name for c in tt.clients()] == ["Acme", "Internal"]
    engine.archive_tracker(tree["Acme/Support"])
    projects = {(p.client_name, p.project_name): p.enabled for p in tt.projects()}
    assert projects == {
        ("Acme", "Support"): False,
        ("Acme", "Website"): True,
        ("Internal", "Holidays"): True,
    }
    assert [p.project_name for p in tt.projects(project="web")] == ["Website"]


def test_api_keys_are_checked_against_a_hash(tt: TimeTrack) -> None:
    tt.set_api_key("acme-key", "s3cret-value")
    assert tt.check_api_key("acme-key", "s3cret-value")
    assert tt.check_api_key("acme-key", "s3cret-value")  # remembered
    assert not tt.check_api_key("acme-key", "wrong-secret")
    assert not tt.check_api_key("other", "s3cret-value")
    tt.set_api_key("acme-key", "new-secret-1")
    assert not tt.check_api_key("acme-key", "s3cret-value")


def test_load_file_api_keys(engine: Engine, tt: TimeTrack) -> None:
    document = tomllib.loads(
        '[[api_keys]]\nkey = "payroll"\nsecret = "long-secret-1"\nlabel = "export"\n'
        '[[api_keys]]\nkey = "widget"\nsecret = "long-secret-2"\n'
    )
    assert load_api_keys(engine, document) == 2
    assert load_api_keys(engine, document) == 2  # loading again changes nothing
    assert tt.check_api_key("payroll", "long-secret-1")
    assert tt.check_api_key("widget", "long-secret-2")
    assert load_api_keys(engine, {}) == 0
    with pytest.raises(ValidationError, match="entry 1 needs a key and a secret"):
        load_api_keys(engine, {"api_keys": [{"key": "x"}]})
    with pytest.raises(ValidationError, match="shorter than 8"):
        load_api_keys(engine, {"api_keys": [{"key": "x", "secret": "short"}]})


def test_the_trackmypeople_face_sees_a_paused_timer_and_stops_it_cleanly(
    engine: Engine, tt: TimeTrack, user: TestUser, clock: FakeClock
) -> None:
    now = clock()
    tt.start_project_timer(user.username, now - dt.timedelta(hours=2), "Acme", "Website")
    tt.pause_project_timer(user.username, now - dt.timedelta(hours=1))
    status = engine.status(user.profile_id)
    assert status.running is not None and status.running.paused
    assert (status.running.break_s, status.daytotal_s) == (3600, 3600)
    clock.advance(minutes=30)
    assert engine.status(user.profile_id).daytotal_s == 3600  # a pause does not count
    engine.stop(user.profile_id)
    [entry] = tt.project_entries(user.username)
    assert (entry.worked_minutes, entry.break_minutes) == (60, 90)
    assert not tt.project_timer(user.username).running


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    start=st.datetimes(
        min_value=dt.datetime(2026, 3, 28),
        max_value=dt.datetime(2026, 10, 26),
        timezones=st.just(dt.UTC),
    ),
    spans=st.lists(st.integers(min_value=0, max_value=600), min_size=1, max_size=7),
)
def test_worked_is_elapsed_minus_the_pauses(
    engine: Engine, tt: TimeTrack, tree: dict[str, int], start: dt.datetime, spans: list[int]
) -> None:
    """Work and pause alternate (minutes in ``spans``); the entry keeps exactly the pauses."""
    name = new_user(engine, tree).username
    now = start.replace(microsecond=0)
    tt.start_project_timer(name, now, "Acme", "Website")
    paused_s = 0
    for index, minutes in enumerate(spans):
        now += dt.timedelta(minutes=minutes)
        if index == len(spans) - 1:
            break
        if index % 2 == 0:
            tt.pause_project_timer(name, now)
        else:
            tt.resume_project_timer(name, now)
            paused_s += minutes * 60
    if len(spans) % 2 == 0:  # stopped while paused: the last span was a pause too
        paused_s += spans[-1] * 60
    timer = tt.project_timer(name, now)
    elapsed = int((now - start.replace(microsecond=0)).total_seconds())
    assert (timer.worked_s, timer.break_s) == (elapsed - paused_s, paused_s)
    tt.stop_project_timer(name, now)
    [entry] = tt.project_entries(name)
    assert entry.break_minutes == paused_s // 60
    assert entry.worked_minutes == (elapsed - paused_s) // 60


def test_a_report_counts_a_paused_open_block_as_worked_only_up_to_the_pause(
    tt: TimeTrack, user: TestUser, engine: Engine
) -> None:
    # now is 11:00 in Brussels (the clock fixture); paused since 10:00, started at 09:00
    tt.start_project_timer(user.username, wall("2026-11-23 09:00"), "Acme", "Website")
    tt.pause_project_timer(user.username, wall("2026-11-23 10:00"))
    [block] = engine.report(user.profile_id, ReportQuery(include_open=True))
    assert block.total_s == 3600
    assert engine.status(user.profile_id).daytotal_s == 3600
