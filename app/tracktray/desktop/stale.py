"""An entry chosen from a menu whose state has moved on: do what its label said, or say why not.

The menu is redrawn when a poll changes the state while it is open, but a person can
still pick an entry between the change on the server and the poll that shows it (a
``tracktray stop`` in a shell a second earlier). Two moments are covered:

- before sending, :func:`as_labelled` compares the entry with the state the widget
  knows now: "Start Website" while another tracker runs switches to Website (so that
  Website runs, as the label said); "Stop" when nothing runs any more is not sent.
- after a refusal, :func:`explain_refusal` reads the status fetched right after it: a
  stop refused because the block had been stopped elsewhere is explained in one
  sentence instead of "the server said no".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tracktray.desktop.commands import Command, Kind
from tracktray.domain import Status
from tracktray.i18n import _

__all__ = ["as_labelled", "explain_refusal", "switch_instead"]


def as_labelled(command: Command, status: Status | None) -> Command | str:
    """The command that does what ``command``'s label said now, or why nothing is to do."""
    if status is None:
        return command
    running = status.running
    kind, target = command.kind, command.target
    if kind in (Kind.STOP, Kind.STOP_DESCRIBED, Kind.SWITCH_DESCRIBED) and running is None:
        return _("Nothing to stop: the timer had already been stopped elsewhere.")
    if kind is Kind.START and running is not None:
        if target is None or running.tracker.id == target:
            return _("{name} is already running (it was started elsewhere).").format(
                name=running.tracker.name
            )
        return Command(Kind.SWITCH, target)
    if kind is Kind.SWITCH:
        if running is None:
            return Command(Kind.START, target)
        if running.tracker.id == target:
            return _("{name} is already running.").format(name=running.tracker.name)
    if kind is Kind.PAUSE and (running is None or running.paused):
        return _("Nothing to pause: the timer is not running any more.")
    if kind is Kind.RESUME and (running is None or not running.paused):
        return _("Nothing to resume: the timer is not paused any more.")
    if kind is Kind.CLOCK_IN and status.attendance is not None:
        return _("You are already clocked in.")
    if kind is Kind.CLOCK_OUT and status.attendance is None:
        return _("You are already clocked out.")
    return command


def switch_instead(kind: str, args: Mapping[str, Any], after: Status | None) -> int | None:
    """The tracker to switch to when a start was refused because another one runs now."""
    wanted = args.get("tracker_id")
    running = after.running if after is not None else None
    if kind != "start" or running is None or not isinstance(wanted, int):
        return None
    return wanted if wanted != running.tracker.id else None


def explain_refusal(kind: str, args: Mapping[str, Any], after: Status | None) -> str | None:
    """One sentence when the status after a refusal shows the click had nothing to do."""
    if after is None:
        return None
    running = after.running
    if kind == "stop" and running is None:
        return _("Nothing to stop: the timer had already been stopped elsewhere.")
    if kind == "start" and running is not None:
        wanted = args.get("tracker_id")
        if wanted is None or wanted == running.tracker.id:
            return _("{name} was already running (it was started elsewhere).").format(
                name=running.tracker.name
            )
        return _(
            "{name} had been started elsewhere, so the widget switches to the tracker you chose."
        ).format(name=running.tracker.name)
    if kind == "switch" and running is None:
        return _("Nothing to switch from: the timer had been stopped elsewhere; start instead.")
    return None
