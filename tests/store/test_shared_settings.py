"""The settings file shared by the widget and the CLI: changes merge, none is lost."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

from tracktray.store.settings import AccountConfig, Settings, SettingsStore

ADD_MANY = """
import sys
from pathlib import Path
from tracktray.store.settings import AccountConfig, SettingsStore
store = SettingsStore(Path(sys.argv[1]))
for n in range(25):
    account = AccountConfig(id=f"{sys.argv[2]}-{n}", kind="trackmypeople", label=str(n))
    store.update(lambda s, a=account: s.with_account(a))
"""


def test_two_processes_adding_accounts_at_once_keep_every_one(tmp_path: Path) -> None:
    procs = [
        subprocess.Popen([sys.executable, "-c", ADD_MANY, str(tmp_path), name])
        for name in ("cli", "widget")
    ]
    for proc in procs:
        assert proc.wait(timeout=60) == 0
    ids = {a.id for a in SettingsStore(tmp_path).load().accounts}
    assert {f"{name}-{n}" for name in ("cli", "widget") for n in range(25)} <= ids


def test_an_update_applies_to_what_is_on_disk_now_not_to_an_old_copy(tmp_path: Path) -> None:
    widget, cli = SettingsStore(tmp_path), SettingsStore(tmp_path)
    old_copy = widget.load()
    bob = AccountConfig(id="bob", kind="trackmypeople", label="Bob")
    cli.update(lambda s: s.with_account(bob, activate=True))
    # the widget changes a preference, starting from its copy made before bob existed
    merged = widget.update(
        lambda s: dataclasses.replace(
            s, preferences=dataclasses.replace(s.preferences, notifications=False)
        )
    )
    assert old_copy.account("bob") is None
    assert merged.account("bob") == bob and merged.active_account_id == "bob"
    assert widget.load() == merged


def test_the_stamp_changes_with_every_write(tmp_path: Path) -> None:
    store = SettingsStore(tmp_path)
    assert store.stamp() is None
    store.save(Settings())
    first = store.stamp()
    store.update(lambda s: s.with_account(AccountConfig(id="x", kind="timetrack", label="X")))
    assert store.stamp() not in (None, first)
