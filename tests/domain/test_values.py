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


def _all_value_classes() -> list[type[Value]]:
    """Every Value class of the app (its modules imported, then the subclass tree)."""
    import importlib
    import pkgutil

    import tracktray

    for module in pkgutil.walk_packages(tracktray.__path__, "tracktray."):
        # the Qt and server modules hold no values; Alembic's scripts run when imported
        skipped = ("tracktray.desktop", "tracktray.server", "tracktray.engine.migrations")
        if not module.name.startswith(skipped):
            importlib.import_module(module.name)
    found: list[type[Value]] = []
    todo = list(Value.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


@pytest.mark.parametrize("cls", _all_value_classes(), ids=lambda cls: cls.__qualname__)
def test_each_value_names_its_fields_in_all_three_places(cls: type[Value]) -> None:
    """A field is written in ``__slots__``, ``_fields`` and ``__init__``: one forgotten
    in ``_fields`` would silently drop out of equality, hashing and ``replace``."""
    import inspect

    parameters = list(inspect.signature(cls.__init__).parameters)[1:]
    assert list(cls._fields) == parameters
    slots = [name for klass in cls.__mro__ for name in getattr(klass, "__slots__", ())]
    assert sorted(slots) == sorted(cls._fields)
