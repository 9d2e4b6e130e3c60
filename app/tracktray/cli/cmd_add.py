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

__all__ = ["register"]


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    p = commands.add_parser(
        "add",
        parents=[common],
        help="add a past block (an open one without STOP)",
        description="Times: HH:MM (today), YYYY-MM-DD HH:MM, yesterday HH:MM, now, -1h30m.",
    )
    p.add_argument("start", help="when the block began")
    p.add_argument("stop", nargs="?", help="when it ended (leave out to keep it running)")
    p.add_argument("--tracker", "-t", help="id, path or part of a path (default tracker)")
    p.add_argument("-m", "--message", default="", help="description")
    p.set_defaults(handler=add)
    p = commands.add_parser("addfree", parents=[common], help="add free time (leave, holiday)")
    p.add_argument("hours", help="hours, e.g. 7.5, 7,5 or 7:30")
    p.add_argument("--date", "-d", help="YYYY-MM-DD, today or yesterday (default today)")
    p.add_argument("--tracker", "-t", help="id, path or part of a path (default tracker)")
    p.add_argument("-m", "--message", default="", help="description")
    p.set_defaults(handler=addfree)


def add(args: argparse.Namespace, ctx: Context) -> int:
    now = local_now()
    start = parse_moment(args.start, now=now, what="start")
    stop = parse_moment(args.stop, now=now, what="stop") if args.stop else None
    if stop is not None and stop <= start:
        raise UsageError("The stop time must be after the start time.")
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
    _, block = run_journaled(ctx, "add", entry)
    if not isinstance(block, Block):
        ctx.print("That block was already on the server.")
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
    _, block = run_journaled(ctx, "addfree", entry)
    if not isinstance(block, Block):
        ctx.print("That free time was already on the server.")
        return 0
    return _show(ctx, block, args.json)


def _show(ctx: Context, block: Block, as_json: bool) -> int:
    if as_json:
        emit_json(block, ctx.out)
        return 0
    kind = "free time" if block.free else "a block"
    until = block.time_out.strftime("%H:%M") if block.time_out else "now (still running)"
    ctx.print(
        f"Added {kind} on {block.time_in:%Y-%m-%d} from {block.time_in:%H:%M} to {until}"
        f" ({duration(block.total_s)})."
    )
    return 0
