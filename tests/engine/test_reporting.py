"""Reports and reportees: defaults, filters, time zones and permissions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.support.clock import FakeClock
from tests.support.org import new_user
from tracktray.domain import ReportQuery
from tracktray.engine import Engine, NotAllowed, ValidationError

D = dt.datetime


def test_report_defaults_to_the_current_month_and_closed_blocks(
    engine: Engine, tree: dict[str, int], clock: FakeClock
) -> None:
    pid = new_user(engine, tree).profile_id
    engine.add(pid, D(2026, 10, 31, 23, 30), D(2026, 10, 31, 23, 45))  # last month
    inside = engine.add(pid, D(2026, 11, 1, 0, 15), D(2026, 11, 1, 1, 0))
    free = engine.add_free(pid, Decimal("4"), dt.date(2026, 11, 20), tree["Internal/Holidays"])
    engine.start(pid)
    clock.advance(minutes=5)
    assert [b.id for b in engine.report(pid, ReportQuery())] == [inside.id, free.id]
    with_open = engine.report(pid, ReportQuery(include_open=True))
    assert with_open[-1].time_out is None and with_open[-1].total_s == 300
    assert [b.id for b in engine.report(pid, ReportQuery(free=True))] == [free.id]
    assert [b.id for b in engine.report(pid, ReportQuery(free=False))] == [inside.id]


def test_report_tracker_filter_includes_sub_trackers(engine: Engine, tree: dict[str, int]) -> None:
    pid = new_user(engine, tree).profile_id
    design = engine.add(
        pid, D(2026, 11, 2, 9, 0), D(2026, 11, 2, 10, 0), tree["Acme/Website/Design"]
    )
    site = engine.add(pid, D(2026, 11, 2, 10, 0), D(2026, 11, 2, 11, 0), tree["Acme/Website"])
    engine.add(pid, D(2026, 11, 2, 11, 0), D(2026, 11, 2, 12, 0), tree["Acme/Support"])
    got = engine.report(pid, ReportQuery(tracker_id=tree["Acme/Website"]))
    assert [b.id for b in got] == [design.id, site.id]
    with pytest.raises(ValidationError, match="no tracker 4242"):
        engine.report(pid, ReportQuery(tracker_id=4242))


def test_report_times_follow_the_requested_timezone(engine: Engine, tree: dict[str, int]) -> None:
    pid = new_user(engine, tree, timezone="Europe/Brussels").profile_id
    engine.add(pid, D(2026, 11, 2, 9, 0), D(2026, 11, 2, 10, 0))
    [block] = engine.report(pid, ReportQuery(timezone="America/New_York"))
    assert (block.time_in, block.time_out) == (D(2026, 11, 2, 3, 0), D(2026, 11, 2, 4, 0))
    # start/stop are read in that zone too: 03:30 New York is after the block's start
    assert (
        engine.report(pid, ReportQuery(timezone="America/New_York", start=D(2026, 11, 2, 3, 30)))
        == []
    )
    with pytest.raises(ValidationError, match="not a known time zone"):
        engine.report(pid, ReportQuery(timezone="Mars/Olympus"))
    with pytest.raises(ValidationError, match="start must be before"):
        engine.report(pid, ReportQuery(start=D(2026, 11, 5), stop=D(2026, 11, 4)))


def test_reports_of_others_need_can_see_reporting(engine: Engine, tree: dict[str, int]) -> None:
    manager = new_user(engine, tree, can_see_reporting=True, prefix="manager")
    worker = new_user(engine, tree, prefix="worker")
    stranger = engine.create_user("stranger", "pw")
    engine.grant_role(stranger, engine.ensure_tracker("Elsewhere"), can_track=True)
    support = engine.add(
        worker.profile_id, D(2026, 11, 3, 9, 0), D(2026, 11, 3, 10, 0), tree["Acme/Support"]
    )

    ids = {p.id for p in engine.reportees(manager.profile_id)}
    assert {manager.profile_id, worker.profile_id} <= ids and stranger not in ids
    assert [p.id for p in engine.reportees(worker.profile_id)] == [worker.profile_id]

    got = engine.report(manager.profile_id, ReportQuery(profile_id=worker.profile_id))
    assert [b.id for b in got] == [support.id]
    with pytest.raises(NotAllowed, match="not allowed"):
        engine.report(worker.profile_id, ReportQuery(profile_id=manager.profile_id))
    with pytest.raises(NotAllowed):
        engine.report(manager.profile_id, ReportQuery(profile_id=stranger))


def test_a_team_lead_sees_only_their_subtree_of_someone_elses_time(
    engine: Engine, tree: dict[str, int]
) -> None:
    lead = engine.create_user("lead", "pw")
    engine.grant_role(lead, tree["Acme/Website"], can_track=True, can_see_reporting=True)
    worker = new_user(engine, tree)
    web = engine.add(
        worker.profile_id, D(2026, 11, 3, 9, 0), D(2026, 11, 3, 10, 0), tree["Acme/Website/Backend"]
    )
    engine.add(
        worker.profile_id, D(2026, 11, 3, 10, 0), D(2026, 11, 3, 11, 0), tree["Internal/Holidays"]
    )
    got = engine.report(lead, ReportQuery(profile_id=worker.profile_id))
    assert [b.id for b in got] == [web.id]
