"""The two ways the engine's click rules run, for tests that hold both to one result.

The :class:`~tracktray.engine.Engine` (the server, and local mode beyond a click) and
:class:`~tracktray.engine.plainwrite.PlainTracking` (local mode's clicks on a stdlib
``sqlite3`` connection) run the same functions; the rule tests take either through
:class:`Clicks` and expect the same answers, refusals and rows.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from tracktray.domain import Status


class Clicks(Protocol):
    """What both offer: the Engine's signatures for a click and what a widget asks."""

    def status(self, profile_id: int) -> Status: ...

    def day_total(self, profile_id: int) -> int: ...

    def start(self, profile_id: int, tracker_id: int | None = None) -> Status: ...

    def stop(
        self, profile_id: int, description: str = "", at: dt.datetime | None = None
    ) -> int: ...

    def switch(
        self,
        profile_id: int,
        tracker_id: int | None = None,
        description: str = "",
        at: dt.datetime | None = None,
    ) -> Status: ...
