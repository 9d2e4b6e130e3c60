from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tracktray.domain.parsing import parse_date, parse_datetime, parse_hours
from tracktray.domain.versions import (
    format_widget_version,
    parse_version_number,
    parse_widget_version,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-23 09:05", dt.datetime(2026, 11, 23, 9, 5)),
        ("2026-11-23 09:05:07", dt.datetime(2026, 11, 23, 9, 5, 7)),
        (" 2026-11-23T9:05 ", dt.datetime(2026, 11, 23, 9, 5)),
        ("1795424400", dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)),
    ],
)
def test_parse_datetime(text: str, expected: dt.datetime) -> None:
    assert parse_datetime(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "yesterday",
        "2026-13-01 10:00",
        "2026-02-30 10:00",
        "2026-11-23 25:00",
        "2026-11-23",
        "-5",
        "99999999999",
        "1800-01-01 00:00",
        "2026-11-23 10:00 +01:00",
    ],
)
def test_parse_datetime_refuses_with_a_sentence(text: str) -> None:
    with pytest.raises(ValueError, match=r"^The start .*\.$"):
        parse_datetime(text, "start")


def test_parse_date() -> None:
    assert parse_date("2026-02-28") == dt.date(2026, 2, 28)
    for bad in ("2026-02-30", "28/02/2026", "", "2026-2-3"):
        with pytest.raises(ValueError, match="date"):
            parse_date(bad)


@pytest.mark.parametrize(
    ("text", "hours"), [("7.5", "7.5"), ("7,5", "7.5"), ("24", "24"), (".25", "0.25")]
)
def test_parse_hours(text: str, hours: str) -> None:
    assert parse_hours(text) == Decimal(hours)


@pytest.mark.parametrize("text", ["0", "-1", "24.5", "1e3", "seven", "", "7,5,0", "NaN", "inf"])
def test_parse_hours_refuses(text: str) -> None:
    with pytest.raises(ValueError, match=r"(?i)hours"):
        parse_hours(text)


def test_versions_compare_as_numbers() -> None:
    assert parse_version_number("1.10.0") > parse_version_number("1.9.0")
    assert parse_version_number("1.2") == parse_version_number("1.2.0")
    parsed = parse_widget_version("Linux_Qt-1.10.0")
    assert (parsed.platform, parsed.edition, parsed.number) == ("Linux", "Qt", (1, 10))
    for bad in ("Linux_Qt-", "Linux-1.0", "Linux_Qt-1.0-beta", "_Qt-1.0"):
        with pytest.raises(ValueError, match="invalid version passed"):
            parse_widget_version(bad)


@pytest.mark.parametrize(
    ("platform", "name"),
    [("linux", "Linux"), ("freebsd14", "Linux"), ("win32", "Windows"), ("darwin", "Mac")],
)
def test_format_widget_version_round_trips(platform: str, name: str) -> None:
    text = format_widget_version("1.10.0", platform)
    assert text == f"{name}_Qt-1.10.0"
    parsed = parse_widget_version(text)
    assert parsed.platform == name
