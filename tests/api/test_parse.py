"""The tolerant readers accept every spelling the protocol allows and nothing else."""

from __future__ import annotations

import datetime as dt

import pytest

from tracktray.api import ProtocolError
from tracktray.api._parse import (
    as_bool,
    as_duration_s,
    as_int,
    as_mapping,
    as_timestamp,
    as_wall_time,
    is_nothing,
)
from tracktray.api._trackmypeople_decode import decode_blocks


@pytest.mark.parametrize(("value", "expected"), [(42, 42), ("42", 42), (" 7 ", 7), ("3.0", 3)])
def test_numbers_as_numbers_or_strings(value: object, expected: int) -> None:
    assert as_int(value, "x") == expected


@pytest.mark.parametrize("value", [True, "forty", "4.5", None, [], {}, float("nan"), "1e999"])
def test_non_numbers_are_protocol_errors(value: object) -> None:
    with pytest.raises(ProtocolError, match="should be a number"):
        as_int(value, "x")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3600, 3600),
        ("3600", 3600),
        ("1:30", 5400),
        ("1:30:15", 5415),
        ("0:05", 300),
        ("12:00:00", 43200),
        (90.6, 91),
        (None, 0),
        ("", 0),
    ],
)
def test_durations(value: object, expected: int) -> None:
    assert as_duration_s(value, "d") == expected


@pytest.mark.parametrize("value", ["1:75", "soon", [1], {"h": 1}])
def test_bad_durations(value: object) -> None:
    with pytest.raises(ProtocolError):
        as_duration_s(value, "d")


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1, True), ("1", True), (True, True), ("true", True), (0, False), ("0", False), (None, False)],
)
def test_trackable_spellings(value: object, expected: bool) -> None:
    assert as_bool(value, "b") is expected


def test_timestamps_are_aware_utc() -> None:
    assert as_timestamp("1763888400", "t") == dt.datetime(2025, 11, 23, 9, 0, tzinfo=dt.UTC)
    assert as_timestamp(1763888400, "t") == as_timestamp("1763888400", "t")
    with pytest.raises(ProtocolError):
        as_timestamp("yesterday", "t")
    with pytest.raises(ProtocolError):
        as_timestamp(1e300, "t")


def test_wall_times() -> None:
    assert as_wall_time("2026-11-23 09:15:00", "t") == dt.datetime(2026, 11, 23, 9, 15)
    assert as_wall_time("2026-11-23 09:15", "t") == dt.datetime(2026, 11, 23, 9, 15)
    with pytest.raises(ProtocolError):
        as_wall_time("23/11/2026", "t")


@pytest.mark.parametrize("value", [None, False, "", [], {}])
def test_nothing_spellings(value: object) -> None:
    assert is_nothing(value)


def test_php_empty_array_is_an_empty_record() -> None:
    assert as_mapping([], "r") == {}
    with pytest.raises(ProtocolError):
        as_mapping([1], "r")


def test_a_bad_field_of_a_reported_block_is_named_in_the_sentence() -> None:
    envelope = {"result": 1, "block_1": {"Id": 1, "ProfileId": 2, "TimeIn": "soon"}}
    with pytest.raises(ProtocolError) as caught:
        decode_blocks(envelope)
    assert str(caught.value) == (
        "The server sent 'soon' where the start of a reported block should be a date and time."
    )


@pytest.mark.usefixtures("german")
def test_the_field_is_named_in_the_language_of_the_sentence() -> None:
    # the field's name is worded when the sentence is made, in the same language
    with pytest.raises(ProtocolError, match="Beginn") as caught:
        decode_blocks({"result": 1, "block_1": {"Id": 1, "ProfileId": 2, "TimeIn": "soon"}})
    assert "start" not in str(caught.value)
