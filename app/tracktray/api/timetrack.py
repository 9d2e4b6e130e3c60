"""The TimeTrack Enterprise client: project timer, attendance clock, attendance entries.

It implements :class:`tracktray.accounts.Backend` (plus the pause and attendance faces of
:mod:`tracktray.accounts.timetrack`) on a caller-supplied HTTP client. The account's
API key and secret act for ``username``, which every request names. Timestamps sent as
``date``/``from``/``to`` are the user's wall-clock time in ``zone`` (the machine's zone
by default), written with the vendor's literal ``Z``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from tracktray.api._retry import RetryPolicy
from tracktray.api._timetrack_http import SERVER_NAME, TimeTrackHttp
from tracktray.api._timetrack_status import build_status
from tracktray.api._timetrack_wire import (
    decode_attendance,
    decode_entry,
    decode_project,
    decode_timer,
    decode_work_day,
    one_item,
)
from tracktray.api._wire import Wire
from tracktray.contracts.backend import Capability
from tracktray.contracts.errors import NotFound, Refused, ValidationFailed
from tracktray.domain import (
    Block,
    Profile,
    ReportQuery,
    Status,
    TrackerRef,
    TrackerTree,
    UpdateCheck,
)
from tracktray.domain.timetrack import (
    Attendance,
    Project,
    ProjectEntry,
    Timer,
    WorkDay,
    format_wall_clock,
    to_aware,
)
from tracktray.domain.trackertree import Tracker
from tracktray.i18n import _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from decimal import Decimal

    from tracktray.api._wire import HttpClient

__all__ = ["Project", "ProjectEntry", "TimeTrackClient", "WorkDay"]

_PROJECT_TIMER = "timers/project_timer"
_OLD_PROJECT_TIMER = "project_timer"


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _local_zone() -> dt.tzinfo:
    zone = dt.datetime.now().astimezone().tzinfo
    return zone if zone is not None else dt.UTC


class TimeTrackClient:
    """A TimeTrack account: ``base_url`` may be the host or the full ``.../api/v2/ext/``."""

    capabilities = Capability.TRACK | Capability.PAUSE | Capability.ATTENDANCE | Capability.REPORT

    def __init__(
        self,
        base_url: str,
        username: str,
        api_key: str,
        api_secret: str,
        *,
        http: HttpClient,
        owns_http: bool = False,
        zone: dt.tzinfo | None = None,
        clock: Callable[[], dt.datetime] = _utc_now,
        retry: RetryPolicy | None = None,
    ) -> None:
        if not username.strip():
            raise ValidationFailed(_("A TimeTrack account needs the username to act for."))
        self.username = username.strip()
        self._zone = zone if zone is not None else _local_zone()
        self._clock = clock
        self._connection = Wire(_(SERVER_NAME), http, owns_http=owns_http, retry=retry)
        self._wire = TimeTrackHttp(base_url, api_key, api_secret, self._connection)
        self._timer_path = _PROJECT_TIMER
        self._projects: list[Project] | None = None

    @property
    def base_url(self) -> str:
        return self._wire.base_url

    # -- low-level calls, one per endpoint --------------------------------------------

    def _date(self) -> str:
        return format_wall_clock(self._clock(), self._zone)

    def _date_at(self, at: dt.datetime | None) -> str:
        return self._date() if at is None else self._wall(at)

    def _wall(self, moment: dt.datetime) -> str:
        return format_wall_clock(moment, self._zone)

    def _timer_call(self, action: str, body: Mapping[str, object] | None = None) -> Any:
        """A project-timer call, falling back once to the vendor's older path on 404."""
        for attempt in range(2):
            path = self._timer_path + (f"/{action}" if action else "")
            try:
                if action:
                    return self._wire.send("POST", path, body)
                return self._wire.get(path, body)
            except NotFound:
                if attempt or self._timer_path == _OLD_PROJECT_TIMER:
                    raise
                self._timer_path = _OLD_PROJECT_TIMER
        raise AssertionError("unreachable")  # pragma: no cover

    def project_timer(self) -> Timer:
        fetched = self._clock()
        body = self._timer_call("", {"username": self.username, "date": self._date()})
        return decode_timer(body, self._zone, fetched)

    def attendance_timer(self) -> Timer:
        fetched = self._clock()
        body = self._wire.get("attendance_timer", {"username": self.username, "date": self._date()})
        return decode_timer(body, self._zone, fetched)

    def projects(self, *, refresh: bool = False) -> list[Project]:
        if self._projects is None or refresh:
            rows = self._wire.get_all("projects", {}, "projects")
            self._projects = [decode_project(row) for row in rows]
        return self._projects

    def project_entries(self, start: dt.datetime, end: dt.datetime) -> list[ProjectEntry]:
        params = {"username": self.username, "from": self._wall(start), "to": self._wall(end)}
        rows = self._wire.get_all("project_time_entries", params, "project_time_entries")
        return [decode_entry(row, self._zone) for row in rows]

    def work_reports(self, start: dt.datetime, end: dt.datetime) -> list[WorkDay]:
        params = {"username": self.username, "from": self._wall(start), "to": self._wall(end)}
        rows = self._wire.get_all("work_reports", params, "work_reports")
        return [decode_work_day(row, self._zone) for row in rows]

    # -- Backend ------------------------------------------------------------------------

    def trackers(self) -> TrackerTree:
        """Clients (not trackable, negative ids) over their enabled projects."""
        enabled = [p for p in self.projects(refresh=True) if p.enabled]
        clients = sorted({p.client_name for p in enabled}, key=str.casefold)
        out: list[Tracker] = []
        for index, client in enumerate(clients, start=1):
            out.append(Tracker(-index, client, 0, None, (client,), trackable=False))
            for project in sorted(
                (p for p in enabled if p.client_name == client),
                key=lambda p: p.project_name.casefold(),
            ):
                out.append(
                    Tracker(
                        project.id, project.project_name, 1, -index, (client, project.project_name)
                    )
                )
        return TrackerTree(out)

    def status(self) -> Status:
        timer = self.project_timer()
        clock = self.attendance_timer()
        day_start, day_end = self._today_bounds(timer.fetched_at)
        ref = self._ref_for(timer.client_name, timer.project_name) if timer.running else None
        return build_status(
            timer,
            clock,
            self.project_entries(day_start, day_end),
            self.work_reports(day_start, day_end),
            today=day_start.date(),
            running_ref=ref,
        )

    #: ``start`` takes the time of the click (``at``); the journal's replay asks for it
    start_takes_time = True

    def start(self, tracker_id: int | None = None, *, at: dt.datetime | None = None) -> Status:
        return self._start_at(tracker_id, at)

    def _start_at(self, tracker_id: int | None, at: dt.datetime | None) -> Status:
        project = self._project(tracker_id)
        self._timer_call(
            "start",
            {
                "date": self._date_at(at),
                "username": self.username,
                "clientName": project.client_name,
                "projectName": project.project_name,
            },
        )
        return self.status()

    def stop(self, description: str = "", at: dt.datetime | None = None) -> None:
        """Stop the project timer now, or at ``at`` (TimeTrack takes ``date`` on every call)."""
        if description.strip():
            raise Refused(_("TimeTrack keeps no description when a timer stops."))
        self._timer_call("stop", {"date": self._date_at(at), "username": self.username})

    def switch(
        self, tracker_id: int | None = None, description: str = "", at: dt.datetime | None = None
    ) -> Status:
        """Stop-then-start: TimeTrack has no switch of its own."""
        self._project(tracker_id)  # refuse an unknown project before stopping anything
        if self.project_timer().running:
            self.stop(description, at)
        return self._start_at(tracker_id, at)

    def pause(self, *, at: dt.datetime | None = None) -> Status:
        self._timer_call("pause", {"date": self._date_at(at), "username": self.username})
        return self.status()

    def resume(self, *, at: dt.datetime | None = None) -> Status:
        self._timer_call("resume", {"date": self._date_at(at), "username": self.username})
        return self.status()

    def day_total(self) -> int:
        timer = self.project_timer()
        start, end = self._today_bounds(timer.fetched_at)
        closed = sum(e.worked_minutes for e in self.project_entries(start, end)) * 60
        return closed + (timer.worked_s if timer.running else 0)

    def report(self, query: ReportQuery) -> list[Block]:
        now = self._clock()
        start = query.start or to_aware(
            self._local(now).replace(day=1, hour=0, minute=0), self._zone
        )
        stop = query.stop or now
        ids = {(p.client_name, p.project_name): p.id for p in self.projects()}
        blocks: list[Block] = []
        for entry in self.project_entries(start, stop):
            tracker_id = ids.get((entry.client_name, entry.project_name))
            if query.tracker_id is not None and tracker_id != query.tracker_id:
                continue
            blocks.append(
                Block(
                    id=entry.id,
                    profile_id=query.profile_id or 0,
                    tracker_id=tracker_id,
                    description=entry.details,
                    time_in=entry.start,
                    time_out=entry.end,
                    total_s=entry.worked_minutes * 60,
                    break_s=entry.break_minutes * 60,
                )
            )
        return blocks

    def add(
        self,
        start: dt.datetime,
        stop: dt.datetime | None = None,
        tracker_id: int | None = None,
        description: str = "",
    ) -> Block:
        raise Refused(_("A TimeTrack account adds past time as attendance entries."))

    def add_free(
        self,
        hours: Decimal,
        day: dt.date | None = None,
        tracker_id: int | None = None,
        description: str = "",
    ) -> Block:
        raise Refused(_("A TimeTrack account has no free-time entries."))

    def reportees(self) -> list[Profile]:
        raise Refused(_("A TimeTrack account shows reports for its own user only."))

    def check_version(self, version: str) -> UpdateCheck:
        raise Refused(_("A TimeTrack server offers no widget updates."))

    def close(self) -> None:
        self._connection.close()

    # -- attendance --------------------------------------------------------------------

    def clock_in(self, *, at: dt.datetime | None = None) -> Status:
        self._wire.send(
            "POST",
            "attendance_timer/start",
            {"date": self._date_at(at), "username": self.username},
        )
        return self.status()

    def clock_out(self, *, at: dt.datetime | None = None) -> Status:
        self._wire.send(
            "POST",
            "attendance_timer/stop",
            {"date": self._date_at(at), "username": self.username},
        )
        return self.status()

    def attendances(self, start: dt.datetime, end: dt.datetime) -> list[Attendance]:
        params = {"username": self.username, "from": self._wall(start), "to": self._wall(end)}
        rows = self._wire.get_all("attendances", params, "attendances")
        entries = [decode_attendance(row, self._zone) for row in rows]
        return sorted(entries, key=lambda a: (a.start, a.id))

    def attendance(self, attendance_id: int) -> Attendance:
        body = self._wire.get(f"attendances/{int(attendance_id)}")
        return decode_attendance(one_item(body, _("an attendance")), self._zone)

    def add_attendance(
        self,
        start: dt.datetime,
        end: dt.datetime,
        *,
        break_minutes: int = 0,
        notes: str = "",
    ) -> Attendance:
        body: dict[str, object] = {
            "username": self.username,
            "from": self._wall(start),
            "to": self._wall(end),
            "breakMinutes": break_minutes,
        }
        if notes:
            body["notes"] = notes
        answer = self._wire.send("POST", "attendances", body)
        return decode_attendance(one_item(answer, _("the new attendance")), self._zone)

    def edit_attendance(
        self,
        attendance_id: int,
        *,
        start: dt.datetime | None = None,
        end: dt.datetime | None = None,
        break_minutes: int | None = None,
        notes: str | None = None,
    ) -> Attendance:
        body: dict[str, object] = {}
        if start is not None:
            body["from"] = self._wall(start)
        if end is not None:
            body["to"] = self._wall(end)
        if break_minutes is not None:
            body["breakMinutes"] = break_minutes
        if notes is not None:
            body["notes"] = notes
        answer = self._wire.send("PUT", f"attendances/{int(attendance_id)}", body)
        if answer is None:  # a server that answers 204 to a PUT
            return self.attendance(attendance_id)
        return decode_attendance(one_item(answer, _("the edited attendance")), self._zone)

    def delete_attendance(self, attendance_id: int) -> None:
        self._wire.send("DELETE", f"attendances/{int(attendance_id)}")

    # -- helpers -----------------------------------------------------------------------

    def _local(self, moment: dt.datetime) -> dt.datetime:
        return moment.astimezone(self._zone).replace(tzinfo=None)

    def _today_bounds(self, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
        midnight = self._local(now).replace(hour=0, minute=0, second=0, microsecond=0)
        tomorrow = midnight + dt.timedelta(days=1)
        return to_aware(midnight, self._zone), to_aware(tomorrow, self._zone)

    def _project(self, tracker_id: int | None) -> Project:
        if tracker_id is None:
            raise Refused(_("Choose a project: TimeTrack has no default project."))
        if tracker_id < 0:  # the tree's client entries
            raise Refused(_("That is a client; choose one of its projects."))
        for refresh in (False, True):
            for project in self.projects(refresh=refresh):
                if project.id == tracker_id:
                    if not project.enabled:
                        raise Refused(
                            _("The project {project_name} is disabled.").format(
                                project_name=project.project_name
                            )
                        )
                    return project
        raise Refused(
            _("There is no project #{tracker_id} on this TimeTrack account.").format(
                tracker_id=tracker_id
            )
        )

    def _ref_for(self, client_name: str, project_name: str) -> TrackerRef:
        name = f"{client_name} / {project_name}" if client_name else project_name
        for project in self.projects():
            if (project.client_name, project.project_name) == (client_name, project_name):
                return TrackerRef(id=project.id, name=name)
        # the timer runs on a project we have not listed (new, or listed under another
        # spelling): still show it, with an id no tree entry has
        return TrackerRef(id=0, name=name, trackable=False)
