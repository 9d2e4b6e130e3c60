"""What an account can do, stated once.

The widget and the CLI talk to every kind of account through :class:`Backend` and ask
``backend.capabilities`` before offering an action: no ``if kind == ...`` in the UI.
Implementations: the TrackMyPeople client, the TimeTrack client, and local mode (the
engine in-process). Every method may block (network, disk); the desktop calls them off
the UI thread. Every method raises only :class:`tracktray.contracts.TrackTrayError`.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from tracktray.domain import Block, Profile, ReportQuery, Status, TrackerTree, UpdateCheck

if TYPE_CHECKING:
    from decimal import Decimal  # annotations only: the widget keeps no decimal module


class Capability(enum.Flag):
    NONE = 0
    #: start/stop/switch on a tracker of the tree
    TRACK = enum.auto()
    #: a description can be given when stopping or switching
    DESCRIBE = enum.auto()
    #: add a block in the past
    ADD_PAST = enum.auto()
    #: add free time (leave, holiday)
    ADD_FREE = enum.auto()
    #: blocks report for oneself
    REPORT = enum.auto()
    #: reports for other people
    REPORTEES = enum.auto()
    #: the server offers widget updates (checkVersion)
    CHECK_VERSION = enum.auto()
    #: the running timer can pause and resume (TimeTrack)
    PAUSE = enum.auto()
    #: attendance clock in/out and attendance entries (TimeTrack)
    ATTENDANCE = enum.auto()
    #: trackers can be added, renamed, moved, archived from the widget (local mode)
    MANAGE_TRACKERS = enum.auto()


@runtime_checkable
class Backend(Protocol):
    """The operations common to all accounts; unsupported ones raise Refused."""

    @property
    def capabilities(self) -> Capability: ...

    def status(self) -> Status: ...

    def trackers(self) -> TrackerTree: ...

    def start(self, tracker_id: int | None = None) -> Status: ...

    def stop(self, description: str = "", at: dt.datetime | None = None) -> None:
        """Close the open block now, or at ``at`` (a click replayed later, idle time cut)."""

    def switch(
        self, tracker_id: int | None = None, description: str = "", at: dt.datetime | None = None
    ) -> Status:
        """Close the open block and open one on ``tracker_id``, now or at ``at``."""

    def day_total(self) -> int: ...

    def add(
        self,
        start: dt.datetime,
        stop: dt.datetime | None = None,
        tracker_id: int | None = None,
        description: str = "",
    ) -> Block: ...

    def add_free(
        self,
        hours: Decimal,
        day: dt.date | None = None,
        tracker_id: int | None = None,
        description: str = "",
    ) -> Block: ...

    def reportees(self) -> list[Profile]: ...

    def report(self, query: ReportQuery) -> list[Block]: ...

    def check_version(self, version: str) -> UpdateCheck: ...

    def close(self) -> None: ...


@runtime_checkable
class TrackerManager(Protocol):
    """The extra methods of an account with ``Capability.MANAGE_TRACKERS`` (local mode)."""

    def add_tracker(self, name: str, parent_id: int | None = None) -> int: ...

    def rename_tracker(self, tracker_id: int, name: str) -> None: ...

    def move_tracker(self, tracker_id: int, new_parent_id: int | None) -> None: ...

    def archive_tracker(self, tracker_id: int) -> None: ...

    def restore_tracker(self, tracker_id: int) -> None: ...

    def archived_trackers(self) -> TrackerTree: ...
