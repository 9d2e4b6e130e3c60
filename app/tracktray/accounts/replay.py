"""How one journal entry reaches the server, with the time of the click.

A click sent at once (younger than :data:`FRESH`, never tried before) is the plain call:
``start``, ``stop``, ``switch``... with the clients' own re-check of a lost answer. Any
other entry (the server was away, the widget or the CLI was killed, the answer was lost)
is *replayed*: the server's state is read first, and the rules of docs/reliability.md
decide what to send so that the click lands at its own time, once:

- **stop at t**: a block begun before t runs → stop it ``at`` t. Nothing runs, or the
  block running began after t → it was stopped elsewhere; nothing is sent.
- **start T at t**: nothing runs → an open block on T from t. T runs already (begun at
  or before t) → nothing to send. Another tracker runs since before t → switch to T
  ``at`` t. Something began after t (another device) → T from t until that start is
  kept as a closed block and the newer block keeps running.
- **switch to T at t**: like start, except that a block running since before t is
  closed at t (with the description).
- **pause, resume, clock in/out**: skipped when the state already says it happened,
  else sent with the time of the click.
- **add, addfree, attendance edits**: they carry their own times; an entry that may
  have arrived before is looked for on the server first.

Each outcome carries one sentence for the journal and, when the rules had to decide
something the person did not literally ask for, one for the person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol, cast

from tracktray.accounts.timetrack import attendance_of, pausable
from tracktray.contracts.backend import Backend
from tracktray.contracts.errors import (
    Overlap,
    PermissionDenied,
    Refused,
    TimeNotApplied,
    TrackTrayError,
)
from tracktray.domain import ReportQuery, RunningBlock
from tracktray.i18n import _, format_clock

if TYPE_CHECKING:
    from decimal import Decimal

__all__ = ["FRESH", "TOLERANCE", "Outcome", "replay"]

#: a click younger than this is sent as the plain call
FRESH = dt.timedelta(seconds=2)
#: two times closer than this are the same moment (the wire keeps whole seconds)
TOLERANCE = dt.timedelta(seconds=2)


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one journal entry ended on the server: done or refused, and why."""

    state: Literal["done", "refused"]
    #: what happened, for the journal
    sentence: str
    #: for the person, when the rules decided something (else "")
    note: str = ""
    #: what the call returned when it matters to the caller (the added block)
    value: Any = None
    #: the server's refusal itself (an Overlap carries the other block), when refused
    error: TrackTrayError | None = None


class StartsAt(Protocol):
    """A backend whose start takes the time of the click (TimeTrack's ``date``)."""

    def start(self, tracker_id: int | None = None, *, at: dt.datetime | None = None) -> Any: ...


def replay(
    backend: Backend,
    kind: str,
    args: Mapping[str, Any],
    clicked_at: dt.datetime,
    *,
    tried_before: bool,
    now: dt.datetime,
) -> Outcome:
    """Send one entry; raises the backend's error when it could not be decided."""
    fresh = not tried_before and now - clicked_at < FRESH
    try:
        said = _HANDLERS[kind](backend, args, clicked_at, fresh)
    except (Refused, PermissionDenied) as exc:
        return Outcome("refused", str(exc), str(exc), error=exc)
    except TimeNotApplied as exc:
        # done, but at the server's time: say so and where to correct it
        return Outcome("done", str(exc), str(exc))
    return Outcome("done", *said)


#: (sentence, note) or (sentence, note, value)
Said = tuple[str, str] | tuple[str, str, Any]
Handler = Callable[[Backend, Mapping[str, Any], dt.datetime, bool], Said]


def _hm(moment: dt.datetime) -> str:
    return format_clock(moment.astimezone())


def _tracker(args: Mapping[str, Any]) -> int | None:
    value = args.get("tracker_id")
    return value if isinstance(value, int) else None


def _same_moment(a: dt.datetime, b: dt.datetime) -> bool:
    return abs(a - b) <= TOLERANCE


def _asked_at(args: Mapping[str, Any]) -> dt.datetime | None:
    """The time the person named (``tracktray stop --at``), rather than the click's."""
    value = args.get("at")
    return dt.datetime.fromisoformat(value) if isinstance(value, str) and value else None


def _stop(backend: Backend, args: Mapping[str, Any], at: dt.datetime, fresh: bool) -> Said:
    description = str(args.get("description", ""))
    asked = _asked_at(args)
    if fresh:
        backend.stop(description, asked)
        return _("Stopped."), ""
    at = asked or at
    running = backend.status().running
    if running is None or running.started_at > at + TOLERANCE:
        note = _("Your stop of {at} found nothing to stop: it had been stopped elsewhere.").format(
            at=_hm(at)
        )
        return _("Already stopped elsewhere."), note
    backend.stop(description, at=at)
    return _("Stopped at {at}.").format(at=_hm(at)), ""


def _start(backend: Backend, args: Mapping[str, Any], at: dt.datetime, fresh: bool) -> Said:
    tracker_id = _tracker(args)
    if fresh:
        backend.start(tracker_id)
        return _("Started."), ""
    return _land_start(backend, tracker_id, at, description="", switching=False)


def _switch(backend: Backend, args: Mapping[str, Any], at: dt.datetime, fresh: bool) -> Said:
    tracker_id = _tracker(args)
    description = str(args.get("description", ""))
    asked = _asked_at(args)
    if fresh:
        backend.switch(tracker_id, description, asked)
        return _("Switched."), ""
    at = asked or at
    return _land_start(backend, tracker_id, at, description=description, switching=True)


def _land_start(
    backend: Backend, tracker_id: int | None, at: dt.datetime, *, description: str, switching: bool
) -> Said:
    status = backend.status()
    target = tracker_id
    if target is None and status.default_tracker is not None:
        target = status.default_tracker.id
    running = status.running
    if running is None:
        return _open_from(backend, target, at, stopped_elsewhere=switching)
    if running.started_at <= at + TOLERANCE:
        if running.tracker.id == target and (not switching or _same_moment(running.started_at, at)):
            return _("Already running."), ""
        backend.switch(target, description, at=at)
        return _("Switched at {at}.").format(at=_hm(at)), ""
    return _keep_before(backend, target, at, running, description)


def _open_from(
    backend: Backend, tracker_id: int | None, at: dt.datetime, *, stopped_elsewhere: bool
) -> Said:
    note = (
        _(
            "The block you switched from at {at} had been stopped elsewhere; the "
            "new one starts at your click."
        ).format(at=_hm(at))
        if stopped_elsewhere
        else ""
    )
    if _takes_time(backend):
        cast(StartsAt, backend).start(tracker_id, at=at)
        return _("Started at {at}.").format(at=_hm(at)), note
    try:
        backend.add(at, None, tracker_id, "")
    except Overlap:
        # Another device tracked past the click and stopped since: the time of the click
        # is taken; start now rather than lose the click (and say so).
        backend.start(tracker_id)
        late = _(
            "Your start of {at} overlapped time tracked on another device, so it "
            "starts now instead."
        ).format(at=_hm(at))
        return _("Started now: the time of the click was taken."), late
    return _("Started at {at}.").format(at=_hm(at)), note


def _keep_before(
    backend: Backend,
    tracker_id: int | None,
    at: dt.datetime,
    running: RunningBlock,
    description: str,
) -> Said:
    """Something began after the click elsewhere: keep the click's time as a closed block."""
    if running.tracker.id == tracker_id and _same_moment(running.started_at, at):
        return _("Already running."), ""
    backend.add(at, running.started_at, tracker_id, description)
    note = _(
        "{name} was started on another device at {started_at}, after your "
        "click of {at}; your time until then was kept as its own block."
    ).format(name=running.tracker.name, started_at=_hm(running.started_at), at=_hm(at))
    return _("Kept as a closed block before the newer one."), note


def _takes_time(backend: object) -> bool:
    # A Protocol check cannot see keyword parameters; the client says it on purpose.
    return bool(getattr(backend, "start_takes_time", False))


def _timer(kind: str) -> Handler:
    def handle(backend: Backend, args: Mapping[str, Any], at: dt.datetime, fresh: bool) -> Said:
        face = pausable(backend) if kind in ("pause", "resume") else attendance_of(backend)
        if face is None:
            raise Refused(_("This account cannot do that."))
        if not fresh and _already(backend, kind):
            return _("Already done."), ""
        after = getattr(face, kind)(at=at)
        return _("Sent with the time {at}.").format(at=_hm(at)), "", after

    return handle


def _already(backend: Backend, kind: str) -> bool:
    status = backend.status()
    running = status.running
    if kind == "pause":
        return running is None or running.paused
    if kind == "resume":
        return running is None or not running.paused
    if kind == "clock_in":
        return status.attendance is not None
    return status.attendance is None  # clock_out


def _add(backend: Backend, args: Mapping[str, Any], at: dt.datetime, fresh: bool) -> Said:
    start = dt.datetime.fromisoformat(str(args["start"]))
    stop = dt.datetime.fromisoformat(str(args["stop"])) if args.get("stop") else None
    tracker_id = _tracker(args)
    if not fresh and _block_exists(backend, start, tracker_id):
        return _("Already on the server."), ""
    block = backend.add(start, stop, tracker_id, str(args.get("description", "")))
    return _("Added."), "", block


def _block_exists(backend: Backend, start: dt.datetime, tracker_id: int | None) -> bool:
    around = dt.timedelta(minutes=1)
    try:
        blocks = backend.report(
            ReportQuery(start=start - around, stop=start + around, include_open=True)
        )
    except Refused:
        return False
    wanted = start.replace(tzinfo=None) if start.tzinfo is None else None
    for block in blocks:
        if tracker_id is not None and block.tracker_id != tracker_id:
            continue
        if wanted is not None and abs(block.time_in - wanted) <= TOLERANCE:
            return True
        if wanted is None:
            return True  # a block of that tracker begins within a minute of the click's start
    return False


def _addfree(backend: Backend, args: Mapping[str, Any], at: dt.datetime, fresh: bool) -> Said:
    day = dt.date.fromisoformat(str(args["day"])) if args.get("day") else at.astimezone().date()
    from decimal import Decimal  # only here: free time is rarely sent (~0.4 MiB all day)

    hours = Decimal(str(args["hours"]))
    tracker_id = _tracker(args)
    if not fresh and _free_exists(backend, day, hours, tracker_id):
        return _("Already on the server."), ""
    block = backend.add_free(hours, day, tracker_id, str(args.get("description", "")))
    return _("Added."), "", block


def _free_exists(backend: Backend, day: dt.date, hours: Decimal, tracker_id: int | None) -> bool:
    midnight = dt.datetime.combine(day, dt.time())
    try:
        blocks = backend.report(
            ReportQuery(start=midnight, stop=midnight + dt.timedelta(days=1), free=True)
        )
    except Refused:
        return False
    seconds = int(hours * 3600)
    return any(
        b.free and b.total_s == seconds and (tracker_id is None or b.tracker_id == tracker_id)
        for b in blocks
    )


def _attendance(kind: str) -> Handler:
    def handle(backend: Backend, args: Mapping[str, Any], at: dt.datetime, fresh: bool) -> Said:
        face = attendance_of(backend)
        if face is None:
            raise Refused(_("This account keeps no attendance."))
        when = {k: dt.datetime.fromisoformat(str(args[k])) for k in ("start", "end") if args.get(k)}
        if kind == "attendance_add":
            if not fresh and any(
                abs(a.start - when["start"]) <= TOLERANCE
                for a in face.attendances(when["start"] - dt.timedelta(minutes=1), when["end"])
            ):
                return _("Already on the server."), ""
            added = face.add_attendance(
                when["start"],
                when["end"],
                break_minutes=int(args.get("break_minutes", 0)),
                notes=str(args.get("notes", "")),
            )
            return _("Added."), "", added
        if kind == "attendance_edit":
            edited = face.edit_attendance(
                int(args["id"]),
                start=when.get("start"),
                end=when.get("end"),
                break_minutes=args.get("break_minutes"),
                notes=args.get("notes"),
            )
            return _("Changed."), "", edited
        try:
            face.delete_attendance(int(args["id"]))
        except Refused:
            if fresh:
                raise
            return _("Already deleted."), ""  # a delete that arrived before
        return _("Deleted."), ""

    return handle


_HANDLERS: dict[str, Handler] = {
    "start": _start,
    "stop": _stop,
    "switch": _switch,
    "add": _add,
    "addfree": _addfree,
    "pause": _timer("pause"),
    "resume": _timer("resume"),
    "clock_in": _timer("clock_in"),
    "clock_out": _timer("clock_out"),
    "attendance_add": _attendance("attendance_add"),
    "attendance_edit": _attendance("attendance_edit"),
    "attendance_delete": _attendance("attendance_delete"),
}
