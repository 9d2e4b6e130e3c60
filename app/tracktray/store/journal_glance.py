"""The journal as the widget's first stage reads it: the account's remembered status, and
whether clicks wait to be sent, with the stdlib ``sqlite3`` alone.

:class:`~tracktray.store.journal.Journal` is the journal's one writer and reader; this is
the same two reads (``last_status``, ``unfinished``) without defining its entry class and
errors (~3 ms the first stage does not spend before the icon). The same table, queries
and "a journal not set up yet has nothing" rule; ``tests/store/test_journal_glance.py``
holds both side by side.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from tracktray.store.account_config import StrPath

__all__ = ["UNSURE", "JournalGlance", "glance", "last_click"]

#: journal.py's FILE_NAME (kept equal by the tests)
FILE_NAME = "journal.sqlite"
#: what :func:`last_click` answers when it cannot read the journal (the Journal then does)
UNSURE = "unsure"


class JournalGlance:
    __slots__ = ("last_status", "unsent")

    def __init__(self, last_status: object, unsent: int) -> None:
        #: the account's last confirmed status as saved (parsed JSON), or None
        self.last_status = last_status
        #: how many of its clicks are not yet confirmed
        self.unsent = unsent


def glance(data_dir: StrPath, account_id: str) -> JournalGlance | None:
    """What the journal in ``data_dir`` keeps for ``account_id``; None when it cannot be
    read (the app reads it again and says why)."""
    path = os.path.join(data_dir, FILE_NAME)  # not pathlib: ``tracktray status`` reads here
    if not os.path.isfile(path):
        return JournalGlance(None, 0)
    try:
        conn = sqlite3.connect(path, timeout=30.0, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        # one transaction: both reads see the same moment
        conn.execute("BEGIN")
        unsent = conn.execute(
            "SELECT COUNT(*) FROM actions WHERE state IN ('waiting', 'sending') AND account_id = ?",
            (account_id,),
        ).fetchone()[0]
        row = conn.execute(
            "SELECT status FROM last_status WHERE account_id = ?", (account_id,)
        ).fetchone()
    except sqlite3.OperationalError as exc:
        return JournalGlance(None, 0) if "no such table" in str(exc) else None
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    try:
        status = json.loads(row[0]) if row is not None else None
    except ValueError:
        status = None
    return JournalGlance(status, int(unsent))


def last_click(data_dir: StrPath, account_id: str) -> dt.datetime | str | None:
    """``Journal.last_click``: when the account's latest action kept in the journal was
    clicked or typed (None: none is kept), or :data:`UNSURE` when it cannot be read
    (the app reads it again and says why). ``tracktray status`` asks it of a widget's
    answer; the Journal would define its entry class (with ``dataclasses``) for it."""
    path = os.path.join(data_dir, FILE_NAME)
    if not os.path.isfile(path):
        return None
    try:
        conn = sqlite3.connect(path, timeout=30.0, isolation_level=None)
    except sqlite3.Error:
        return UNSURE
    try:
        row = conn.execute(
            "SELECT max(clicked_at) FROM actions WHERE account_id = ?", (account_id,)
        ).fetchone()
    except sqlite3.OperationalError as exc:
        return None if "no such table" in str(exc) else UNSURE
    except sqlite3.Error:
        return UNSURE
    finally:
        conn.close()
    if row is None or row[0] is None:
        return None
    try:  # journal.py's _parse
        return dt.datetime.fromisoformat(str(row[0])).astimezone(dt.UTC)
    except ValueError:
        return UNSURE
