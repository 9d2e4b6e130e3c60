"""Settings survive a round trip, start with the local account, and are never lost."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tracktray.store import AccountConfig, Preferences, Settings, SettingsError, SettingsStore
from tracktray.store.settings import LOCAL_ACCOUNT, default_config_dir

REMOTE = AccountConfig(
    id="alice-tmp-example",
    kind="trackmypeople",
    label="Work",
    url="https://tmp.example/api/",
    username="alice",
    ca_file="/etc/ssl/work-ca.pem",
)


def test_a_fresh_machine_has_the_local_account_active(tmp_path: Path) -> None:
    settings = SettingsStore(tmp_path).load()
    assert settings.accounts == (LOCAL_ACCOUNT,)
    assert settings.active_account == LOCAL_ACCOUNT
    assert settings.preferences == Preferences()


def test_an_empty_file_loads_as_a_fresh_machine(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text("  \n", encoding="utf-8")
    assert SettingsStore(tmp_path).load() == Settings()


def test_round_trip(tmp_path: Path) -> None:
    store = SettingsStore(tmp_path / "nested")
    prefs = Preferences(
        poll_interval_s=30,
        click_action="menu",
        notifications=False,
        skipped_version="1.2.0",
        update_checks={REMOTE.id: "2026-11-23T08:00:00+00:00"},
        notified_version="1.2.0",
        launched_before=True,
        recent_trackers={REMOTE.id: [4, 2]},
        last_tracker={REMOTE.id: 4},
        local_notice_shown=True,
    )
    settings = Settings().with_account(REMOTE, activate=True)
    settings = Settings(settings.accounts, settings.active_account_id, prefs)
    store.save(settings)
    assert store.load() == settings


def test_no_secret_and_readable_json(tmp_path: Path) -> None:
    store = SettingsStore(tmp_path)
    store.save(Settings().with_account(REMOTE))
    text = store.path.read_text(encoding="utf-8")
    assert "password" not in text.casefold()
    assert json.loads(text)["accounts"][1]["url"] == "https://tmp.example/api/"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_damaged_file_is_reported_and_kept(tmp_path: Path) -> None:
    store = SettingsStore(tmp_path)
    store.path.write_text('{"accounts": [', encoding="utf-8")
    with pytest.raises(SettingsError, match="damaged"):
        store.load()
    assert store.path.read_text(encoding="utf-8") == '{"accounts": ['


def test_unknown_and_wrong_values_fall_back(tmp_path: Path) -> None:
    data = {
        "future_key": 1,
        "active_account": "x",
        "accounts": [
            {
                "id": "x",
                "kind": "trackmypeople",
                "label": "X",
                "url": "https://x/api/",
                "username": "u",
                "colour": "red",
            },
            {"id": "y", "kind": "jira"},
            "nonsense",
        ],
        "preferences": {
            "poll_interval_s": "often",
            "click_action": "double",
            "notifications": False,
            "recent_trackers": {"x": [1, "2", True]},
        },
    }
    store = SettingsStore(tmp_path)
    store.path.write_text(json.dumps(data), encoding="utf-8")
    settings = store.load()
    assert [a.id for a in settings.accounts] == ["x"]
    assert settings.preferences.poll_interval_s == 60
    assert settings.preferences.click_action in ("toggle", "menu")
    assert settings.preferences.notifications is False
    assert settings.preferences.recent_trackers == {"x": [1]}


def test_removing_the_active_account_activates_another() -> None:
    settings = Settings().with_account(REMOTE, activate=True)
    settings = Settings(
        settings.accounts,
        settings.active_account_id,
        Preferences(
            recent_trackers={REMOTE.id: [1]},
            last_tracker={REMOTE.id: 1},
            update_checks={REMOTE.id: "2026-11-23T08:00:00+00:00"},
        ),
    )
    after = settings.without_account(REMOTE.id)
    assert after.active_account_id == "local"
    assert after.preferences.recent_trackers == {}
    assert after.preferences.last_tracker == {}
    assert after.preferences.update_checks == {}


def test_new_account_ids_are_unique_slugs() -> None:
    settings = Settings().with_account(REMOTE)
    assert settings.new_account_id("alice@tmp.example") == "alice-tmp-example-2"
    assert settings.new_account_id("Bob @ Büro!") == "bob-b-ro"
    assert settings.new_account_id("@@@") == "account"


def test_unwritable_directory_is_a_sentence(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        target = Path("/proc/tracktray-cannot-write-here")
    else:
        tmp_path.chmod(0o500)
        target = tmp_path / "sub"
    with pytest.raises(SettingsError, match="could not be saved"):
        SettingsStore(target).save(Settings())


def test_default_dir_follows_platformdirs() -> None:
    assert default_config_dir().name == "tracktray"
    assert str(default_config_dir()).startswith(os.environ["XDG_CONFIG_HOME"])
