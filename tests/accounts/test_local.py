"""Local mode: the engine in-process behind the Backend interface."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from tracktray.accounts import Backend, Capability
from tracktray.accounts.local import LocalBackend, open_local_backend, system_timezone
from tracktray.api import Overlap, PermissionDenied, Refused, TrackTrayError, ValidationFailed
from tracktray.domain import ReportQuery


@pytest.fixture
def local(tmp_path: Path) -> Iterator[LocalBackend]:
    backend = open_local_backend(tmp_path)
    yield backend
    backend.close()


def test_first_run_creates_a_profile_with_a_starter_tracker(
    local: LocalBackend, tmp_path: Path
) -> None:
    assert isinstance(local, Backend)
    assert (tmp_path / "local.sqlite").exists()
    assert [t.name for t in local.trackers()] == ["General"]
    status = local.status()
    assert status.running is None
    assert status.default_tracker is not None and status.default_tracker.name == "General"
    profile = local.engine.profile(local.profile_id)
    assert profile.username == "local" and profile.timezone == system_timezone()
    assert Capability.MANAGE_TRACKERS in local.capabilities
    assert Capability.CHECK_VERSION not in local.capabilities


def test_opening_again_is_idempotent_and_keeps_the_running_block(tmp_path: Path) -> None:
    first = open_local_backend(tmp_path)
    first.start()
    first.close()
    again = open_local_backend(tmp_path)
    try:
        assert [t.name for t in again.trackers()] == ["General"]
        assert again.status().running is not None
    finally:
        again.close()


def test_engine_refusals_arrive_as_the_shared_error_tree(local: LocalBackend) -> None:
    local.start()
    with pytest.raises(Refused, match="already running") as caught:
        local.start()
    assert isinstance(caught.value, TrackTrayError)
    local.stop("done")
    with pytest.raises(Refused, match="nothing to stop"):
        local.stop()
    with pytest.raises(ValidationFailed, match="at most 24"):
        local.add_free(Decimal("25"))
    with pytest.raises(ValidationFailed, match="no tracker 999"):
        local.start(999)
    start = dt.datetime(2020, 5, 4, 9, 0)
    local.add(start, start + dt.timedelta(hours=1))
    with pytest.raises(Overlap, match="overlaps block"):
        local.add(start, start + dt.timedelta(minutes=30))
    with pytest.raises(Refused, match="no server"):
        local.check_version("Linux_Qt-1.0.0")


def test_tracker_management(local: LocalBackend) -> None:
    client = local.add_tracker("Client A")
    site = local.add_tracker("Site", client)
    local.rename_tracker(site, "Website")
    local.start(site)
    status = local.switch(local.add_tracker("Admin"), "first part")
    assert status.running is not None and status.running.tracker.name == "Admin"
    local.archive_tracker(client)
    assert [t.name for t in local.trackers()] == ["Admin", "General"]
    with pytest.raises(ValidationFailed, match="archived"):
        local.start(site)
    local.move_tracker(site, None)
    local.stop()
    assert "Website" in [t.name for t in local.trackers()]
    with pytest.raises(ValidationFailed, match="already a tracker"):
        local.add_tracker("general")
    report = local.report(ReportQuery(start=dt.datetime(2000, 1, 1), stop=dt.datetime(2100, 1, 1)))
    assert [b.description for b in report] == ["first part", ""]
    assert [p.username for p in local.reportees()] == ["local"]


def test_permission_errors_map_to_permission_denied(local: LocalBackend) -> None:
    other = local.engine.add_tracker("Not mine")
    # a tracker created behind the backend's back carries no role for the local profile
    with pytest.raises(PermissionDenied):
        local.start(other)
