"""The first stage's icon: clicks made before the app takes it over are not lost."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QSystemTrayIcon

from tracktray.desktop.first_stage import FirstLook, show_first_look
from tracktray.domain.status import RunningBlock, Status, TrackerRef
from tracktray.store.journal import Journal
from tracktray.store.last_status import status_to_data
from tracktray.store.settings_glance import glance

Reason = QSystemTrayIcon.ActivationReason


def test_clicks_before_the_take_over_reach_the_app_in_order_and_later_ones_directly(
    qapp: Any,
) -> None:
    parent = QObject()
    icon = QSystemTrayIcon()
    first = FirstLook(icon, "local", ([], None), parent)
    seen: list[object] = []
    icon.activated.emit(Reason.Trigger)  # a left click while the app still loads
    icon.activated.emit(Reason.Context)  # the menu comes with the app: nothing kept
    first.click()  # the bench's click
    assert seen == []

    first.hand_over(seen.append, lambda: seen.append("click"))
    assert seen == [Reason.Trigger, "click"]
    first.click()
    assert seen[-1] == "click"
    icon.activated.emit(Reason.Trigger)  # the app's own view listens from now on
    assert seen == [Reason.Trigger, "click", "click"]


def _running_status(now: dt.datetime) -> Status:
    block = RunningBlock(TrackerRef(7, "Website", "WEB", True), now - dt.timedelta(hours=1))
    return Status(daytotal_s=3600, running=block, default_tracker=None, fetched_at=now)


@pytest.mark.usefixtures("local_midday")
def test_the_first_look_draws_the_remembered_status_and_a_waiting_click_as_the_app_would(
    qapp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = dt.datetime.now(dt.UTC)
    journal = Journal(tmp_path)
    journal.save_status("work", status_to_data(_running_status(now)))
    (tmp_path / "settings.json").write_text(
        json.dumps(
            {
                "accounts": [{"id": "work", "kind": "trackmypeople", "label": "Acme"}],
                "preferences": {"launched_before": True},
            }
        ),
        encoding="utf-8",
    )
    seen = glance(tmp_path)
    assert seen is not None
    # the offscreen platform has no tray; the first stage is drawn all the same here
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    parent = QObject()

    first = show_first_look(seen, tmp_path, parent)
    assert first is not None
    assert first.read == ([], _running_status(now))
    tooltip = first.icon.toolTip()
    assert tooltip.startswith("TrackTray — Acme\nWebsite since ")
    assert tooltip.endswith("\nToday: 1 h")  # the day's total counts the running block
    first.icon.hide()

    # a stop clicked while the server was away: drawn as clicked, marked not yet sent
    journal.append("work", "stop", {"description": ""}, clicked_at=now, source="widget")
    again = show_first_look(seen, tmp_path, parent)
    assert again is not None
    assert [entry.kind for entry in again.read[0]] == ["stop"]
    assert again.icon.toolTip().splitlines()[1:3] == ["not yet sent", "Not tracking"]
    again.icon.hide()
