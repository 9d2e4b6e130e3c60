"""``tracktray status``: what runs, since when, today's total.

The command people and scripts run most, so it imports only what its answer needs:
:mod:`tracktray.cli.main` reaches it without building the argument tree (see
``main._quick_status``), a running widget answers for a server account
(:mod:`.widget_status`), and local mode reads through the engine's plain read path.
The journal, the widget's socket and the backend are each opened only when needed.
"""

from __future__ import annotations

import datetime as dt

from tracktray.accounts.kinds import kind_of
from tracktray.cli.context import Context
from tracktray.cli.render import clock, duration
from tracktray.cli.when import local_now
from tracktray.contracts.errors import TrackTrayError
from tracktray.i18n import _

TYPE_CHECKING = False  # typing and argparse are not imported at run time for status
if TYPE_CHECKING:
    import argparse
    from typing import Any

    from tracktray.domain import Status

__all__ = ["status", "status_json"]


def status(args: argparse.Namespace, ctx: Context) -> int:
    waiting = _send_what_waits(ctx)
    current = None
    if not waiting and kind_of(ctx.account).signs_in:
        # a running widget answers from its open connection (nothing waiting: the
        # journal's entries are sent by whoever holds them, and the output lists them);
        # local mode reads the database as cheaply as it would ask
        from tracktray.cli.widget_status import ask_widget

        current = ask_widget(ctx)
    try:
        if current is None:
            current = ctx.status()
    except TrackTrayError:
        for line in waiting:  # what is kept, even while the server is away
            ctx.print(line)
        raise
    now = local_now()
    if args.json:
        from tracktray.cli.render import emit_json

        emit_json({**status_json(current, ctx, now), "waiting": waiting}, ctx.out)
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
    from tracktray.cli.journaled import send_waiting_of, waiting_lines

    if not waiting_lines(ctx):
        return []
    try:
        report = send_waiting_of(ctx)
    except TrackTrayError:
        return waiting_lines(ctx)  # the status call says why
    for note in report.notes:
        ctx.err.write(note + "\n")
    return waiting_lines(ctx)


def status_json(current: Status, ctx: Context, now: dt.datetime) -> dict[str, Any]:
    """The ``--json`` object of a status (``start`` and ``switch`` print it too)."""
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
