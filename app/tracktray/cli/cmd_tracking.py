"""The timer: status, start, stop, switch."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from tracktray.cli.cmd_trackers import resolve_tracker
from tracktray.cli.context import Context
from tracktray.cli.journaled import journaled, run_journaled, send_waiting_of, waiting_lines
from tracktray.cli.render import clock, duration, emit_json
from tracktray.cli.when import local_now, parse_moment
from tracktray.cli.widget_status import ask_widget
from tracktray.contracts.errors import TrackTrayError
from tracktray.domain import Status
from tracktray.i18n import N_, _

__all__ = ["register"]


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    p = commands.add_parser(
        "status", parents=[common], help=_("what runs, since when, today's total")
    )
    p.set_defaults(handler=status)
    p = commands.add_parser("start", parents=[common], help=_("start the timer"))
    p.add_argument("tracker", nargs="?", help=_("id, path or part of a path (default tracker)"))
    p.set_defaults(handler=start)
    p = commands.add_parser("stop", parents=[common], help=_("stop the timer"))
    p.add_argument("-m", "--message", default="", help=_("description of the stopped block"))
    p.add_argument("--at", metavar="TIME", help=_(_AT_HELP).format(what=_("the block ends")))
    p.set_defaults(handler=stop)
    p = commands.add_parser("switch", parents=[common], help=_("stop and start on another tracker"))
    p.add_argument("tracker", help=_("id, path or part of a path"))
    p.add_argument("-m", "--message", default="", help=_("description of the stopped block"))
    p.add_argument("--at", metavar="TIME", help=_(_AT_HELP).format(what=_("the switch happened")))
    p.set_defaults(handler=switch)


_AT_HELP = N_(
    "when {what}, if not now: 10:42, yesterday 17:30, 2026-11-23 09:30 or 15 minutes ago "
    "(write --at=-15m; between the block’s start and now)"
)


def _at(args: argparse.Namespace, now: dt.datetime) -> dt.datetime | None:
    return parse_moment(args.at, now=now, what=_("--at time")) if args.at else None


def status(args: argparse.Namespace, ctx: Context) -> int:
    waiting = _send_what_waits(ctx)
    # a running widget answers from its open connection (nothing waiting: the journal's
    # entries are sent by whoever holds them, and the output lists them)
    current = None if waiting else ask_widget(ctx)
    try:
        if current is None:
            current = ctx.backend().status()
    except TrackTrayError:
        for line in waiting:  # what is kept, even while the server is away
            ctx.print(line)
        raise
    now = local_now()
    if args.json:
        emit_json({**_status_json(current, ctx, now), "waiting": waiting}, ctx.out)
        return 0
    for line in waiting:
        ctx.print(line)
    today = duration(current.daytotal_at(now))
    if current.free_today_s:  # the rule of DayTotals: free time apart, never added
        today = _("{worked} worked, {free} free").format(
            worked=today, free=duration(current.free_today_s)
        )
    running = current.running
    if running is None:
        ctx.print(_("Nothing is running. Today: {today}.").format(today=today))
    else:
        state = (
            _("Paused: {tracker} since {started_at} ({worked}). Today: {today}.")
            if running.paused
            else _("Running: {tracker} since {started_at} ({worked}). Today: {today}.")
        )
        worked = current.running_worked_s(now)
        ctx.print(
            state.format(
                tracker=running.tracker.name,
                started_at=clock(running.started_at, now=now),
                worked=duration(worked),
                today=today,
            )
        )
    if current.attendance is not None:  # accounts with an attendance clock
        since = clock(current.attendance.started_at, now=now)
        ctx.print(
            _("Clocked in since {since}: {duration} today.").format(
                since=since, duration=duration(current.attendance_day_at(now))
            )
        )
    return 0


def _send_what_waits(ctx: Context) -> list[str]:
    """Send the account's waiting journal entries; the lines of what still waits."""
    if not waiting_lines(ctx):
        return []
    try:
        report = send_waiting_of(ctx)
    except TrackTrayError:
        return waiting_lines(ctx)  # the status call says why
    for note in report.notes:
        ctx.err.write(note + "\n")
    return waiting_lines(ctx)


def start(args: argparse.Namespace, ctx: Context) -> int:
    backend = ctx.backend()
    tracker_id = resolve_tracker(ctx, args.tracker).id if args.tracker else None
    if not journaled(ctx):
        return _report_start(ctx, backend.start(tracker_id), args.json, switched=False)
    run_journaled(ctx, "start", {"tracker_id": tracker_id})
    return _report_start(ctx, backend.status(), args.json, switched=False)


def switch(args: argparse.Namespace, ctx: Context) -> int:
    at = _at(args, local_now())
    backend = ctx.backend()
    tracker = resolve_tracker(ctx, args.tracker)
    if not journaled(ctx):
        after = backend.switch(tracker.id, args.message, at)
        return _report_start(ctx, after, args.json, switched=True)
    entry = {"tracker_id": tracker.id, "description": args.message, "at": _iso(at)}
    run_journaled(ctx, "switch", entry)
    return _report_start(ctx, backend.status(), args.json, switched=True)


def _iso(moment: dt.datetime | None) -> str:
    return moment.isoformat() if moment is not None else ""


def stop(args: argparse.Namespace, ctx: Context) -> int:
    at = _at(args, local_now())
    if journaled(ctx):
        entry = {"description": args.message, "at": _iso(at)}
        before, _value = run_journaled(ctx, "stop", entry, lambda: ctx.backend().status())
        assert before is not None
    else:
        backend = ctx.backend()
        before = backend.status()
        backend.stop(args.message, at)
    end = at or local_now()
    running = before.running
    if args.json:
        emit_json(
            {
                "stopped": running.tracker if running else None,
                "elapsed_s": before.running_worked_s(end),
                "description": args.message,
                "stopped_at": end,
            },
            ctx.out,
        )
    elif running is not None:
        worked = duration(before.running_worked_s(end))
        sentence = (
            _("Stopped {tracker} at {time} after {worked}.")
            if at is not None
            else _("Stopped {tracker} after {worked}.")
        )
        time = clock(end, now=local_now())
        ctx.print(sentence.format(tracker=running.tracker.name, time=time, worked=worked))
    else:
        ctx.print(_("Stopped."))
    return 0


def _report_start(ctx: Context, after: Status, as_json: bool, *, switched: bool) -> int:
    now = local_now()
    if as_json:
        emit_json(_status_json(after, ctx, now), ctx.out)
    elif after.running is not None:
        sentence = (
            _("Switched to {tracker} at {time}.") if switched else _("Started {tracker} at {time}.")
        )
        time = clock(after.running.started_at, now=now)
        ctx.print(sentence.format(tracker=after.running.tracker.name, time=time))
    else:
        ctx.print(_("Switched the timer.") if switched else _("Started the timer."))
    return 0


def _status_json(current: Status, ctx: Context, now: dt.datetime) -> dict[str, Any]:
    running = current.running
    return {
        "account": {"id": ctx.account.id, "kind": ctx.account.kind, "label": ctx.account.label},
        "running": None
        if running is None
        else {
            "tracker": running.tracker,
            "started_at": running.started_at,
            "elapsed_s": current.running_worked_s(now),
            "tracker_total_s": running.tracker_total_s,
            "paused": running.paused,
        },
        "today_s": current.daytotal_at(now),
        "today_free_s": current.free_today_s,
        "default_tracker": current.default_tracker,
        "fetched_at": current.fetched_at,
    }
