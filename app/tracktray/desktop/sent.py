"""What the person hears about one pass of the journal's sender, as plain values.

Pure functions over a :class:`~tracktray.accounts.outbox.SendReport` and the status
fetched after it, so the session only emits what they return: one notification per pass
(refusals, what the replay rules decided, a click kept while the server is away), the
switch a stale "Start <tracker>" still owes, and the tracker last used.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tracktray.accounts.outbox import SendReport
from tracktray.api import ServerUnavailable
from tracktray.desktop.failures import Notice
from tracktray.desktop.stale import explain_refusal, switch_instead
from tracktray.domain import Status
from tracktray.i18n import _

__all__ = ["Told", "tell", "tracker_used"]


@dataclass
class Told:
    notices: list[Notice] = field(default_factory=list)
    #: trackers to switch to: a start refused because another one runs now
    switch_to: list[int] = field(default_factory=list)


def tell(label: str, report: SendReport, after: Status | None, *, clicked: bool) -> Told:
    """The notices of one pass (``clicked``: the pass was started by a click)."""
    told = Told()
    refused = [(e, o) for e, o in report.sent if o.state == "refused"]
    decided = [o.note for _, o in report.sent if o.state == "done" and o.note]
    explained = [explain_refusal(e.kind, e.args, after) for e, _ in refused]
    if refused and all(explained):
        # the click had nothing left to do (a stale menu): say so, not "no"
        told.notices.append(Notice(_("Nothing to do"), " ".join([*map(str, explained), *decided])))
        for entry, _outcome in refused:
            target = switch_instead(entry.kind, entry.args, after)
            if target is not None:
                told.switch_to.append(target)  # what "Start <tracker>" said: it runs
    elif refused:
        sentences = [o.note for _, o in refused]
        told.notices.append(Notice(_("The server said no"), " ".join(sentences + decided)))
    elif decided:
        told.notices.append(
            Notice(_("Clicks sent to {label}").format(label=label), " ".join(decided))
        )
    exc = report.stopped_by
    if clicked and isinstance(exc, ServerUnavailable) and report.waiting:
        told.notices.append(
            Notice(
                _("Could not reach {label}").format(label=label),
                _(
                    "{exc} Your click is kept with its time and will be sent when the "
                    "server is back."
                ).format(exc=exc),
            )
        )
    return told


def tracker_used(report: SendReport, status: Status) -> int | None:
    """The tracker a start or switch of this pass left running (the click's target)."""
    started = [e for e, o in report.sent if e.kind in ("start", "switch") and o.state == "done"]
    if not started:
        return None
    running = status.running
    used = running.tracker.id if running is not None else started[-1].args.get("tracker_id")
    return used if isinstance(used, int) else None
