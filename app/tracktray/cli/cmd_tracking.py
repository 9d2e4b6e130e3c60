"""The timer: status (its own module, :mod:`.cmd_status`), start, stop, switch."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from tracktray.cli.cmd_status import status_json
from tracktray.cli.cmd_trackers import resolve_tracker
from tracktray.cli.context import Context
from tracktray.cli.journaled import journaled, run_journaled
from tracktray.cli.render import clock, duration, emit_json
from tracktray.cli.when import local_now, parse_moment
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
    # looked up on each call: the quick dispatch (cli.main) runs the same function
    from tracktray.cli import cmd_status

    return cmd_status.status(args, ctx)


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
        emit_json(status_json(after, ctx, now), ctx.out)
    elif after.running is not None:
        sentence = (
            _("Switched to {tracker} at {time}.") if switched else _("Started {tracker} at {time}.")
        )
        time = clock(after.running.started_at, now=now)
        ctx.print(sentence.format(tracker=after.running.tracker.name, time=time))
    else:
        ctx.print(_("Switched the timer.") if switched else _("Started the timer."))
    return 0
