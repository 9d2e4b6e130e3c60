"""Blocks over a period: today, and report with its filters (human, CSV or JSON)."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
from collections.abc import Sequence
from typing import Any

from tracktray.cli.cmd_trackers import resolve_tracker
from tracktray.cli.context import Context
from tracktray.cli.errors import UsageError
from tracktray.cli.render import duration, emit_json, to_jsonable
from tracktray.contracts.backend import Capability
from tracktray.domain import Block, DayTotals, ReportQuery, TrackerTree
from tracktray.i18n import _, format_clock, format_date, format_datetime

__all__ = ["register"]

CSV_COLUMNS = (
    "id", "profile_id", "tracker_id", "tracker", "description",
    "time_in", "time_out", "total_s", "total", "free",
)  # fmt: skip


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    p = commands.add_parser("today", parents=[common], help=_("today's blocks and total"))
    p.set_defaults(handler=today)
    p = commands.add_parser("report", parents=[common], help=_("blocks of a period"))
    p.add_argument("--from", dest="start", help=_("first day, YYYY-MM-DD (default: 1st of month)"))
    p.add_argument("--to", dest="stop", help=_("last day, YYYY-MM-DD (default: today)"))
    p.add_argument("--user", "-u", help=_("whose blocks: profile id or name (see reportees)"))
    p.add_argument("--tracker", "-t", help=_("id, path or part of a path (sub-trackers included)"))
    kind = p.add_mutually_exclusive_group()
    kind.add_argument("--free", action="store_true", help=_("only free time"))
    kind.add_argument("--worked", action="store_true", help=_("only worked time"))
    p.add_argument("--csv", action="store_true", help=_("comma-separated values for spreadsheets"))
    p.set_defaults(handler=report)


def today(args: argparse.Namespace, ctx: Context) -> int:
    from tracktray.cli.when import local_now, profile_midnight

    day = local_now().date()
    query = ReportQuery(
        start=profile_midnight(day),
        stop=profile_midnight(day + dt.timedelta(days=1)),
        include_open=True,
    )
    backend = ctx.backend()
    if Capability.ATTENDANCE in backend.capabilities:  # the day's clock comes first
        from tracktray.cli.cmd_timetrack import today as attendance_today

        return attendance_today(args, ctx)
    blocks = backend.report(query)
    tree = backend.trackers()
    _print_blocks(ctx, blocks, tree, args.json, title=_("Today"))
    return 0


def report(args: argparse.Namespace, ctx: Context) -> int:
    from tracktray.cli.when import local_now, parse_day, profile_midnight

    now = local_now()
    first = parse_day(args.start, today=now.date(), what=_("--from date")) if args.start else None
    last = parse_day(args.stop, today=now.date(), what=_("--to date")) if args.stop else now.date()
    first = first or last.replace(day=1)
    if last < first:
        raise UsageError(_("The --to date is before the --from date."))
    backend = ctx.backend()
    tree = backend.trackers()
    tracker_id = None
    if args.tracker:
        tracker_id = resolve_tracker(ctx, args.tracker).id
    query = ReportQuery(
        profile_id=_profile_id(ctx, args.user) if args.user else None,
        tracker_id=tracker_id,
        start=profile_midnight(first),
        stop=profile_midnight(last + dt.timedelta(days=1)),
        free=True if args.free else False if args.worked else None,
    )
    blocks = backend.report(query)
    if args.csv:
        _write_csv(ctx, blocks, tree)
    else:
        _print_blocks(
            ctx,
            blocks,
            tree,
            args.json,
            title=_("{first} to {last}").format(first=format_date(first), last=format_date(last)),
            free_only=args.free,
        )
    return 0


def _profile_id(ctx: Context, who: str) -> int:
    if who.strip().isdigit():
        return int(who)
    wanted = who.strip().casefold()
    people = ctx.backend().reportees()
    found = [
        p
        for p in people
        if wanted in p.display_name.casefold()
        or wanted == p.username.casefold()
        or wanted == p.email.casefold()
    ]
    if len(found) == 1:
        return found[0].id
    if not found:
        raise UsageError(_("Nobody you can see reports for matches “{who}”.").format(who=who))
    names = ", ".join(f"{p.display_name} ({p.id})" for p in found)
    raise UsageError(_("“{who}” matches several people: {names}.").format(who=who, names=names))


def _tracker_name(tree: TrackerTree, tracker_id: int | None) -> str:
    if tracker_id is None:
        return ""
    tracker = tree.get(tracker_id)
    # a tracker you may report on but not track on is not in your tree
    return tracker.display_path if tracker is not None else f"#{tracker_id}"


def _print_blocks(
    ctx: Context,
    blocks: Sequence[Block],
    tree: TrackerTree,
    as_json: bool,
    *,
    title: str,
    free_only: bool = False,
) -> None:
    totals = DayTotals.of(blocks)  # worked and free apart, the one rule for "today"
    if as_json:
        emit_json(
            {
                "blocks": [
                    {**_block_dict(b), "tracker": _tracker_name(tree, b.tracker_id)} for b in blocks
                ],
                "total_s": totals.worked_s,
                "free_s": totals.free_s,
            },
            ctx.out,
        )
        return
    for b in blocks:
        until = format_clock(b.time_out) if b.time_out else f"{_('now'):<5}"
        free = _(" (free)") if b.free else ""
        text = f"  {b.description}" if b.description else ""
        ctx.print(
            f"{format_datetime(b.time_in)}-{until}  {duration(b.total_s):>6}  "
            f"{_tracker_name(tree, b.tracker_id)}{free}{text}"
        )
    if not blocks:
        ctx.print(_("No blocks."))
    worked, free_s = duration(totals.worked_s), duration(totals.free_s)
    if free_only:
        ctx.print(_("{period}: {free} free.").format(period=title, free=free_s))
    elif totals.free_s:
        sentence = _("{period}: {worked} worked, {free} free.")
        ctx.print(sentence.format(period=title, worked=worked, free=free_s))
    else:
        ctx.print(_("{period}: {worked}.").format(period=title, worked=worked))


def _block_dict(block: Block) -> dict[str, Any]:
    data: dict[str, Any] = to_jsonable(block)
    return data


def _write_csv(ctx: Context, blocks: Sequence[Block], tree: TrackerTree) -> None:
    writer = csv.writer(ctx.out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for b in blocks:
        writer.writerow(
            [
                b.id,
                b.profile_id,
                b.tracker_id if b.tracker_id is not None else "",
                _tracker_name(tree, b.tracker_id),
                b.description,
                b.time_in.isoformat(sep=" "),
                b.time_out.isoformat(sep=" ") if b.time_out else "",
                b.total_s,
                duration(b.total_s),
                "1" if b.free else "0",
            ]
        )
