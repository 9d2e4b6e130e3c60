"""Sending the journal: every waiting entry of one account, in click order, once.

The widget (on the account's lane) and the CLI (after writing its own entry) call
:func:`send_waiting`. The journal's per-account lock makes one process at a time the
sender, so a click of the CLI and one of the widget never overtake each other and no
entry is sent twice. An entry is marked ``sending`` before its request leaves; the
server's confirmation marks it done (or refused, with the server's sentence). When the
server cannot be reached (or the password is wrong) the entry and everything after it
keep waiting for the next attempt: nothing is dropped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from tracktray.accounts.replay import Outcome, replay
from tracktray.contracts.backend import Backend
from tracktray.contracts.errors import TrackTrayError
from tracktray.store.journal import Journal, JournalEntry

__all__ = ["SendReport", "send_waiting"]

Clock = Callable[[], dt.datetime]


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class SendReport:
    """What one pass over the journal did."""

    sent: list[tuple[JournalEntry, Outcome]] = field(default_factory=list)
    #: why the pass stopped early (server away, signed out); None when all was sent
    stopped_by: TrackTrayError | None = None
    #: entries still waiting after the pass
    waiting: list[JournalEntry] = field(default_factory=list)

    @property
    def notes(self) -> list[str]:
        """Sentences the person should read (refusals, decisions of the rules)."""
        return [outcome.note for _, outcome in self.sent if outcome.note]


def send_waiting(
    journal: Journal, account_id: str, backend: Backend, *, clock: Clock = _utc_now
) -> SendReport:
    """Send ``account_id``'s unfinished entries in order; see the module docstring."""
    report = SendReport()
    with journal.sending(account_id):
        for entry in journal.unfinished(account_id):
            tried_before = entry.state == "sending" or entry.attempts > 0
            journal.mark_sending(entry.id)
            try:
                outcome = replay(
                    backend,
                    entry.kind,
                    entry.args,
                    entry.clicked_at,
                    tried_before=tried_before,
                    now=clock(),
                )
            except TrackTrayError as exc:
                report.stopped_by = exc
                break
            journal.finish(entry.id, outcome.state, outcome.sentence)
            report.sent.append((entry, outcome))
        report.waiting = journal.unfinished(account_id)
    return report
