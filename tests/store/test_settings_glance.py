"""The first stage's glance at settings.json agrees with the full settings read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tracktray.store.settings import LOCAL_ACCOUNT, SettingsError, SettingsStore
from tracktray.store.settings_glance import accounts, glance

SERVER = {"id": "alice", "kind": "trackmypeople", "label": "Acme", "url": "https://x/api/"}
OTHER = {"id": "bob", "kind": "timetrack", "label": "", "url": "https://y/"}
RAN = {"launched_before": True}


@pytest.mark.parametrize(
    "data",
    [
        {"preferences": RAN},
        {"preferences": {"launched_before": True, "language": "de"}},
        {"preferences": {"launched_before": True, "language": 3}},
        {"accounts": [SERVER], "active_account": "alice", "preferences": RAN},
        {"accounts": [SERVER, OTHER], "active_account": "bob", "preferences": RAN},
        {"accounts": [SERVER, OTHER], "active_account": "gone", "preferences": RAN},
        {"accounts": [{"id": "x", "kind": "future"}, OTHER], "preferences": RAN},
        {"accounts": [{"kind": "local"}, "junk", SERVER], "preferences": RAN},
    ],
)  # fmt: skip
def test_the_glance_names_the_account_and_language_the_widget_would_use(
    tmp_path: Path, data: dict[str, Any]
) -> None:
    (tmp_path / "settings.json").write_text(json.dumps(data), encoding="utf-8")
    settings = SettingsStore(tmp_path).load()
    account = settings.active_account or LOCAL_ACCOUNT  # what the widget opens
    seen = glance(tmp_path)
    assert seen is not None
    assert (seen.account_id, seen.account_kind, seen.account_label) == (
        account.id,
        account.kind,
        account.label,
    )
    assert seen.language == settings.preferences.language


@pytest.mark.parametrize(
    "text",
    [
        None,  # no file: the first run
        "{}",  # never started here
        json.dumps({"preferences": {"launched_before": False}}),
        "not json",
        "[1, 2]",
    ],
)
def test_a_first_run_or_an_odd_file_takes_the_full_road(tmp_path: Path, text: str | None) -> None:
    if text is not None:
        (tmp_path / "settings.json").write_text(text, encoding="utf-8")
    assert glance(tmp_path) is None


ACCOUNTS_SEEN = [
    None,  # no file: Settings()
    "",
    "  \n",
    "{}",
    json.dumps({"accounts": [SERVER], "active_account": "alice"}),
    json.dumps({"accounts": [SERVER, OTHER], "active_account": "bob"}),
    json.dumps({"accounts": [SERVER, OTHER], "active_account": 7}),
    json.dumps({"accounts": [SERVER, OTHER], "active_account": None}),
    json.dumps({"accounts": [{"id": "x", "kind": "future"}, OTHER, {"id": "", "kind": "local"}]}),
    json.dumps({"accounts": [{**SERVER, "ca_file": "", "username": 3, "label": None}]}),
    json.dumps({"accounts": [{**SERVER, "ca_file": "/ca.pem", "username": "alice"}]}),
    json.dumps({"accounts": "junk", "active_account": "local"}),
    json.dumps({"accounts": [], "active_account": "local", "preferences": "odd"}),
]


@pytest.mark.parametrize("text", ACCOUNTS_SEEN)
def test_the_accounts_glance_reads_what_the_settings_read(tmp_path: Path, text: str | None) -> None:
    """``tracktray status`` finds its account with this glance: the same accounts, the
    same active id, field for field."""
    if text is not None:
        (tmp_path / "settings.json").write_text(text, encoding="utf-8")
    settings = SettingsStore(tmp_path).load()
    assert accounts(tmp_path) == (settings.accounts, settings.active_account_id)


@pytest.mark.parametrize("text", ["not json", "[1, 2]", "3", '"text"'])
def test_a_settings_file_the_full_read_refuses_takes_the_full_road(
    tmp_path: Path, text: str
) -> None:
    (tmp_path / "settings.json").write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError):
        SettingsStore(tmp_path).load()
    assert accounts(tmp_path) is None  # the full read then says what is wrong


def test_a_settings_file_that_is_not_text_takes_the_full_road(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_bytes(b"\xff\xfe{")
    assert accounts(tmp_path) is None
    (tmp_path / "settings.json").unlink()
    (tmp_path / "settings.json").mkdir()  # unreadable: an OSError other than "no file"
    assert accounts(tmp_path) is None
    with pytest.raises(SettingsError):
        SettingsStore(tmp_path).load()
