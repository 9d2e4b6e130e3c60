"""Planning local history for a server: tracker matching and what is already there."""

from __future__ import annotations

import datetime as dt

from tracktray.desktop.history_plan import Fate, match_trackers, plan
from tracktray.domain import Block, TrackerTree


def test_trackers_match_by_path_then_by_a_unique_name() -> None:
    local = TrackerTree.from_rows(
        [(1, 0, "Acme"), (2, 1, "Website"), (3, 0, "Design"), (4, 0, "Misc")]
    )
    remote = TrackerTree.from_rows(
        [(10, 0, "acme"), (11, 1, "website"), (12, 1, "Design"), (13, 0, "X"), (14, 1, "Misc"),
         (15, 0, "Y"), (16, 1, "Misc")]
    )  # fmt: skip
    assert match_trackers(local, remote) == {1: 10, 2: 11, 3: 12, 4: None}


def test_blocks_already_there_and_running_ones_stay() -> None:
    day = dt.datetime(2026, 11, 20, 9)
    hour = dt.timedelta(hours=1)

    def b(n: int, start: dt.datetime, stop: dt.datetime | None, free: bool = False) -> Block:
        return Block(n, 1, 1, "leave" if free else "", start, stop, 3600, free)

    local = [b(1, day, day + hour), b(2, day + hour, day + 2 * hour), b(3, day + 3 * hour, None),
             b(4, day.replace(hour=0), day.replace(hour=1), free=True)]  # fmt: skip
    # the server has block 1 (to the second) and the free hour, a day earlier in its zone
    remote = [b(9, day.replace(second=30), day + hour),
              b(8, day.replace(day=19, hour=23), day.replace(hour=0), free=True)]  # fmt: skip
    fates = [(c.block.id, c.fate) for c in plan(local, remote)]
    assert fates == [
        (4, Fate.ALREADY_THERE), (1, Fate.ALREADY_THERE), (2, Fate.NEW), (3, Fate.RUNNING)
    ]  # fmt: skip
