"""Time added after the fact: a past block (add) or free time (addfree)."""

from __future__ import annotations

import argparse
from typing import Any

from tracktray.cli.cmd_trackers import resolve_tracker
from tracktray.cli.context import Context
from tracktray.cli.errors import UsageError
from tracktray.cli.journaled import journaled, run_journaled
from tracktray.cli.render import duration, emit_json
from tracktray.cli.when import local_now, parse_day, parse_hours, parse_moment
from tracktray.domain import Block
from tracktray.i18n import _, format_clock, format_date

__all__ = ["register"]


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    p = commands.add_parser(
        "add",
        parents=[common],
        help=_("add a past block (an open one without STOP)"),
        description=_("Times: HH:MM (today), YYYY-MM-DD HH:MM, yesterday HH:MM, now, -1h30m."),
    )
    p.add_argument("start", help=_("when the block began"))
    p.add_argument("stop", nargs="?", help=_("when it ended (leave out to keep it running)"))
    p.add_argument("--tracker", "-t", help=_("id, path or part of a path (default tracker)"))
    p.add_argument("-m", "--message", default="", help=_("description"))
    p.set_defaults(handler=add)
    p = commands.add_parser("addfree", parents=[common], help=_("add free time (leave, holiday)"))
    p.add_argument("hours", help=_("hours, e.g. 7.5, 7,5 or 7:30"))
    p.add_argument("--date", "-d", help=_("YYYY-MM-DD, today or yesterday (default today)"))
    p.add_argument("--tracker", "-t", help=_("id, path or part of a path (default tracker)"))
    p.add_argument("-m", "--message", default="", help=_("description"))
    p.set_defaults(handler=addfree)


def add(args: argparse.Namespace, ctx: Context) -> int:
    now = local_now()
    start = parse_moment(args.start, now=now, what=_("start"))
    stop = parse_moment(args.stop, now=now, what=_("stop")) if args.stop else None
    if stop is not None and stop <= start:
        raise UsageError(_("The stop time must be after the start time."))
    backend = ctx.backend()
    tracker_id = resolve_tracker(ctx, args.tracker).id if args.tracker else None
    if not journaled(ctx):
        return _show(ctx, backend.add(start, stop, tracker_id, args.message), args.json)
    entry = {
        "start": start.isoformat(),
        "stop": stop.isoformat() if stop is not None else None,
        "tracker_id": tracker_id,
        "description": args.message,
    }
    _before, block = run_journaled(ctx, "add", entry)
    if not isinstance(block, Block):
        ctx.print(_("That block was already on the server."))
        return 0
    return _show(ctx, block, args.json)


def addfree(args: argparse.Namespace, ctx: Context) -> int:
    hours = parse_hours(args.hours)
    day = parse_day(args.date, today=local_now().date()) if args.date else None
    backend = ctx.backend()
    tracker_id = resolve_tracker(ctx, args.tracker).id if args.tracker else None
    if not journaled(ctx):
        return _show(ctx, backend.add_free(hours, day, tracker_id, args.message), args.json)
    entry = {
        "hours": str(hours),
        "day": (day or local_now().date()).isoformat(),
        "tracker_id": tracker_id,
        "description": args.message,
    }
    _before, block = run_journaled(ctx, "addfree", entry)
    if not isinstance(block, Block):
        ctx.print(_("That free time was already on the server."))
        return 0
    return _show(ctx, block, args.json)


def _show(ctx: Context, block: Block, as_json: bool) -> int:
    if as_json:
        emit_json(block, ctx.out)
        return 0
    sentence = (
        _("Added free time on {day} from {start} to {end} ({total}).")
        if block.free
        else _("Added a block on {day} from {start} to {end} ({total}).")
    )
    end = format_clock(block.time_out) if block.time_out else _("now (still running)")
    ctx.print(
        sentence.format(
            day=format_date(block.time_in.date()),
            start=format_clock(block.time_in),
            end=end,
            total=duration(block.total_s),
        )
    )
    return 0
