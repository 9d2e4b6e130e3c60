"""The status values are Value classes: what their frozen dataclasses gave, kept."""

from __future__ import annotations

import copy
import datetime as dt
import pickle

import pytest

from tracktray.domain.status import AttendanceClock, RunningBlock, Status, TrackerRef
from tracktray.domain.values import Value
from tracktray.engine.treeindex import TrackerRow
from tracktray.store.account_config import LOCAL_ACCOUNT, AccountConfig

AT = dt.datetime(2026, 11, 29, 8, 30, tzinfo=dt.UTC)
GENERAL = TrackerRef(1, "General")
RUNNING = Status(
    daytotal_s=60,
    running=RunningBlock(GENERAL, AT, tracker_total_s=60, note="call"),
    default_tracker=GENERAL,
    fetched_at=AT,
    attendance=AttendanceClock(AT, break_s=5),
    free_today_s=0,
)
VALUES: list[Value] = [
    GENERAL,
    RUNNING,
    RUNNING.running,  # type: ignore[list-item]
    TrackerRow(3, None, "Acme", "AC", archived=False),
    LOCAL_ACCOUNT,
    AccountConfig("alice", "trackmypeople", "Acme", url="https://x/", ca_file="/ca.pem"),
]


def test_defaults_and_the_repr_a_dataclass_would_show() -> None:
    assert repr(GENERAL) == "TrackerRef(id=1, name='General', abbreviation='', trackable=True)"
    assert repr(AttendanceClock(AT)) == f"AttendanceClock(started_at={AT!r}, break_s=0)"
    bare = Status(0, None, None, AT)
    assert (bare.attendance, bare.attendance_day_s, bare.free_today_s) == (None, 0, None)


@pytest.mark.parametrize("value", VALUES, ids=lambda v: type(v).__name__)
def test_equal_and_hashed_by_fields_and_never_changed(value: Value) -> None:
    twin = copy.copy(value)
    assert twin == value and hash(twin) == hash(value) and twin is not value
    assert copy.deepcopy(value) == value
    assert pickle.loads(pickle.dumps(value)) == value
    name = value._fields[0]
    with pytest.raises(AttributeError):
        setattr(value, name, None)
    with pytest.raises(AttributeError):
        delattr(value, name)
    assert value.as_dict() == {n: getattr(value, n) for n in value._fields}
    assert list(value.as_dict()) == list(value._fields)


def test_replace_changes_only_the_fields_named() -> None:
    later = RUNNING.replace(fetched_at=AT + dt.timedelta(minutes=1))
    assert later != RUNNING
    assert later.replace(fetched_at=AT) == RUNNING
    assert later.running is RUNNING.running
    with pytest.raises(TypeError, match="no field 'fetched'"):
        RUNNING.replace(fetched=AT)


def test_values_of_another_class_are_never_equal() -> None:
    assert TrackerRef(1, "General") != TrackerRow(1, None, "General", "", archived=False)
    assert GENERAL != (1, "General", "", True)
