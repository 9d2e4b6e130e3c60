"""The bench's view of the real widget: first status, then a click waiting and confirmed."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.desktop.harness import Harness
from tracktray.desktop import benchhooks
from tracktray.store.settings import Preferences, Settings

MakeApp = Callable[..., Harness]


def test_the_tray_reports_status_drawn_once_then_each_click_waiting_and_confirmed(
    make_app: MakeApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events = tmp_path / "events"
    monkeypatch.setattr(benchhooks, "_events_path", str(events))
    monkeypatch.setattr(benchhooks, "_events_fd", None)
    monkeypatch.setattr(benchhooks, "_answer_drawn", False)
    monkeypatch.setattr(benchhooks, "_emitted_once", set())
    prefs = dataclasses.replace(Preferences(), local_notice_shown=True)
    h = make_app(Settings(preferences=prefs))
    h.wait_ready()
    h.qtbot.waitUntil(lambda: "status-drawn" in events.read_text())
    for clicks in (1, 2):  # start, then stop
        h.click()
        h.qtbot.waitUntil(lambda n=clicks: events.read_text().count("icon-confirmed") >= n)  # type: ignore[misc]
        h.wait_idle()
    names = [line.split()[1] for line in events.read_text().splitlines()]
    drawn = [n for n in names if n in ("status-drawn", "click", "icon-waiting", "icon-confirmed")]
    assert drawn[0] == "status-drawn" and drawn.count("status-drawn") == 1
    # the account's own first answer, once, however many polls and clicks followed
    assert names.count("status-answered") == 1
    assert names.index("status-answered") > names.index("status-drawn")
    after = drawn[1:]
    assert after.count("click") == 2
    # each click: its waiting look, then the settled one, never two waits in a row
    pairs = [n for n in after if n != "click"]
    assert pairs == ["icon-waiting", "icon-confirmed"] * (len(pairs) // 2)
    assert len(pairs) >= 2
