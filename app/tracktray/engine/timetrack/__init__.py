"""The TimeTrack rules over the engine's database: one transaction per method.

:class:`TimeTrack` wraps an :class:`~tracktray.engine.Engine` (its database and clock)
and speaks in usernames, as the TimeTrack API does. Times given naive are the user's
wall-clock times (the vendor's ``date`` rule) and are placed in the user's zone here;
aware ones are instants. Errors are :mod:`tracktray.engine.errors`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sqlalchemy import select

from tracktray.domain.timetrack import Attendance, Project, ProjectEntry, Timer, WorkDay, to_aware
from tracktray.engine.errors import ValidationError
from tracktray.engine.scope import Scope
from tracktray.engine.tables import profiles
from tracktray.engine.timetrack import attendances, catalog, keys, timers
from tracktray.engine.timetrack.attendances import Changes, Gps
from tracktray.engine.timetrack.catalog import Client

if TYPE_CHECKING:
    from tracktray.engine import Engine

__all__ = ["EVENT_FUTURE_SLACK", "Changes", "Client", "Gps", "TimeTrack"]

#: a client sends its own wall clock, placed in the profile's zone: the two zones may
#: differ, so up to a day ahead of the server is accepted (beyond that, a wrong clock)
EVENT_FUTURE_SLACK = dt.timedelta(days=1)


class TimeTrack:
    """TimeTrack's timers, attendance entries and catalogue on one engine."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._keys = keys.KeyCheck()

    @contextmanager
    def _read(self) -> Iterator[Scope]:
        with self._engine.transaction(write=False) as conn:
            yield Scope(
                conn, self._engine.now(), trees=self._engine.trees, alone=self._engine.alone
            )

    @contextmanager
    def _write(self) -> Iterator[Scope]:
        with self._engine.transaction(write=True) as conn:
            yield Scope(
                conn, self._engine.now(), writing=True, trees=self._engine.trees,
                alone=self._engine.alone,
            )  # fmt: skip

    # -- credentials ---------------------------------------------------------------------

    def set_api_key(self, key: str, secret: str, label: str = "") -> None:
        with self._write() as s:
            keys.set_api_key(s.conn, key, secret, s.now, label)

    def check_api_key(self, key: str, secret: str, *, remembered_only: bool = False) -> bool:
        with self._read() as s:
            return self._keys.valid(s.conn, key, secret, remembered_only=remembered_only)

    # -- helpers -------------------------------------------------------------------------

    @staticmethod
    def _profile(scope: Scope, username: str) -> int:
        name = username.strip()
        if not name:
            raise ValidationError("The username is missing.")
        row = scope.conn.execute(select(profiles.c.id).where(profiles.c.username == name)).first()
        if row is None:
            raise ValidationError(f"There is no user “{name}”.")
        if scope.writing:  # one writer per person at a time (see Scope.lock_profile)
            scope.lock_profile(int(row.id))
        return int(row.id)

    @staticmethod
    def _instant(scope: Scope, profile_id: int, moment: dt.datetime) -> dt.datetime:
        if moment.tzinfo is None:
            moment = to_aware(moment, scope.zone_of(profile_id))
        return moment.astimezone(dt.UTC).replace(microsecond=0)

    @classmethod
    def _event(cls, scope: Scope, profile_id: int, moment: dt.datetime) -> dt.datetime:
        """The instant of a clock event or entry bound, refused when far in the future: a
        stop dated 9999-12-31 would otherwise count eight thousand years as worked."""
        instant = cls._instant(scope, profile_id, moment)
        if instant > scope.now + EVENT_FUTURE_SLACK:
            raise ValidationError(
                "The date is more than a day ahead of the server's clock; "
                "check the computer's clock."
            )
        return instant

    def _timer(self, scope: Scope, profile_id: int, kind: str, at: dt.datetime | None) -> Timer:
        moment = self._instant(scope, profile_id, at) if at is not None else scope.now
        timer, row = timers.timer_of(scope, profile_id, kind, moment)
        if row is None or timer.started_at is None:
            return timer
        client, project, task = "", "", ""
        if kind == "project":
            client, project, task = catalog.names(scope, row.tracker_id, str(row.task))
        zone = scope.zone_of(profile_id)
        return Timer(
            playing=timer.playing,
            paused=timer.paused,
            started_at=timer.started_at.astimezone(zone),
            worked_s=timer.worked_s,
            break_s=timer.break_s,
            fetched_at=timer.fetched_at,
            client_name=client,
            project_name=project,
            task_name=task,
            note=timer.note,
        )

    # -- timers --------------------------------------------------------------------------

    def project_timer(self, username: str, at: dt.datetime | None = None) -> Timer:
        with self._read() as s:
            return self._timer(s, self._profile(s, username), "project", at)

    def start_project_timer(
        self,
        username: str,
        when: dt.datetime,
        client: str,
        project: str,
        *,
        task: str = "",
        note: str = "",
    ) -> Timer:
        with self._write() as s:
            profile_id = self._profile(s, username)
            tracker_id, task_text = catalog.find_project(s, client, project, task)
            s.tracker_to_track(profile_id, tracker_id)  # permission, archived
            instant = self._event(s, profile_id, when)
            timers.start(
                s, profile_id, "project", instant, tracker_id=tracker_id, task=task_text, note=note
            )
            return self._timer(s, profile_id, "project", instant)

    def pause_project_timer(self, username: str, when: dt.datetime) -> Timer:
        with self._write() as s:
            profile_id = self._profile(s, username)
            instant = self._event(s, profile_id, when)
            timers.pause(s, profile_id, instant)
            return self._timer(s, profile_id, "project", instant)

    def resume_project_timer(self, username: str, when: dt.datetime) -> Timer:
        with self._write() as s:
            profile_id = self._profile(s, username)
            instant = self._event(s, profile_id, when)
            timers.resume(s, profile_id, instant)
            return self._timer(s, profile_id, "project", instant)

    def stop_project_timer(self, username: str, when: dt.datetime) -> int:
        """Stop the timer; returns the id of the project time entry it wrote."""
        with self._write() as s:
            profile_id = self._profile(s, username)
            return timers.stop(s, profile_id, "project", self._event(s, profile_id, when))

    def attendance_timer(self, username: str, at: dt.datetime | None = None) -> Timer:
        with self._read() as s:
            return self._timer(s, self._profile(s, username), "attendance", at)

    def clock_in(self, username: str, when: dt.datetime) -> Timer:
        with self._write() as s:
            profile_id = self._profile(s, username)
            instant = self._event(s, profile_id, when)
            timers.start(s, profile_id, "attendance", instant)
            return self._timer(s, profile_id, "attendance", instant)

    def clock_out(self, username: str, when: dt.datetime) -> Attendance:
        """Stop the clock; returns the attendance entry it wrote."""
        with self._write() as s:
            profile_id = self._profile(s, username)
            entry_id = timers.stop(s, profile_id, "attendance", self._event(s, profile_id, when))
            return attendances.get(s, entry_id)

    # -- attendance entries --------------------------------------------------------------

    def attendances(
        self,
        username: str | None = None,
        start: dt.datetime | None = None,
        end: dt.datetime | None = None,
        *,
        page: int = 0,
        limit: int = 50,
    ) -> list[Attendance]:
        with self._read() as s:
            profile_id = self._profile(s, username) if username else None
            begin, finish = self._bounds(s, profile_id, start, end)
            return attendances.listing(
                s, profile_id, begin, finish, offset=page * limit, limit=limit
            )

    def attendance(self, entry_id: int) -> Attendance:
        with self._read() as s:
            return attendances.get(s, entry_id)

    def add_attendance(
        self,
        username: str,
        start: dt.datetime,
        end: dt.datetime,
        *,
        break_minutes: int = 0,
        notes: str = "",
        manual: bool = True,
        gps: Gps | None = None,
    ) -> Attendance:
        with self._write() as s:
            profile_id = self._profile(s, username)
            return attendances.add(
                s,
                profile_id,
                self._event(s, profile_id, start),
                self._event(s, profile_id, end),
                break_minutes=break_minutes,
                notes=notes,
                manual=manual,
                gps=gps,
            )

    def edit_attendance(self, entry_id: int, changes: Changes) -> Attendance:
        with self._write() as s:
            owner = int(attendances.entry_row(s, entry_id).profile_id)
            s.lock_profile(owner)
            start = self._event(s, owner, changes.start) if changes.start else None
            end = self._event(s, owner, changes.end) if changes.end else None
            placed = Changes(
                start, end, changes.break_minutes, changes.notes, changes.manual, changes.gps
            )
            return attendances.edit(s, entry_id, placed)

    def delete_attendance(self, entry_id: int) -> None:
        with self._write() as s:
            s.lock_profile(int(attendances.entry_row(s, entry_id).profile_id))
            attendances.remove(s, entry_id)

    # -- catalogue and reports -----------------------------------------------------------

    def clients(self) -> list[Client]:
        with self._read() as s:
            return catalog.clients(s)

    def projects(self, client: str = "", project: str = "") -> list[Project]:
        with self._read() as s:
            return catalog.projects(s, client, project)

    def project_entries(
        self,
        username: str | None = None,
        start: dt.datetime | None = None,
        end: dt.datetime | None = None,
        *,
        client: str = "",
        project: str = "",
        page: int = 0,
        limit: int = 50,
    ) -> list[ProjectEntry]:
        with self._read() as s:
            profile_id = self._profile(s, username) if username else None
            begin, finish = self._bounds(s, profile_id, start, end)
            return catalog.project_entries(
                s,
                profile_id,
                begin,
                finish,
                client=client,
                project=project,
                offset=page * limit,
                limit=limit,
            )

    def work_reports(self, username: str, start: dt.datetime, end: dt.datetime) -> list[WorkDay]:
        with self._read() as s:
            profile_id = self._profile(s, username)
            zone = s.zone_of(profile_id)

            def day(moment: dt.datetime) -> dt.date:
                return moment.astimezone(zone).date() if moment.tzinfo else moment.date()

            return catalog.work_days(s, profile_id, day(start), day(end))

    def _bounds(
        self,
        scope: Scope,
        profile_id: int | None,
        start: dt.datetime | None,
        end: dt.datetime | None,
    ) -> tuple[dt.datetime | None, dt.datetime | None]:
        """Naive bounds are wall-clock in the user's zone (UTC when no user is named)."""

        def place(moment: dt.datetime | None) -> dt.datetime | None:
            if moment is None:
                return None
            if moment.tzinfo is None and profile_id is None:
                return moment.replace(tzinfo=dt.UTC)
            return self._instant(scope, profile_id or 0, moment)

        return place(start), place(end)
