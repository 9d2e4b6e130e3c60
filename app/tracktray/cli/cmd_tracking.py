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

__all__ = ["register"]


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    p = commands.add_parser("status", parents=[common], help="what runs, since when, today's total")
    p.set_defaults(handler=status)
    p = commands.add_parser("start", parents=[common], help="start the timer")
    p.add_argument("tracker", nargs="?", help="id, path or part of a path (default tracker)")
    p.set_defaults(handler=start)
    p = commands.add_parser("stop", parents=[common], help="stop the timer")
    p.add_argument("-m", "--message", default="", help="description of the stopped block")
    p.add_argument("--at", metavar="TIME", help=_AT_HELP.format(what="the block ends"))
    p.set_defaults(handler=stop)
    p = commands.add_parser("switch", parents=[common], help="stop and start on another tracker")
    p.add_argument("tracker", help="id, path or part of a path")
    p.add_argument("-m", "--message", default="", help="description of the stopped block")
    p.add_argument("--at", metavar="TIME", help=_AT_HELP.format(what="the switch happened"))
    p.set_defaults(handler=switch)


_AT_HELP = (
    "when {what}, if not now: 10:42, yesterday 17:30, 2026-11-23 09:30 or 15 minutes ago "
    "(write --at=-15m; between the block’s start and now)"
)


def _at(args: argparse.Namespace, now: dt.datetime) -> dt.datetime | None:
    return parse_moment(args.at, now=now, what="--at time") if args.at else None


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
        today = f"{today} worked, {duration(current.free_today_s)} free"
    running = current.running
    if running is None:
        ctx.print(f"Nothing is running. Today: {today}.")
    else:
        state = "Paused" if running.paused else "Running"
        worked = current.running_worked_s(now)
        ctx.print(
            f"{state}: {running.tracker.name} since {clock(running.started_at, now=now)} "
            f"({duration(worked)}). Today: {today}."
        )
    if current.attendance is not None:  # accounts with an attendance clock
        since = clock(current.attendance.started_at, now=now)
        ctx.print(f"Clocked in since {since}: {duration(current.attendance_day_at(now))} today.")
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
        return _report_start(ctx, backend.start(tracker_id), args.json, "Started")
    run_journaled(ctx, "start", {"tracker_id": tracker_id})
    return _report_start(ctx, backend.status(), args.json, "Started")


def switch(args: argparse.Namespace, ctx: Context) -> int:
    at = _at(args, local_now())
    backend = ctx.backend()
    tracker = resolve_tracker(ctx, args.tracker)
    if not journaled(ctx):
        after = backend.switch(tracker.id, args.message, at)
        return _report_start(ctx, after, args.json, "Switched to")
    entry = {"tracker_id": tracker.id, "description": args.message, "at": _iso(at)}
    run_journaled(ctx, "switch", entry)
    return _report_start(ctx, backend.status(), args.json, "Switched to")


def _iso(moment: dt.datetime | None) -> str:
    return moment.isoformat() if moment is not None else ""


def stop(args: argparse.Namespace, ctx: Context) -> int:
    at = _at(args, local_now())
    if journaled(ctx):
        entry = {"description": args.message, "at": _iso(at)}
        before, _ = run_journaled(ctx, "stop", entry, lambda: ctx.backend().status())
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
        when = f" at {clock(end, now=local_now())}" if at is not None else ""
        ctx.print(f"Stopped {running.tracker.name}{when} after {worked}.")
    else:
        ctx.print("Stopped.")
    return 0


def _report_start(ctx: Context, after: Status, as_json: bool, verb: str) -> int:
    now = local_now()
    if as_json:
        emit_json(_status_json(after, ctx, now), ctx.out)
    elif after.running is not None:
        ctx.print(
            f"{verb} {after.running.tracker.name} at {clock(after.running.started_at, now=now)}."
        )
    else:
        ctx.print(f"{verb} the timer.")
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
