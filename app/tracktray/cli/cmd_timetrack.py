"""Commands for accounts that can pause timers and keep attendance (TimeTrack).

``pause``, ``resume``, ``clock in|out``, ``today`` and ``attendances [add|edit|rm]``.
They ask the account's capabilities, never its kind, so any future account with the
same abilities gets them for free; an account without them gets one plain sentence.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
from collections.abc import Callable
from typing import Any

from tracktray.accounts.timetrack import (
    AttendanceBackend,
    attendance_of,
    join_key_secret,
    pausable,
)
from tracktray.cli.context import Context
from tracktray.cli.errors import UsageError
from tracktray.cli.journaled import journaled, run_journaled
from tracktray.cli.render import clock, duration, emit_json
from tracktray.cli.when import local_now, parse_day, parse_moment, start_of_day
from tracktray.contracts.errors import Refused
from tracktray.domain import ReportQuery, Status
from tracktray.domain.timetrack import Attendance
from tracktray.i18n import _, format_clock, format_date, format_weekday_date, pgettext

__all__ = ["read_key_secret", "register", "today"]


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    p = commands.add_parser("pause", parents=[common], help=_("pause the timer (a break starts)"))
    p.set_defaults(handler=pause)
    p = commands.add_parser("resume", parents=[common], help=_("resume the paused timer"))
    p.set_defaults(handler=resume)
    p = commands.add_parser("clock", parents=[common], help=_("clock in or out (attendance)"))
    p.add_argument("direction", choices=("in", "out"))
    p.set_defaults(handler=clock_in_out)
    p = commands.add_parser("attendances", parents=[common], help=_("attendance entries"))
    p.add_argument("--from", dest="first", help=_("first day (default: Monday of this week)"))
    p.add_argument("--to", dest="last", help=_("last day (default: the --from week's Sunday)"))
    p.set_defaults(handler=attendances_list)
    actions = p.add_subparsers(dest="action", metavar="add|edit|rm")
    a = actions.add_parser("add", parents=[common], help=_("add an entry"))
    a.add_argument("start", help=_("e.g. '2026-11-23 08:30' or 08:30 (today)"))
    a.add_argument("end", help=_("e.g. '2026-11-23 17:00' or 17:00"))
    _entry_options(a)
    a.set_defaults(handler=attendances_add)
    e = actions.add_parser("edit", parents=[common], help=_("change an entry"))
    e.add_argument("id", type=int)
    e.add_argument("--start", help=_("new start"))
    e.add_argument("--end", help=_("new end"))
    _entry_options(e, defaults=False)
    e.set_defaults(handler=attendances_edit)
    r = actions.add_parser("rm", parents=[common], help=_("delete an entry"))
    r.add_argument("id", type=int)
    r.set_defaults(handler=attendances_rm)


def _entry_options(parser: argparse.ArgumentParser, *, defaults: bool = True) -> None:
    parser.add_argument(
        "--break",
        dest="break_minutes",
        type=int,
        default=0 if defaults else None,
        help=_("break in minutes"),
    )
    parser.add_argument("--notes", default="" if defaults else None, help=_("a note"))


def _attendance(ctx: Context) -> AttendanceBackend:
    face = attendance_of(ctx.backend())
    if face is None:
        raise Refused(
            _("The account “{label}” keeps no attendance (clock in/out).").format(
                label=ctx.account.shown_label
            )
        )
    return face


def pause(args: argparse.Namespace, ctx: Context) -> int:
    face = pausable(ctx.backend())
    if face is None:
        raise Refused(
            _("Timers of the account “{label}” cannot pause.").format(label=ctx.account.shown_label)
        )
    return _timer_line(ctx, _journaled_timer(ctx, "pause", face.pause), args.json, paused=True)


def resume(args: argparse.Namespace, ctx: Context) -> int:
    face = pausable(ctx.backend())
    if face is None:
        raise Refused(
            _("Timers of the account “{label}” cannot pause.").format(label=ctx.account.shown_label)
        )
    return _timer_line(ctx, _journaled_timer(ctx, "resume", face.resume), args.json, paused=False)


def _journaled_timer(ctx: Context, kind: str, call: Callable[[], Status]) -> Status:
    """Pause, resume, clock in or out: through the journal for stored accounts."""
    if not journaled(ctx):
        return call()
    _before, after = run_journaled(ctx, kind, {})
    return after if isinstance(after, Status) else ctx.backend().status()


def _timer_line(ctx: Context, after: Status, as_json: bool, *, paused: bool) -> int:
    now = local_now()
    running = after.running
    if as_json:
        emit_json({"running": running, "daytotal_s": after.daytotal_at(now)}, ctx.out)
    elif running is not None:
        sentence = (
            _("Paused {tracker}: {worked} worked, {pause} break.")
            if paused
            else _("Resumed {tracker}: {worked} worked, {pause} break.")
        )
        ctx.print(
            sentence.format(
                tracker=running.tracker.name,
                worked=duration(after.running_worked_s(now)),
                pause=duration(after.running_break_s(now)),
            )
        )
    return 0


def clock_in_out(args: argparse.Namespace, ctx: Context) -> int:
    face = _attendance(ctx)
    kind, call = (
        ("clock_in", face.clock_in) if args.direction == "in" else ("clock_out", face.clock_out)
    )
    after = _journaled_timer(ctx, kind, call)
    now = local_now()
    if args.json:
        emit_json(
            {"attendance": after.attendance, "today_s": after.attendance_day_at(now)}, ctx.out
        )
    elif args.direction == "in" and after.attendance is not None:
        ctx.print(
            _("Clocked in at {time}.").format(time=clock(after.attendance.started_at, now=now))
        )
    else:
        ctx.print(
            _("Clocked out. At work today: {duration}.").format(
                duration=duration(after.attendance_day_at(now))
            )
        )
    return 0


def today(args: argparse.Namespace, ctx: Context) -> int:
    """``today`` for an account with attendance: the clock, its entries, the projects.

    Reached from the generic ``today`` command when the account states
    ``Capability.ATTENDANCE``.
    """
    backend = ctx.backend()
    face = _attendance(ctx)
    current = backend.status()
    now = local_now()
    midnight = start_of_day(now.date())
    tomorrow = start_of_day(now.date() + dt.timedelta(days=1))
    entries = face.attendances(midnight.replace(tzinfo=None), tomorrow.replace(tzinfo=None))
    blocks = backend.report(ReportQuery(start=midnight, stop=tomorrow))
    tree = backend.trackers()
    if args.json:
        emit_json(
            {
                "attendance_s": current.attendance_day_at(now),
                "clocked_in_since": current.attendance.started_at if current.attendance else None,
                "attendances": entries,
                "projects_s": current.daytotal_at(now),
                "running": current.running,
                "blocks": blocks,
            },
            ctx.out,
        )
        return 0
    at_work = duration(current.attendance_day_at(now))
    if current.attendance is not None:
        since = clock(current.attendance.started_at, now=now)
        ctx.print(
            _("Clocked in since {since}. At work today: {at_work}.").format(
                since=since, at_work=at_work
            )
        )
    else:
        ctx.print(_("Not clocked in. At work today: {at_work}.").format(at_work=at_work))
    for entry in entries:
        ctx.print("  " + _entry_line(entry))
    for block in blocks:
        tracker = tree.get(block.tracker_id) if block.tracker_id is not None else None
        name = tracker.display_path if tracker else f"#{block.tracker_id}"
        end = format_clock(block.time_out) if block.time_out else _("now")
        ctx.print(f"  {format_clock(block.time_in)}–{end}  {duration(block.total_s)}  {name}")
    running = current.running
    if running is not None:
        sentence = (
            _("Timer paused on {tracker}: {worked}.")
            if running.paused
            else _("Timer running on {tracker}: {worked}.")
        )
        ctx.print(
            sentence.format(
                tracker=running.tracker.name, worked=duration(current.running_worked_s(now))
            )
        )
    ctx.print(
        _("On projects today: {duration}.").format(duration=duration(current.daytotal_at(now)))
    )
    return 0


def _entry_line(entry: Attendance) -> str:
    # Translators: how an attendance entry was made: typed in, or by the clock in/out
    how = pgettext("attendance", "manual") if entry.manual else pgettext("attendance", "clock")
    note = f"  {entry.notes}" if entry.notes else ""
    # Translators: one attendance entry of `tracktray attendances`; keep the columns
    return _("#{id:<5} {day} {start}–{end}  break {pause}  worked {worked}  ({how}){note}").format(
        id=entry.id,
        day=format_weekday_date(entry.start.date()),
        start=format_clock(entry.start),
        end=format_clock(entry.end),
        pause=duration(entry.break_minutes * 60),
        worked=duration(entry.worked_minutes * 60),
        how=how,
        note=note,
    )


def attendances_list(args: argparse.Namespace, ctx: Context) -> int:
    face = _attendance(ctx)
    now = local_now()
    first = (
        parse_day(args.first, today=now.date(), what=_("--from date"))
        if args.first
        else now.date() - dt.timedelta(days=now.weekday())
    )
    last = (
        parse_day(args.last, today=now.date(), what=_("--to date"))
        if args.last
        else first + dt.timedelta(days=6)
    )
    if last < first:
        raise UsageError(_("The --to date is before the --from date."))
    entries = face.attendances(
        dt.datetime.combine(first, dt.time()), dt.datetime.combine(last, dt.time(23, 59, 59))
    )
    total = sum(e.worked_minutes for e in entries) * 60
    if args.json:
        emit_json({"from": first, "to": last, "worked_s": total, "entries": entries}, ctx.out)
        return 0
    if not entries:
        ctx.print(
            _("No attendance entries from {first} to {last}.").format(
                first=format_date(first), last=format_date(last)
            )
        )
        return 0
    for entry in entries:
        ctx.print(_entry_line(entry))
    ctx.print(
        _("Worked from {first} to {last}: {total}.").format(
            first=format_date(first), last=format_date(last), total=duration(total)
        )
    )
    return 0


def _wall(text: str, what: str, now: dt.datetime) -> dt.datetime:
    """What the person typed, as wall-clock time on this computer."""
    return parse_moment(text, now=now, what=what).astimezone().replace(tzinfo=None)


def attendances_add(args: argparse.Namespace, ctx: Context) -> int:
    face = _attendance(ctx)
    now = local_now()
    entry = face.add_attendance(
        _wall(args.start, _("start"), now),
        _wall(args.end, _("end"), now),
        break_minutes=args.break_minutes,
        notes=args.notes,
    )
    return _show_entry(ctx, entry, args.json, added=True)


def attendances_edit(args: argparse.Namespace, ctx: Context) -> int:
    face = _attendance(ctx)
    now = local_now()
    if all(v is None for v in (args.start, args.end, args.break_minutes, args.notes)):
        raise UsageError(_("Say what to change: --start, --end, --break or --notes."))
    entry = face.edit_attendance(
        args.id,
        start=_wall(args.start, _("start"), now) if args.start else None,
        end=_wall(args.end, _("end"), now) if args.end else None,
        break_minutes=args.break_minutes,
        notes=args.notes,
    )
    return _show_entry(ctx, entry, args.json, added=False)


def attendances_rm(args: argparse.Namespace, ctx: Context) -> int:
    _attendance(ctx).delete_attendance(args.id)
    if args.json:
        emit_json({"deleted": args.id}, ctx.out)
    else:
        ctx.print(_("Deleted attendance entry #{id}.").format(id=args.id))
    return 0


def _show_entry(ctx: Context, entry: Attendance, as_json: bool, *, added: bool) -> int:
    if as_json:
        emit_json(entry, ctx.out)
    else:
        said = _("Added: {entry}") if added else _("Changed: {entry}")
        ctx.print(said.format(entry=_entry_line(entry)))
    return 0


def read_key_secret(args: argparse.Namespace, ctx: Context) -> str:
    """The API key and secret of a new TimeTrack account, as one keyring entry.

    With ``--password-stdin`` the key is the first line and the secret the second
    (never on the command line, where other users could read them in the process list).
    """
    if args.password_stdin:
        key = ctx.stdin.readline().strip()
        secret = ctx.stdin.readline().strip()
    else:
        if not ctx.stdin.isatty():
            raise UsageError(
                _(
                    "No terminal to ask the API key on; pass the key and the secret on two "
                    "lines of standard input with --password-stdin."
                )
            )
        key = input(_("TimeTrack API key: ")).strip()
        secret = getpass.getpass(_("TimeTrack API secret: ")).strip()
    if not key or not secret:
        raise UsageError(_("A TimeTrack account needs both the API key and the API secret."))
    return join_key_secret(key, secret)
