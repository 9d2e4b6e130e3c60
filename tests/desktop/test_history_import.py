"""Local history carried to a server account: preview, mapping, no duplicates, refusals."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from tests.desktop.harness import Harness
from tracktray.accounts.local import open_local_backend
from tracktray.desktop.commands import Command, Kind
from tracktray.desktop.history_import import HistoryImport
from tracktray.desktop.menu import find_action
from tracktray.domain import ReportQuery
from tracktray.store.credentials import CredentialStore
from tracktray.store.settings import LOCAL_ACCOUNT, AccountConfig, Preferences, Settings

MakeApp = Callable[..., Harness]
FAST = dataclasses.replace(Preferences(), poll_interval_s=60, local_notice_shown=True)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=dt.UTC)


def test_send_local_history_to_a_server_account(
    make_app: MakeApp, qtbot: QtBot, tmp_path: Path, trackmypeople_server: Any, server_user: Any
) -> None:
    day = dt.date.today() - dt.timedelta(days=2)
    local = open_local_backend(tmp_path / "data")
    acme = local.add_tracker("Acme")
    website = local.add_tracker("Website", acme)
    private = local.add_tracker("Private")
    local.add(at(day, 8), at(day, 9), website, "mock-ups")
    local.add(at(day, 9), at(day, 10), website, "review")
    local.add(at(day, 13), at(day, 14), website, "clash")
    local.add(at(day, 15), at(day, 16), private, "dentist")
    local.add_free(Decimal(4), day - dt.timedelta(days=1), website, "half day off")
    local.close()
    # the server already has a block in the way of the 13:00 one
    website_remote = server_user.trackers["Acme/Website"]
    existing = trackmypeople_server.engine.add(
        server_user.profile_id, at(day, 13, 30), at(day, 14, 30), website_remote
    )

    CredentialStore().set("work", server_user.password)
    account = AccountConfig(
        id="work", kind="trackmypeople", label="Work", url=trackmypeople_server.api_url,
        username=server_user.username, ca_file=str(trackmypeople_server.ca_file),
    )  # fmt: skip
    h = make_app(Settings(accounts=(LOCAL_ACCOUNT, account), active_account_id="work",
                          preferences=FAST))  # fmt: skip
    h.wait_ready()
    h.open_menu()
    action = find_action(h.app.view.menu, Command(Kind.SEND_HISTORY))
    assert action is not None and action.text() == "Send local history to Work…"
    action.trigger()
    window = h.app.dialogs["send-history"]
    assert isinstance(window, HistoryImport) and not window.isModal()
    qtbot.waitUntil(lambda: window.history is not None, timeout=10_000)

    assert window.combos[website].currentText() == "Acme / Website"  # matched by path
    assert window.combos[private].currentText() == "(leave on this computer)"  # not there
    assert window.intro.text() == (
        "4 blocks, 7:00, will be sent. Choose where “Private” goes on the server, or leave it here."
    )
    assert window.blocks.count() == 5

    with qtbot.waitSignal(window.sent, timeout=15_000) as sent:
        window.action_button.click()
    count, refused = sent.args
    assert count == 3
    assert [r.block.description for r in refused] == ["clash"]
    assert refused[0].url == f"{trackmypeople_server.origin}/blocks/{existing.id}/edit"
    assert f'href="{refused[0].url}"' in window.refusals.toHtml()

    # a second run: what was sent is recognised, only the refused block is offered again
    qtbot.waitUntil(lambda: window.intro.text().startswith("1 block, "), timeout=10_000)
    assert "Choose where “Private” goes" in window.intro.text()  # still left here
    assert "3 already on the server will not be sent again." in window.intro.text()
    with qtbot.waitSignal(window.sent, timeout=15_000) as again:
        window.action_button.click()
    assert again.args[0] == 0 and len(again.args[1]) == 1
    blocks = trackmypeople_server.engine.report(server_user.profile_id, ReportQuery())
    assert sorted(b.description for b in blocks) == ["", "half day off", "mock-ups", "review"]
