"""Commands that change time go through the journal the widget uses.

``tracktray stop`` (start, switch, add, addfree, pause, resume, clock in/out) writes its
action to ``journal.sqlite`` with the time it was typed, then sends every waiting entry
of the account in order (one sender per account across processes). When the server
cannot be reached, the action stays in the journal and is sent later by the widget or
by the next command (``tracktray status`` lists what is waiting); the exit code is still
4, with a sentence saying the action is kept. An account defined only by the
environment (``TRACKTRAY_URL``) is not journaled: nothing about it is stored.
"""

from __future__ import annotations

import datetime as dt

from tracktray.cli.context import ENV_ACCOUNT_ID, Context
from tracktray.contracts.errors import (
    AuthenticationFailed,
    ProtocolError,
    Refused,
    ServerUnavailable,
    TrackTrayError,
)
from tracktray.i18n import N_, _, format_clock, format_datetime

TYPE_CHECKING = False  # typing is not imported at run time (``status`` reads the journal)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar

    from tracktray.accounts.outbox import SendReport
    from tracktray.store.journal import Journal, JournalEntry

    T = TypeVar("T")

__all__ = ["journaled", "run_journaled", "send_waiting_of", "waiting_lines"]

#: what each kind of journal entry is called in a sentence (translated where shown)
WHAT = {
    "start": N_("the start"),
    "stop": N_("the stop"),
    "switch": N_("the switch"),
    "add": N_("the added block"),
    "addfree": N_("the free time"),
    "pause": N_("the pause"),
    "resume": N_("the resume"),
    "clock_in": N_("the clock-in"),
    "clock_out": N_("the clock-out"),
    "attendance_add": N_("the attendance entry"),
    "attendance_edit": N_("the attendance change"),
    "attendance_delete": N_("the attendance deletion"),
}
#: where a journal entry was made
SOURCES = {"cli": N_("the command line"), "widget": N_("the widget")}


def _what(kind: str) -> str:
    return _(WHAT[kind]) if kind in WHAT else kind


def _now() -> dt.datetime:
    """The time of a command (one place, so the fault bench can make the clock jump)."""
    return dt.datetime.now(dt.UTC)


def journaled(ctx: Context) -> bool:
    return ctx.account.id != ENV_ACCOUNT_ID


def _journal(ctx: Context) -> Journal:
    from tracktray.store.journal import Journal

    return Journal(ctx.data_dir)


def run_journaled(
    ctx: Context, kind: str, args: dict[str, Any], before: Callable[[], T] | None = None
) -> tuple[T | None, Any]:
    """Write one action and send the account's waiting entries; raise if it did not land.

    ``before`` runs after the action is written and before it is sent (what the command
    reports on, such as the block a stop ends). Returns its result and what the action's
    call returned (the added block, the status after a pause...; None when the rules sent
    nothing).
    """
    journal = _journal(ctx)
    typed_at = _now()
    entry = journal.append(ctx.account.id, kind, args, clicked_at=typed_at, source="cli")
    try:
        prepared = before() if before is not None else None
        report = send_waiting_of(ctx, journal)
    except (ServerUnavailable, AuthenticationFailed) as exc:
        raise _still_kept(ctx, entry, exc) from None
    if report.stopped_by is not None:
        raise _still_kept(ctx, entry, report.stopped_by) from None
    value: Any = None
    for sent, outcome in report.sent:
        if sent.id == entry.id:
            value = outcome.value
            if outcome.state == "refused":
                raise Refused(outcome.sentence)
            if outcome.note:
                ctx.err.write(outcome.note + "\n")
        elif outcome.note:  # an older entry, sent now: say what the rules decided
            ctx.err.write(outcome.note + "\n")
    return prepared, value


def send_waiting_of(ctx: Context, journal: Journal | None = None) -> SendReport:
    from tracktray.accounts.outbox import send_waiting

    journal = journal or _journal(ctx)
    return send_waiting(journal, ctx.account.id, ctx.backend(), clock=lambda: _now())


def waiting_lines(ctx: Context) -> list[str]:
    """What of this account is still waiting in the journal, one line each."""
    import os

    if not journaled(ctx) or not os.path.exists(os.path.join(ctx.data_folder, "journal.sqlite")):
        return []
    from tracktray.store.journal_glance import glance

    # nothing waiting (the everyday case): counted with sqlite3 alone, without the
    # Journal's classes (nor pathlib); anything it cannot read, the Journal reads (and
    # says why)
    seen = glance(ctx.data_folder, ctx.account.id)
    if seen is not None and seen.unsent == 0:
        return []
    return [
        _("Waiting to be sent: {action} of {time} (from {source}).").format(
            action=_what(e.kind),
            time=f"{format_datetime(e.clicked_at.astimezone())}:{e.clicked_at:%S}",
            source=_(SOURCES[e.source]) if e.source in SOURCES else e.source,
        )
        for e in _journal(ctx).unfinished(ctx.account.id)
    ]


def _still_kept(ctx: Context, entry: JournalEntry, exc: TrackTrayError) -> TrackTrayError:
    """The error to exit with, its sentence saying that the action is kept."""
    when = entry.clicked_at.astimezone()
    text = _(
        "{error} It is kept ({action} of {time}) and will be sent to “{account}” by "
        "the widget or the next tracktray command."
    ).format(
        error=exc,
        action=_what(entry.kind),
        time=f"{format_clock(when)}:{when:%S}",
        account=ctx.account.shown_label,
    )
    if isinstance(exc, AuthenticationFailed):
        return AuthenticationFailed(text)
    if isinstance(exc, ServerUnavailable | ProtocolError):
        return ServerUnavailable(text)
    return TrackTrayError(text)
