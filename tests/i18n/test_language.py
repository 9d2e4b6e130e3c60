"""The language a person gets: from the environment (CLI) or a choice (the widget's
Settings), German when asked, English otherwise; machine output never localised."""

from __future__ import annotations

import datetime as dt

import pytest

from tracktray import i18n
from tracktray.contracts.errors import AuthenticationFailed


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({"LANG": "de_DE.UTF-8"}, "de"),
        ({"LC_ALL": "de_AT.UTF-8", "LANG": "en_US.UTF-8"}, "de"),
        ({"LANGUAGE": "en", "LANG": "de_DE.UTF-8"}, "en"),
        ({"LANGUAGE": "nl:de", "LANG": "nl_BE.UTF-8"}, "de"),  # no Dutch yet: the next one
        ({"LANGUAGE": "fr_FR"}, "en"),
        ({"LANG": "C"}, "en"),
        ({}, "en"),
    ],
)
def test_the_environment_chooses_the_language(
    environ: dict[str, str], language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    assert i18n.use_language() == language
    assert i18n.current_language() == language


def test_a_choice_outranks_the_system() -> None:
    assert i18n.use_language("de", system=["en_GB"]) == "de"
    assert i18n.use_language("en", system=["de_DE"]) == "en"
    assert i18n.use_language("system", system=["de-CH", "en"]) == "de"
    assert i18n.use_language("klingon", system=["en-US"]) == "en"  # an unknown setting


def test_errors_speak_german(german: None) -> None:
    assert str(AuthenticationFailed()) == (
        "Der Server hat den Benutzernamen oder das Passwort nicht akzeptiert."
    )


def test_numbers_dates_and_times_follow_the_language(german: None) -> None:
    moment = dt.datetime(2026, 11, 23, 17, 5)
    assert i18n.format_date(moment.date()) == "23.11.2026"
    assert i18n.format_clock(moment) == "17:05"
    assert i18n.format_weekday_date(moment.date()) == "Mo 23.11.2026"
    i18n.use_language("en")
    assert i18n.format_weekday_date(moment.date()) == "Mon 2026-11-23"
